"""Statistics over training seeds and test samples: intervals and paired comparisons.

A study's answer holds when it holds across training seeds, so most numbers here are
per seed first: a configuration's spread is the spread of what its seeds learned, two
configurations are compared seed by seed (same seed, same test set), and a factor's
effect is averaged over the other factors within each seed before the interval is
taken across seeds. The bootstrap (:mod:`study.bootstrap`) is the other source of spread:
the test samples.

Intervals are two-sided at ``confidence``; with fewer than two seeds they are empty
(NaN), never of zero width: one seed says nothing of the spread.

Student's t is scipy.special's ``stdtrit`` and ``stdtr``, which ``scipy.stats.t.ppf`` and
``.sf`` return unchanged: the same numbers, without the 0.5 s it takes a table or figure job to
import scipy.stats (imported here only for the Wilcoxon test).
"""
import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from diy import checks


# -- intervals --------------------------------------------------------------------------------
class Interval(NamedTuple):
    """A mean, its standard deviation (ddof = 1), its confidence interval and its count."""

    mean: float
    std: float
    low: float
    high: float
    n: int


def t_interval(values, confidence=0.95):
    """Student t interval of the mean of values (n,); NaN values are dropped and not counted.

    mean +/- t_{(1 + confidence)/2, n-1} s / sqrt(n), s the standard deviation with ddof = 1.
    n = 1: std, low and high are NaN (an empty interval); n = 0: everything is NaN.
    """
    confidence = checks.open_fraction("t_interval", "confidence", confidence)
    values = checks.number_array("t_interval", "values", values, nan=True).ravel()
    values = values[~np.isnan(values)]
    n = len(values)
    if n < 2:
        return Interval(float(values[0]) if n else math.nan, math.nan, math.nan, math.nan, n)
    from scipy.special import stdtrit

    mean, std = float(values.mean()), float(values.std(ddof=1))
    half = float(stdtrit(n - 1, (1 + confidence) / 2)) * std / math.sqrt(n)
    return Interval(mean, std, mean - half, mean + half, n)


def t_survival(t, df):
    """P(T_df > t), Student's t with `df` degrees of freedom (``scipy.stats.t.sf``); t may be
    infinite (+/-inf: equal differences) or NaN (0/0), df > 0."""
    t = checks.number_array("t_survival", "t", t, nan=True, infinite=True)
    df = checks.number_array("t_survival", "df", df, 0.0, strict=True)
    from scipy.special import stdtr

    return stdtr(df, -t)


# -- paired comparisons ---------------------------------------------------------------------------
#: A paired test's name -> how it is named.
TESTS = {"t": "paired t", "wilcoxon": "Wilcoxon signed-rank"}


class Comparison(NamedTuple):
    """Mean difference a - b over paired seeds, its t interval and the test's (raw) p-value."""

    difference: float
    low: float
    high: float
    p_value: float
    n: int
    test: str
    confidence: float
    std: float = math.nan


def paired_comparison(a, b, test="t", confidence=0.95):
    """a, b : array-like of shape (n,), a[i] and b[i] from the same seed and test set.

    Pairs with a NaN are dropped. The interval is :func:`t_interval` of d = a - b. The
    p-value is two-sided: ``"t"``, 2 P(T_{n-1} > |mean(d)| / (s_d / sqrt(n))); ``"wilcoxon"``,
    the signed-rank test of scipy (exact for n <= 50 without zero differences; zeros are
    dropped). With n < 2 the interval and p-value are NaN.
    """
    if not isinstance(test, str) or test not in TESTS:
        raise ValueError(f"paired_comparison: test must be one of {sorted(TESTS)}, got {test!r}")
    confidence = checks.open_fraction("paired_comparison", "confidence", confidence)
    a = checks.number_array("paired_comparison", "a", a, nan=True)
    b = checks.number_array("paired_comparison", "b", b, nan=True)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be paired vectors of one length, got shapes {a.shape} and {b.shape}")
    differences = a - b
    differences = differences[~np.isnan(differences)]
    interval = t_interval(differences, confidence)
    n = interval.n
    if n < 2:
        p_value = math.nan
    elif test == "t":
        # Equal differences on every seed: t = +/-inf (p = 0), or 0/0 (NaN) when all are zero.
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.float64(interval.mean) / (interval.std / math.sqrt(n))
        p_value = float(2 * t_survival(abs(t), n - 1))
    else:
        from scipy import stats

        p_value = float(stats.wilcoxon(differences).pvalue)
    return Comparison(interval.mean, interval.low, interval.high, p_value, n, test, confidence, interval.std)


# -- tables over seeds ------------------------------------------------------------------------
_PER_SEED = ("seed", "variant")


def aggregate_over_seeds(table, keys, metrics, confidence=0.95):
    """Per-seed table -> one row per configuration, in order of first appearance.

    keys : the columns naming a configuration; ``seed`` and ``variant`` are left out of
        them (a variant's name includes its seed). Rows without a seed (baselines) are a
        configuration of one seed.
    Columns: the keys, then per metric ``{metric}_mean``, ``_std``, ``_ci_low``, ``_ci_high``
    (:func:`t_interval` over the seeds; NaN values are left out), then ``n_seeds`` (rows).
    Raises ValueError if a configuration has two rows for one seed: keys are missing.
    """
    confidence = checks.open_fraction("aggregate_over_seeds", "confidence", confidence)
    keys = [key for key in keys if key not in _PER_SEED]
    duplicated = table.duplicated(keys + ["seed"])
    if duplicated.any():
        raise ValueError(f"rows differ beyond {keys} and the seed, e.g. row {table.index[duplicated][0]}")
    groups = table.groupby(keys, dropna=False, sort=False)
    records = []
    for _, group in groups:
        record = {}
        for metric in metrics:
            interval = t_interval(group[metric], confidence)
            record.update({f"{metric}_mean": interval.mean, f"{metric}_std": interval.std,
                           f"{metric}_ci_low": interval.low, f"{metric}_ci_high": interval.high})
        record["n_seeds"] = len(group)
        records.append(record)
    configurations = groups.head(1)[keys].reset_index(drop=True)
    return pd.concat([configurations, pd.DataFrame.from_records(records)], axis=1)


