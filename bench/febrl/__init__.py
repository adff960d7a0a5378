"""FEBRL benchmarks: the matching core against the true links, with Splink beside it.

Run from the repository root: `.venv/bin/python -m bench.febrl` (needs the `bench` extra).
"""
