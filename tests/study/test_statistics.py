"""Intervals and paired tests against hand-worked values and scipy.stats."""
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from study.bootstrap import bootstrap_interval
from study.statistics import (aggregate_over_seeds, factor_effects, format_interval, paired_comparison, t_interval,
                              t_survival)

# Three seeds 0.80, 0.82, 0.84: mean 0.82, s = 0.02, t_{0.975,2} = 4.3027,
# half-width 4.3027 * 0.02 / sqrt(3) = 0.049683.
THREE_SEEDS, THREE_SEEDS_CI = [0.80, 0.82, 0.84], (0.770317, 0.869683)


# -- t_interval -------------------------------------------------------------------------------
def test_t_interval_of_one_to_four_worked_by_hand():
    # mean 2.5, s = sqrt(5/3) = 1.290994, t_{0.975,3} = 3.182446,
    # half-width 3.182446 * 1.290994 / 2 = 2.054260.
    interval = t_interval([1.0, 2.0, 3.0, 4.0])
    assert interval.mean == 2.5 and interval.n == 4
    assert interval.std == pytest.approx(1.290994, abs=1e-6)
    assert (interval.low, interval.high) == pytest.approx((2.5 - 2.054260, 2.5 + 2.054260), abs=1e-6)


def test_t_interval_matches_scipy_at_another_confidence_and_drops_nan():
    values = [0.91, np.nan, 0.87, 0.95, 0.90, np.nan]
    interval = t_interval(values, confidence=0.9)
    finite = [0.91, 0.87, 0.95, 0.90]
    expected = stats.t.interval(0.9, 3, loc=np.mean(finite), scale=stats.sem(finite))
    assert interval.n == 4
    assert (interval.low, interval.high) == pytest.approx(expected, rel=1e-12)


def test_student_t_is_scipy_stats_number_for_number():
    # The tables' intervals and the summary's p-values stay the numbers scipy.stats.t gives.
    for n in range(2, 60):
        values = np.linspace(0.0, 1.0, n) ** 2
        for confidence in (0.9, 0.95, 0.99):
            half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * values.std(ddof=1) / math.sqrt(n)
            assert t_interval(values, confidence).high == values.mean() + half
    n = np.arange(2, 101)
    assert np.array_equal(t_survival(3.1 * np.sqrt(n) / 0.7, n - 1), stats.t.sf(3.1 * np.sqrt(n) / 0.7, n - 1))
    assert t_survival(np.inf, 3) == 0.0 and np.isnan(t_survival(np.nan, 3))


