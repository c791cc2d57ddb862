"""Verdicts on a study's primary questions, and the seeds a confirmation stage needs for them.

A primary question compares two representations on one metric, seed by seed: A - B, the paired
differences over the confirmation stage's fresh training seeds (never those that chose A or B).
Its verdict is read off one interval, the t interval of the mean difference at level
``1 - alpha / m``, m the number of primary questions of the dataset (Bonferroni):

- A better than B: the interval lies above 0 (below, for a metric where lower is better);
- B better than A: the other way;
- equivalent within the margin: the interval lies inside (-margin, margin), which is two
  one-sided tests (Schuirmann 1987, Lakens 2017) at ``alpha / (2 m)`` each;
- undecided: neither, with the seeds the observed mean and spread say would decide it.

The m intervals cover their m true differences together with probability ``1 - alpha`` or more,
whatever the dependence between them, so every verdict of a dataset is right at once with that
probability: a false "better", a false "equivalent" or a flipped direction are all errors of
the same family. An interval that holds both 0-exclusion and the margin says "equivalent": the
difference it shows is real but smaller than the smallest one the study declared to matter.

Planning (:func:`seeds_to_decide`): the chance that an interval over n seeds decides the
question, for a true mean difference ``mu`` and spread ``sigma``, integrates over the sample
standard deviation exactly (d-bar and s are independent for normal differences); the plan is
the least n whose chance reaches ``power``.
"""
import math
from typing import NamedTuple

import numpy as np
from scipy import stats

#: The four verdicts, as the summary words them.
BETTER, WORSE, EQUIVALENT, UNDECIDED = "A better", "B better", "equivalent", "undecided"

#: Quantiles of the sample variance's chi-square law over which a decision's chance is averaged.
_VARIANCE_QUANTILES = (np.arange(400) + 0.5) / 400


class Verdict(NamedTuple):
    """A question's verdict, its mean difference A - B with the interval it was read off
    (clipped to the difference's range, which loses no coverage: the true difference lies in
    it), the seeds it used, and, when undecided, the seeds that would decide it (None when no
    count up to the planning limit would)."""

    verdict: str
    difference: float
    low: float
    high: float
    n: int
    level: float
    seeds_to_decide: int | None = None


def interval_level(alpha, questions):
    """The level of each question's interval: ``1 - alpha / questions`` (Bonferroni)."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha!r}")
    if questions < 1:
        raise ValueError(f"questions must be at least 1, got {questions!r}")
    return 1 - alpha / questions


def verdicts(low, high, margin, higher_is_better=True):
    """The verdicts read off intervals [low, high] (arrays broadcast; a NaN bound: undecided)."""
    low, high = np.asarray(low, float), np.asarray(high, float)
    above, below = low > 0, high < 0
    better, worse = (above, below) if higher_is_better else (below, above)
    return np.select([(-margin < low) & (high < margin), better, worse], [EQUIVALENT, BETTER, WORSE], UNDECIDED)


def t_intervals(differences, level, value_range=(-math.inf, math.inf)):
    """Mean, standard deviation and t interval at `level` of paired differences of shape
    (..., n) along the last axis (n >= 2, no NaN), the interval clipped to `value_range`."""
    d = np.asarray(differences, dtype=np.float64)
    n = d.shape[-1]
    mean, std = d.mean(axis=-1), d.std(axis=-1, ddof=1)
    half = stats.t.ppf((1 + level) / 2, n - 1) * std / math.sqrt(n)
    return mean, std, np.maximum(mean - half, value_range[0]), np.minimum(mean + half, value_range[1])


def decide(differences, margin, level, higher_is_better=True, value_range=(-math.inf, math.inf), limit=100,
           power=0.8):
    """The :class:`Verdict` of paired differences A - B of shape (n,) (NaN dropped), against the
    equivalence `margin` (> 0), read off their t interval at `level`. ``higher_is_better=False``
    (an error): A is better where the difference is below 0."""
    if not margin > 0:
        raise ValueError(f"margin must be positive, got {margin!r}")
    d = np.asarray(differences, dtype=np.float64).ravel()
    d = d[~np.isnan(d)]
    n = len(d)
    if n < 2:
        mean = float(d[0]) if n else math.nan
        return Verdict(UNDECIDED, mean, math.nan, math.nan, n, level,
                       seeds_to_decide(mean, math.nan, margin, level, limit, power))
    mean, std, low, high = (float(x) for x in t_intervals(d, level, value_range))
    verdict = str(verdicts(low, high, margin, higher_is_better))
    needed = seeds_to_decide(mean, std, margin, level, limit, power) if verdict == UNDECIDED else None
    return Verdict(verdict, mean, low, high, n, level, needed)


def decision_chance(mu, sigma, n, margin, level):
    """The chance that the interval over n seeds decides (any of the three decided verdicts),
    for normal differences of mean `mu` and standard deviation `sigma`; arrays broadcast.

    With se = sigma / sqrt(n) and, for a sample deviation s, h(s) = t_{(1+level)/2, n-1} s / sqrt(n):
    P = E_s[ Phi((mu - h) / se) + Phi((-mu - h) / se) + max(0, Phi((margin - h - mu) / se)
    - Phi((h - margin - mu) / se)) ], the three events disjoint but where the margin's and
    zero's overlap (counted once, by the first two); s^2 ~ sigma^2 chi2_{n-1} / (n - 1).
    """
    mu, sigma, n = np.broadcast_arrays(np.asarray(mu, float), np.asarray(sigma, float), np.asarray(n, float))
    # The quantiles depend on n alone: computed once per distinct count, they are then indexed.
    counts, which = np.unique(n, return_inverse=True)
    spread = np.sqrt(stats.chi2.ppf(_VARIANCE_QUANTILES, counts[:, None] - 1) / (counts[:, None] - 1))
    quantile = stats.t.ppf((1 + level) / 2, counts - 1)
    mu, sigma, n = mu[..., None], sigma[..., None], n[..., None]
    s = sigma * spread[which.reshape(n.shape[:-1])]
    se = sigma / np.sqrt(n)
    h = quantile[which.reshape(n.shape[:-1])][..., None] * s / np.sqrt(n)
    different = stats.norm.cdf((mu - h) / se) + stats.norm.cdf((-mu - h) / se)
    # Equivalent but not also different: |d| + h < margin and |d| <= h.
    inner = np.minimum(margin - h, h)
    equivalent = np.clip(stats.norm.cdf((inner - mu) / se) - stats.norm.cdf((-inner - mu) / se), 0, None)
    return np.mean(np.minimum(different + equivalent, 1.0), axis=-1)


def seeds_to_decide(mu, sigma, margin, level, limit=100, power=0.8, least=3):
    """The fewest seeds n (`least` <= n <= `limit`) whose interval decides a question of true
    mean difference `mu` and spread `sigma` with chance `power` or more (:func:`decision_chance`);
    None when no such n exists or `sigma` is unknown (NaN). A spread of 0 needs `least` seeds."""
    if not sigma >= 0 or math.isnan(mu):
        return None
    if sigma == 0:
        return least
    # In windows that double (3-5, 6-11, ...): most questions settle in the first few, and a
    # window's cost grows with its counts.
    start = least
    while start <= limit:
        n = np.arange(start, min(2 * start, limit) + 1)
        enough = np.flatnonzero(decision_chance(mu, sigma, n, margin, level) >= power)
        if len(enough):
            return int(n[enough[0]])
        start = int(n[-1]) + 1
    return None
