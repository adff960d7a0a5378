"""Bulk import through `ftr import` against a real server: `python -m bench.imports`."""
