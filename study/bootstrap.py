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


def bootstrap_interval(per_sample, statistic=np.mean, n_resamples=1000, confidence=0.95, seed=0):
    """Percentile bootstrap interval of a statistic over the test samples.

    per_sample : ndarray of shape (n,) or (n, m), each test sample's score (1 if classified
        right, its squared error, ...); m columns scored on the same samples (several
        representations) share the resamples. Or an int n where `statistic` takes indices.
    statistic : ``np.mean``; or any callable ``statistic(indices) -> float`` of an index
        array (n,) into the test samples (a clustering accuracy, which must redo the
        cluster-to-label matching on each resample).
    seed : int or np.random.Generator; one (n_resamples, n) index matrix is drawn from it,
        the same whichever the statistic.

    low, high : the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the statistic
    over the resamples. A resample's mean is ``counts @ per_sample / n``, counts (n_resamples, n)
    how often each sample was drawn: one matrix product for all resamples and columns.
    Other statistics are called once per resample, in this thread: clustering accuracy and
    NMI hold the GIL, and two joblib threads ran 1,000 resamples of 10,000 samples slower
    than one (0.32 s against 0.30 s; NMI 4.1 s against 3.2 s).
    """
    rng = np.random.default_rng(seed)
    if statistic is np.mean:
        values = np.asarray(per_sample, dtype=np.float64)
        n = len(values)
        indices = rng.integers(0, n, size=(n_resamples, n))
        rows = np.arange(n_resamples)[:, None] * n
        counts = np.bincount((indices + rows).ravel(), minlength=n_resamples * n).reshape(n_resamples, n)
        replicates = counts @ values / n
        estimate = values.mean(axis=0)
    else:
        n = int(per_sample) if np.ndim(per_sample) == 0 else len(per_sample)
        indices = rng.integers(0, n, size=(n_resamples, n))
        replicates = np.array([statistic(resample) for resample in indices], dtype=np.float64)
        estimate = float(statistic(np.arange(n)))
    low, high = np.quantile(replicates, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)
    return Bootstrap(estimate, low, high, n)
