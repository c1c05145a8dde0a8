"""Benchmarks (DESIGN §7): `python -m reform bench` or `python bench/run.py`."""
