"""The study built on the library: configuration, variant names, script logging, analyses.

Knows nothing of Snakemake; the workflow's scripts call it.
"""
