"""The pure matching core: person records, comparisons, blocking keys, scoring, explanations.

Nothing here knows the web, the database or the environment; thresholds and settings
come in as arguments so that a batch job, a notebook and the service share one core.
"""
