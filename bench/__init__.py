"""Benchmarks (DESIGN §7): `python -m bench` (bench/README.md)."""
