"""Tests of study.analyses, one module per analysis (a package, so that test_kmeans.py does
not clash with tests/test_kmeans.py)."""
