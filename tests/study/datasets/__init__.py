"""Tests of study.datasets, one module per dataset (a package, so that its module names do not
clash with those of tests/study/data/)."""
