"""Benchmarks against the performance targets (docs/performance-targets.md): `python -m bench` (bench/README.md)."""
