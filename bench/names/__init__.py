"""Benchmark of the name matcher (python -m bench.names) and the scripts that derive its data."""
