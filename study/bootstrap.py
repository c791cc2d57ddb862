"""The bootstrap over test samples: how precise one number of one test set is.

NumPy only, so that an analysis job computing it imports nothing heavier
(:mod:`study.statistics`, for the intervals over seeds, needs SciPy and pandas).
"""
from typing import NamedTuple

import numpy as np


class Bootstrap(NamedTuple):
    """A statistic on all test samples and its percentile bootstrap interval; n test samples.

    estimate, low, high : float, or ndarray of shape (m,) for m columns of scores.
    """

    estimate: object
    low: object
    high: object
    n: int


def bootstrap_interval(per_sample, n_resamples=1000, confidence=0.95, seed=0):
    """Percentile bootstrap interval of the mean score over the test samples.

    per_sample : ndarray of shape (n,) or (n, m), each test sample's score (1 if classified
        right, or clustered right under the matching of all n samples: a clustering accuracy
        is a mean too, :func:`study.analyses.kmeans.accuracy_interval`); m columns scored on
        the same samples (several representations) share the resamples.
    seed : int or np.random.Generator; one (n_resamples, n) index matrix is drawn from it.

    estimate : ``per_sample.mean(axis=0)``. low, high : the (1 - confidence)/2 and
    (1 + confidence)/2 quantiles of the mean over the resamples. A resample's mean is
    ``counts @ per_sample / n``, counts (n_resamples, n) how often each sample was drawn: one
    matrix product for all resamples and columns.
    """
    rng = np.random.default_rng(seed)
    values = np.asarray(per_sample, dtype=np.float64)
    n = len(values)
    indices = rng.integers(0, n, size=(n_resamples, n))
    rows = np.arange(n_resamples)[:, None] * n
    counts = np.bincount((indices + rows).ravel(), minlength=n_resamples * n).reshape(n_resamples, n)
    replicates = counts @ values / n
    low, high = np.quantile(replicates, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)
    return Bootstrap(values.mean(axis=0), low, high, n)
