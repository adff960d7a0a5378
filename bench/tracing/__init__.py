"""Tracing realism: synthetic child and enquiry pairs with the distortions of real tracing.

Run from the repository root: `.venv/bin/python -m bench.tracing`.
"""
