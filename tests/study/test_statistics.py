"""Intervals, paired tests and claims against hand-worked values and scipy.stats."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from study.bootstrap import bootstrap_interval
from study.statistics import (aggregate_over_seeds, claim, factor_effects, format_interval, holm,
                              holm_adjusted, paired_comparison, seeds_needed, t_interval)

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
    assert result.n == 5 and result.test == "t" and result.testable
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
    assert result.n == 1 and not result.testable
    assert result.difference == pytest.approx(0.1)
    assert math.isnan(result.p_value) and math.isnan(result.low) and math.isnan(result.high)


# -- claims -----------------------------------------------------------------------------------
def _compare(differences, test="t"):
    b = np.full(len(differences), 0.5)
    return paired_comparison(b + np.array(differences), b, test=test)


# d = 0.02, 0.03, 0.025: mean 0.025, s = 0.005, half-width 4.3027 * 0.005 / sqrt 3 = 0.012421,
# T = 0.025 / (0.005 / sqrt 3) = 8.660 on 2 df, p = 0.0131.
WINS = [0.02, 0.03, 0.025]


def test_a_claim_that_a_beats_b():
    assert (claim("AE", "PCA", "k-means accuracy", _compare(WINS))
            == "AE beats PCA on k-means accuracy by 0.025 [0.013, 0.037] (paired t, p = 0.013, n = 3 seeds)")


def test_the_winner_depends_on_the_metric_direction():
    losses = _compare([-d for d in WINS])
    assert (claim("AE", "PCA", "squared error", losses, higher_is_better=False)
            == "AE beats PCA on squared error by 0.025 [0.013, 0.037] (paired t, p = 0.013, n = 3 seeds)")
    assert (claim("AE", "PCA", "accuracy", losses)
            == "PCA beats AE on accuracy by 0.025 [0.013, 0.037] (paired t, p = 0.013, n = 3 seeds)")


def test_no_clear_difference_when_the_interval_crosses_zero():
    # d = 0.01, -0.02, 0.015: mean 0.001667, s = 0.018930, half-width 0.047024; p = 0.893.
    assert (claim("tanh", "relu", "NMI", _compare([0.01, -0.02, 0.015]))
            == "no clear difference between tanh and relu on NMI: 0.002 [-0.045, 0.049] crosses zero "
               "(paired t, p = 0.893, n = 3 seeds)")


def test_wilcoxon_on_three_seeds_never_claims_a_difference():
    # All three differences positive: the smallest two-sided p is 2 / 2^3 = 0.25.
    assert (claim("AE", "PCA", "accuracy", _compare(WINS, test="wilcoxon"))
            == "no clear difference between AE and PCA on accuracy: 0.025 [0.013, 0.037] excludes zero "
               "but p >= 0.05 (Wilcoxon signed-rank, p = 0.250, n = 3 seeds)")


def test_one_seed_cannot_be_tested():
    assert (claim("AE", "PCA", "PSNR", paired_comparison([21.0], [20.0]))
            == "AE vs PCA on PSNR cannot be tested: only one seed")


# -- many comparisons: Holm's adjustment and the seeds a claim would need ----------------------
def test_holm_adjusted_worked_by_hand():
    # Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4, the NaN not counted): 4 x 0.005 = 0.02,
    # 3 x 0.01 = 0.03, 2 x 0.03 = 0.06, 1 x 0.04 = 0.04 -> 0.06 (never below an earlier one).
    np.testing.assert_allclose(holm_adjusted([0.01, 0.04, np.nan, 0.03, 0.005]),
                               [0.03, 0.06, np.nan, 0.06, 0.02])
    np.testing.assert_allclose(holm_adjusted([0.5, 0.9]), [1.0, 1.0])  # capped at 1
    assert holm_adjusted([]).shape == (0,)


def test_holm_keeps_the_chance_of_any_false_claim_under_five_percent():
    # 20 true null hypotheses per family (uniform p-values), 4,000 families: without the
    # adjustment 1 - 0.95^20 = 64% of families hold a false rejection; with it, at most 5%.
    p = np.random.default_rng(0).random((4000, 20))
    any_false = np.mean([(holm_adjusted(family) < 0.05).any() for family in p])
    assert (p < 0.05).any(axis=1).mean() > 0.6
    assert 0.03 < any_false <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 4000)


def test_a_difference_the_adjustment_does_not_support_is_no_clear_difference():
    # p = 0.0131 alone is a claim; as one of five tests of equal p, Holm gives 5 x 0.0131 = 0.065.
    family = holm([_compare(WINS)] * 5)
    assert [c.tests for c in family] == [5] * 5
    assert family[0].adjusted_p == pytest.approx(5 * _compare(WINS).p_value)
    # d = 0.025, s = 0.005: T = 5 sqrt(n); 5 x 2 P(T_{n-1} > 5 sqrt(n)) < 0.05 from n = 4 on.
    assert (claim("AE", "PCA", "k-means accuracy", family[0])
            == "no clear difference between AE and PCA on k-means accuracy: 0.025 [0.013, 0.037] excludes zero "
               "but the adjusted p >= 0.05 (paired t, p = 0.013, Holm-adjusted over 5 tests p = 0.065, "
               "n = 3 seeds); with this mean and spread it would hold with 4 seeds")
    assert claim("AE", "PCA", "k-means accuracy", holm([_compare(WINS)])[0]).startswith("AE beats PCA")


@pytest.mark.parametrize("differences, tests", [(WINS, 5), (WINS, 200), ([0.02, 0.03, -0.01], 1),
                                                ([0.02, 0.03, -0.01], 30)])
def test_seeds_needed_is_the_first_count_that_would_hold(differences, tests):
    c = _compare(differences)._replace(tests=tests)
    needed = seeds_needed(c)

    def holds(n):
        return tests * 2 * stats.t.sf(abs(c.difference) / (c.std / math.sqrt(n)), n - 1) < 0.05

    assert needed is not None and holds(needed) and not holds(needed - 1)


def test_no_seed_count_is_given_without_a_spread_or_past_the_limit():
    assert seeds_needed(_compare([0.01, 0.01, 0.01])) is None  # no spread to extrapolate
    assert seeds_needed(_compare([0.01, -0.02, 0.015])) is None  # past 100 seeds
    assert seeds_needed(_compare(WINS, test="wilcoxon")) is None


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


def test_a_comparison_holds_when_its_p_and_its_interval_say_so():
    c = paired_comparison([1.0, 1.1, 0.9, 1.05], [0.0, 0.1, -0.1, 0.0])
    assert c.holds and c.p_value < 0.05
    assert not c._replace(adjusted_p=0.2).holds  # the adjusted p decides once there is one
    assert not c._replace(low=-0.1).holds  # an interval across zero never holds
    assert not paired_comparison([1.0, -1.0, 1.1], [0.0, 0.0, 0.0]).holds