def test_intervals_and_t_tests_do_not_import_scipy_stats():
    # A table or figure job would pay ~0.5 s for it (bench/job_overhead.py).
    code = ("import sys; from study.statistics import paired_comparison, t_interval; "
            "paired_comparison([1.0, 2.0, 3.5], [0.5, 1.0, 2.0]); t_interval([1.0, 2.0]); "
            "print('scipy.stats' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_one_value_gives_an_empty_interval_and_none_gives_nan():
    one = t_interval([0.7, np.nan])
    assert one.mean == 0.7 and one.n == 1
    assert math.isnan(one.std) and math.isnan(one.low) and math.isnan(one.high)
    none = t_interval([np.nan])
    assert none.n == 0 and math.isnan(none.mean)


# -- bootstrap --------------------------------------------------------------------------------
def test_bootstrap_mean_interval_covers_a_binomial_proportion_95_percent_of_the_time():
    # 2,000 trials of 500 Bernoulli(0.8) samples, one column each: the trials' data are
    # independent, the resample matrix is shared (drawn once for all columns).
    p, n, trials = 0.8, 500, 2000
    samples = (np.random.default_rng(2024).random((n, trials)) < p).astype(np.float64)
    result = bootstrap_interval(samples, seed=1)
    assert result.low.shape == (trials,)
    coverage = np.mean((result.low <= p) & (p <= result.high))
    assert coverage == pytest.approx(0.95, abs=0.02)
    # Normal approximation of the width: 2 * 1.96 * sqrt(0.8 * 0.2 / 500) = 0.0701.
    assert np.mean(result.high - result.low) == pytest.approx(0.0701, abs=0.003)


def test_bootstrap_mean_agrees_with_scipy_percentile_bootstrap():
    scores = (np.random.default_rng(5).random(500) < 0.8).astype(np.float64)
    ours = bootstrap_interval(scores, n_resamples=10_000, seed=0)
    theirs = stats.bootstrap((scores,), np.mean, n_resamples=10_000, method="percentile",
                             rng=np.random.default_rng(0)).confidence_interval
    # Each bound's Monte Carlo error is about 0.0005; the grid of proportions steps by 0.002.
    assert (ours.low, ours.high) == pytest.approx((theirs.low, theirs.high), abs=0.004)
    assert ours.estimate == pytest.approx(scores.mean())


def test_the_resample_means_are_those_of_the_index_matrix_drawn_from_the_seed():
    scores = np.random.default_rng(3).random(200)
    vectorised = bootstrap_interval(scores, seed=7)
    # The same (1000, 200) index matrix, each resample's mean taken from its indices.
    indices = np.random.default_rng(7).integers(0, 200, size=(1000, 200))
    by_index = np.quantile(scores[indices].mean(axis=1), [0.025, 0.975])
    assert (vectorised.low, vectorised.high) == pytest.approx(tuple(by_index), rel=1e-12)
    other_seed = bootstrap_interval(scores, seed=8)
    assert (other_seed.low, other_seed.high) != (vectorised.low, vectorised.high)


# -- paired comparisons -----------------------------------------------------------------------
# Differences a - b = 1, -2, 3, 4, 5 (hundredths): mean 2.2, s = sqrt(7.7) = 2.774887,
# T = 2.2 / (s / sqrt 5) = 1.772811 on 4 df, p = 0.1509. Wilcoxon: ranks 1..5, W- = 2;
# subsets of {1..5} summing to <= 2: {}, {1}, {2}, so p = 2 * 3/32 = 0.1875 (exact).
B = np.array([0.70, 0.75, 0.80, 0.72, 0.78])
A = B + np.array([1, -2, 3, 4, 5]) / 100


def test_paired_t_matches_the_hand_value_and_scipy_ttest_rel():
    result = paired_comparison(A, B)
    assert result.n == 5 and result.test == "t"
    assert result.difference == pytest.approx(0.022)
    assert result.p_value == pytest.approx(0.1509, abs=1e-4)
    assert result.p_value == pytest.approx(stats.ttest_rel(A, B).pvalue, rel=1e-10)
    half = stats.t.ppf(0.975, 4) * 0.02774887 / math.sqrt(5)
    assert (result.low, result.high) == pytest.approx((0.022 - half, 0.022 + half), abs=1e-7)


def test_wilcoxon_matches_the_exact_hand_value_and_scipy():
    result = paired_comparison(A, B, test="wilcoxon")
    assert result.p_value == pytest.approx(0.1875)
    assert result.p_value == pytest.approx(stats.wilcoxon(A, B).pvalue)


def test_one_pair_cannot_be_tested_and_nan_pairs_are_dropped():
    result = paired_comparison([0.8, np.nan], [0.7, 0.6])
    assert result.n == 1
    assert result.difference == pytest.approx(0.1)
    assert math.isnan(result.p_value) and math.isnan(result.low) and math.isnan(result.high)


# -- tables over seeds ------------------------------------------------------------------------
def _per_seed_table():
    """Two autoencoder configurations (latent 2, 8) x 3 seeds and one PCA baseline without a seed."""
    rows = [{"dataset": "digits", "latent_dim": 2, "method": "autoencoder", "seed": s, "variant": f"l2_s{s}",
             "accuracy": v, "nmi": 0.5} for s, v in enumerate(THREE_SEEDS)]
    rows += [{"dataset": "digits", "latent_dim": 8, "method": "autoencoder", "seed": s, "variant": f"l8_s{s}",
              "accuracy": v, "nmi": 0.6 + s / 100} for s, v in enumerate([0.90, 0.90, 0.93])]
    rows.append({"dataset": "digits", "latent_dim": 2, "method": "pca", "seed": None, "variant": None,
                 "accuracy": 0.75, "nmi": 0.4})
    table = pd.DataFrame(rows)
    table["seed"] = table["seed"].astype("Int64")
    return table


def test_aggregate_gives_one_row_per_configuration_with_its_seed_count_and_interval():
    keys = ["dataset", "latent_dim", "method", "seed", "variant"]
    aggregated = aggregate_over_seeds(_per_seed_table(), keys, ["accuracy", "nmi"])
    assert list(aggregated.columns[:3]) == ["dataset", "latent_dim", "method"]
    assert list(aggregated["n_seeds"]) == [3, 3, 1]
    assert list(aggregated["latent_dim"]) == [2, 8, 2]
    assert list(aggregated["method"]) == ["autoencoder", "autoencoder", "pca"]
    first = aggregated.iloc[0]
    assert first["accuracy_mean"] == pytest.approx(0.82) and first["accuracy_std"] == pytest.approx(0.02)
    assert (first["accuracy_ci_low"], first["accuracy_ci_high"]) == pytest.approx(THREE_SEEDS_CI, abs=1e-6)
    # nmi 0.60, 0.61, 0.62 at latent 8: mean 0.61, s = 0.01.
    second = aggregated.iloc[1]
    assert second["nmi_mean"] == pytest.approx(0.61) and second["nmi_std"] == pytest.approx(0.01)
    baseline = aggregated.iloc[2]
    assert baseline["accuracy_mean"] == 0.75
    assert baseline[["accuracy_std", "accuracy_ci_low", "accuracy_ci_high"]].isna().all()


def test_aggregate_refuses_two_rows_of_one_seed_in_a_configuration():
    with pytest.raises(ValueError, match="rows differ beyond"):
        aggregate_over_seeds(_per_seed_table(), ["dataset", "method"], ["accuracy"])


def test_factor_effects_average_over_the_other_factors_within_each_seed_first():
    # tanh: latent 2 = 0.70, 0.74, 0.72 and latent 8 = 0.90, 0.90, 0.96 over seeds 0, 1, 2
    # -> per-seed means 0.80, 0.82, 0.84 -> 0.82 [0.770317, 0.869683].
    # relu: latent 2 = 0.60, 0.64, 0.62 and latent 8 = 0.80 -> per-seed means 0.70, 0.72, 0.71
    # -> 0.71, s = 0.01, half-width 4.3027 * 0.01 / sqrt 3 = 0.024841.
    values = {("tanh", 2): [0.70, 0.74, 0.72], ("tanh", 8): [0.90, 0.90, 0.96],
              ("relu", 2): [0.60, 0.64, 0.62], ("relu", 8): [0.80, 0.80, 0.80]}
    rows = [{"dataset": "digits", "activation": a, "latent_dim": k, "seed": s, "psnr": v}
            for (a, k), seeds in values.items() for s, v in enumerate(seeds)]
    rows.append({"dataset": "digits", "activation": None, "latent_dim": 2, "seed": None, "psnr": 0.5})
    effects = factor_effects(pd.DataFrame(rows), "activation", "psnr", keys=["dataset"])
    assert list(effects["activation"]) == ["tanh", "relu"]
    assert list(effects["n_seeds"]) == [3, 3] and list(effects["n_rows"]) == [6, 6]
    tanh, relu = effects.iloc[0], effects.iloc[1]
    assert tanh["psnr_mean"] == pytest.approx(0.82) and tanh["psnr_std"] == pytest.approx(0.02)
    assert (tanh["psnr_ci_low"], tanh["psnr_ci_high"]) == pytest.approx(THREE_SEEDS_CI, abs=1e-6)
    assert relu["psnr_mean"] == pytest.approx(0.71)
    assert (relu["psnr_ci_low"], relu["psnr_ci_high"]) == pytest.approx((0.685159, 0.734841), abs=1e-6)


# -- formatting -------------------------------------------------------------------------------
@pytest.mark.parametrize("numbers, kind, text", [
    ((0.81234, 0.80111, 0.82345), "accuracy", "0.812 [0.801, 0.823]"),
    ((0.81234, math.nan, math.nan), "accuracy", "0.812 (n=1)"),
    ((21.4567, 20.9, 22.0149), "psnr", "21.46 [20.90, 22.01]"),
    ((12.3456, 11.87, 12.91), "error", "12.3 [11.9, 12.9]"),
    ((0.00123456, 0.0011, 0.0013), "error", "0.00123 [0.00110, 0.00130]"),
    ((1234.6, 1200.2, 1300.0), "error", "1235 [1200, 1300]"),
    ((math.nan, math.nan, math.nan), "accuracy", ""),
])
def test_format_interval(numbers, kind, text):
    assert format_interval(*numbers, kind) == text


def test_an_interval_is_cut_at_the_range_of_its_quantity():
    # The objectives study's beta-VAE k-NN accuracy over three seeds, as once printed.
    assert format_interval(0.366, -0.486, 1.218, "accuracy", (0.0, 1.0)) == "0.366 [0.000, 1.000]"
    assert format_interval(0.366, -0.486, 1.218, "accuracy") == "0.366 [-0.486, 1.218]"
    assert format_interval(1.5, -0.2, 3.2, "error", (0.0, math.inf)) == "1.50 [0.00, 3.20]"
