"""Tests of study.families, one module per model family."""
