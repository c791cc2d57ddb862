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

from diy import checks

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
    alpha = checks.open_fraction("interval_level", "alpha", alpha)
    return 1 - alpha / checks.positive_int("interval_level", "questions", questions)


def verdicts(low, high, margin, higher_is_better=True):
    """The verdicts read off intervals [low, high] (arrays broadcast; a NaN bound: undecided)."""
    margin = checks.positive("verdicts", "margin", margin)
    low = checks.number_array("verdicts", "low", low, nan=True, infinite=True)
    high = checks.number_array("verdicts", "high", high, nan=True, infinite=True)
    above, below = low > 0, high < 0
    better, worse = (above, below) if higher_is_better else (below, above)
    return np.select([(-margin < low) & (high < margin), better, worse], [EQUIVALENT, BETTER, WORSE], UNDECIDED)


def t_intervals(differences, level, value_range=(-math.inf, math.inf)):
    """Mean, standard deviation and t interval at `level` of paired differences of shape
    (..., n) along the last axis (n >= 2, no NaN), the interval clipped to `value_range`."""
    level = checks.open_fraction("t_intervals", "level", level)
    value_range = _value_range("t_intervals", value_range)
    d = checks.number_array("t_intervals", "differences", differences)
    n = d.shape[-1] if d.ndim else 0
    if n < 2:
        raise ValueError(f"t_intervals: differences must hold n >= 2 along their last axis, got shape {d.shape}")
    mean, std = d.mean(axis=-1), d.std(axis=-1, ddof=1)
    half = stats.t.ppf((1 + level) / 2, n - 1) * std / math.sqrt(n)
    return mean, std, np.maximum(mean - half, value_range[0]), np.minimum(mean + half, value_range[1])


def decide(differences, margin, level, higher_is_better=True, value_range=(-math.inf, math.inf), limit=100,
           power=0.8):
    """The :class:`Verdict` of paired differences A - B of shape (n,) (NaN dropped), against the
    equivalence `margin` (> 0), read off their t interval at `level`. ``higher_is_better=False``
    (an error): A is better where the difference is below 0."""
    margin = checks.positive("decide", "margin", margin)
    level = checks.open_fraction("decide", "level", level)
    power = checks.open_fraction("decide", "power", power)
    limit = checks.positive_int("decide", "limit", limit)
    value_range = _value_range("decide", value_range)
    d = checks.number_array("decide", "differences", differences, nan=True)
    if d.ndim > 1:
        raise ValueError(f"decide: differences must be of shape (n,), got shape {d.shape}")
    d = d.ravel()
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
    mu finite, sigma > 0, n whole numbers >= 2, margin > 0, level in (0, 1).
    """
    mu = checks.number_array("decision_chance", "mu", mu)
    sigma = checks.number_array("decision_chance", "sigma", sigma, 0.0, strict=True)
    n = checks.number_array("decision_chance", "n", n, 2.0)
    if (n != np.round(n)).any():
        raise ValueError(f"decision_chance: n must be whole numbers of seeds, got {float(n[n != np.round(n)].flat[0])!r}")
    margin = checks.positive("decision_chance", "margin", margin)
    level = checks.open_fraction("decision_chance", "level", level)
    mu, sigma, n = np.broadcast_arrays(mu, sigma, n)
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
    None when no such n exists or `mu` or `sigma` is unknown (NaN). A spread of 0 needs `least` seeds."""
    mu = checks.number("seeds_to_decide", "mu", mu) if not _nan(mu) else math.nan
    sigma = checks.non_negative("seeds_to_decide", "sigma", sigma) if not _nan(sigma) else math.nan
    margin = checks.positive("seeds_to_decide", "margin", margin)
    level = checks.open_fraction("seeds_to_decide", "level", level)
    limit = checks.positive_int("seeds_to_decide", "limit", limit)
    power = checks.open_fraction("seeds_to_decide", "power", power)
    least = checks.integer("seeds_to_decide", "least", least, minimum=2)
    if math.isnan(sigma) or math.isnan(mu):
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


def _nan(value):
    """Whether `value` is a float NaN (an unknown that a function documents it accepts)."""
    return isinstance(value, float | np.floating) and math.isnan(value)


def _value_range(where, value_range):
    """`value_range` as ``(low, high)`` numbers (infinite allowed), low <= high."""
    try:
        low, high = value_range
    except (TypeError, ValueError):
        raise TypeError(f"{where}: value_range must be a pair (low, high), got {value_range!r}") from None
    low = checks.number(where, "value_range[0]", low) if not _infinite(low) else float(low)
    high = checks.number(where, "value_range[1]", high) if not _infinite(high) else float(high)
    if low > high:
        raise ValueError(f"{where}: value_range must have low <= high, got {value_range!r}")
    return low, high


def _infinite(value):
    return isinstance(value, float | np.floating) and math.isinf(value)