def factor_effects(table, factor, metric, keys, confidence=0.95):
    """The effect of `factor` (e.g. ``"activation"``) on `metric`, averaged over the other factors.

    keys : columns kept apart (e.g. ``["dataset", "method"]``); every other column but
        `factor` and ``seed`` is averaged over. Rows without a level, a seed or a value
        (baselines, diverged runs) are left out.
    Per level: m_s, the mean over the level's rows of seed s, then :func:`t_interval` of
    the m_s across seeds. Columns: keys, `factor`, ``{metric}_mean`` (the mean of the m_s:
    the mean over configurations and seeds when every seed has the same rows),
    ``_std``, ``_ci_low``, ``_ci_high``, ``n_seeds`` and ``n_rows`` (rows averaged, all seeds).
    """
    confidence = checks.open_fraction("factor_effects", "confidence", confidence)
    rows = table.dropna(subset=[factor, "seed", metric])
    levels = list(keys) + [factor]
    per_seed = rows.groupby(levels + ["seed"], dropna=False, sort=False)[metric].agg(["mean", "size"])
    records = []
    for level, seeds in per_seed.groupby(level=levels, dropna=False, sort=False):
        interval = t_interval(seeds["mean"], confidence)
        records.append({**dict(zip(levels, level)), f"{metric}_mean": interval.mean,
                        f"{metric}_std": interval.std, f"{metric}_ci_low": interval.low,
                        f"{metric}_ci_high": interval.high, "n_seeds": interval.n,
                        "n_rows": int(seeds["size"].sum())})
    return pd.DataFrame.from_records(records, columns=levels + [
        f"{metric}_mean", f"{metric}_std", f"{metric}_ci_low", f"{metric}_ci_high", "n_seeds", "n_rows"])


# -- numbers in tables ------------------------------------------------------------------------
#: Metric kind -> how its numbers are written: ("decimals", d) fixed, ("significant", d) digits.
NUMBER_FORMATS = {"accuracy": ("decimals", 3), "psnr": ("decimals", 2), "error": ("significant", 3)}


def _decimals(value, kind):
    style, digits = NUMBER_FORMATS[kind]
    if style == "decimals" or not math.isfinite(value) or value == 0:
        return digits if style == "decimals" else digits - 1
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def format_number(value, kind, decimals=None):
    """A number of a metric kind (:data:`NUMBER_FORMATS`: accuracy-like 0.812, PSNR in dB 21.46,
    errors to 3 significant digits, 12.3 or 0.00123, never in e-notation); NaN -> ``""``."""
    _kind("format_number", kind)
    if decimals is not None:
        decimals = checks.integer("format_number", "decimals", decimals, minimum=0)
    if value is None or _a_nan("format_number", "value", value):
        return ""
    return f"{value:.{_decimals(value, kind) if decimals is None else decimals}f}"


def format_interval(mean, low, high, kind, value_range=(-math.inf, math.inf)):
    """``"0.812 [0.801, 0.823]"``; ``"0.812 (n=1)"`` when the interval is empty (NaN bounds).

    The bounds take the mean's decimals, so an error's interval lines up with its mean, and are
    cut at `value_range`, the values the quantity can take (an accuracy: [0, 1]): the true mean
    lies there, so the cut interval covers it as often, and three seeds' t interval of an
    accuracy no longer reads 0.366 [-0.486, 1.218].
    """
    _kind("format_interval", kind)
    bottom, top = _pair("format_interval", "value_range", value_range)
    no_mean = mean is None or _a_nan("format_interval", "mean", mean)
    no_bound = any([_a_nan("format_interval", "low", low), _a_nan("format_interval", "high", high)])
    if not no_bound and low > high:
        raise ValueError(f"format_interval: low must be <= high, got low = {low!r}, high = {high!r}")
    if no_mean:
        return ""
    low, high = max(low, bottom), min(high, top)
    decimals = _decimals(mean, kind)
    text = format_number(mean, kind, decimals)
    if math.isnan(low) or math.isnan(high):
        return f"{text} (n=1)"
    return f"{text} [{format_number(low, kind, decimals)}, {format_number(high, kind, decimals)}]"


def _kind(where, kind):
    if not isinstance(kind, str) or kind not in NUMBER_FORMATS:
        raise ValueError(f"{where}: kind must be one of {sorted(NUMBER_FORMATS)}, got {kind!r}")


def _a_nan(where, name, value):
    """Whether the number `value` is NaN; a TypeError naming it if it is no number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number, got {value!r}")
    return math.isnan(value)


def _pair(where, name, value):
    """`value` as ``(low, high)`` numbers (infinite allowed), low <= high."""
    try:
        low, high = value
    except (TypeError, ValueError):
        raise TypeError(f"{where}: {name} must be a pair (low, high), got {value!r}") from None
    low, high = (float(checks.number_array(where, name, bound, infinite=True)) for bound in (low, high))
    if low > high:
        raise ValueError(f"{where}: {name} must have low <= high, got {value!r}")
    return low, high
