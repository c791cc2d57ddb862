"""The error rates of the two-stage design as built, by simulation on seed distributions whose
truth is known (issue 42, item 4).

Each simulated study has M primary questions (as the default config has per dataset: 5 metrics
at 4 latent sizes, and noise questions), each an autoencoder against a fixed baseline (PCA),
answered as the workflow answers it (study.confirmation, study.verdicts):

1. exploration: K configurations, 3 seeds each; a seed's validation and test values share its
   training noise; the configuration of best validation mean is chosen;
2. planning: the chosen configuration's mean difference and the upper bound of the spread pooled
   over the K configurations (planning_spread) give each question its fresh seeds
   (planned_seeds), up to max_seeds;
3. confirmation: that many fresh seeds of the chosen configuration, never the choosing ones;
4. verdicts: t intervals at level 1 - alpha / M (interval_level, t_intervals, verdicts: what
   decide() reads a verdict off).

Each rate is estimated from R simulated studies and checked with room for the simulation's own
error (its binomial standard error at R: under 0.011 for a rate near 5%).
"""
import numpy as np
import pytest

from study.confirmation import planned_seeds, planning_spread
from study.verdicts import BETTER, EQUIVALENT, UNDECIDED, WORSE, interval_level, t_intervals, verdicts

R, M, K, EXPLORATION_SEEDS = 500, 24, 9, 3
ALPHA, MARGIN, SIGMA = 0.05, 0.02, 0.012
CONFIRM = {"enabled": True, "seeds": None, "max_seeds": 10, "power": 0.8}


def simulate(true_differences, seed=0, confirm=CONFIRM, at_the_plan=False):
    """Verdicts, intervals, planned seeds and the chosen configurations' true differences of R
    studies of M questions; ``true_differences`` (K,) or (R, M, K): each configuration's true
    difference from the baseline (higher is better). ``at_the_plan``: the fresh seeds' true
    difference is the one the plan assumed (the exploration's mean), not the configuration's."""
    rng = np.random.default_rng(seed)
    truth = np.broadcast_to(np.asarray(true_differences, float), (R, M, K))
    # Exploration: one training noise per seed, shared by the validation and test values, plus
    # each split's own smaller noise.
    training = rng.normal(0, SIGMA, (R, M, K, EXPLORATION_SEEDS))
    validation = truth[..., None] + training + rng.normal(0, SIGMA / 3, training.shape)
    test = truth[..., None] + training + rng.normal(0, SIGMA / 3, training.shape)
    chosen = np.argmax(validation.mean(axis=-1), axis=-1)  # (R, M)
    pick = np.take_along_axis
    chosen_test = pick(test, chosen[..., None, None], axis=2)[:, :, 0]  # (R, M, seeds)
    pooled = np.sqrt(test.var(axis=-1, ddof=1).mean(axis=-1))  # over the K configurations
    level = interval_level(ALPHA, M)
    spread = planning_spread(pooled, K * (EXPLORATION_SEEDS - 1))
    seeds = planned_seeds(chosen_test.mean(axis=-1), spread, MARGIN, level, confirm)
    # Confirmation: fresh seeds of the chosen configuration, each as noisy as an exploration one.
    chosen_truth = chosen_test.mean(axis=-1) if at_the_plan else pick(truth, chosen[..., None], axis=2)[..., 0]
    fresh = chosen_truth[..., None] + rng.normal(0, np.hypot(SIGMA, SIGMA / 3), (R, M, confirm["max_seeds"]))
    verdict = np.full((R, M), UNDECIDED, dtype=object)
    low, high = np.full((R, M), np.nan), np.full((R, M), np.nan)
    for n in np.unique(seeds[seeds >= 2]):
        where = seeds == n
        _, _, low[where], high[where] = t_intervals(fresh[where][:, :n], level, (-1, 1))
        verdict[where] = verdicts(low[where], high[where], MARGIN)
    return verdict, low, high, seeds, chosen_truth


#: The plan as the default config makes it, and a fixed count (every question answered).
PLANS = [CONFIRM, {**CONFIRM, "seeds": 6}]


@pytest.mark.parametrize("confirm", PLANS, ids=["planned", "six seeds"])
def test_no_false_difference_when_every_null_holds(confirm):
    """Every configuration equal to the baseline: any "better" is false; the chance of one or
    more in a study of M questions stays under alpha."""
    verdict, *_ = simulate(np.zeros(K), confirm=confirm)
    any_false = np.mean(((verdict == BETTER) | (verdict == WORSE)).any(axis=1))
    assert any_false <= ALPHA + 0.015, any_false


@pytest.mark.parametrize("confirm", PLANS, ids=["planned", "six seeds"])
def test_no_false_equivalence_at_the_margin(confirm):
    """Every configuration exactly one margin better: "equivalent" is false; the chance of one
    or more in a study stays under alpha (the choice on validation can only pick one at the
    margin, as all are)."""
    verdict, *_ = simulate(np.full(K, MARGIN), confirm=confirm)
    any_false = np.mean((verdict == EQUIVALENT).any(axis=1))
    assert any_false <= ALPHA + 0.015, any_false


def test_power_at_the_effect_size_it_planned_for():
    """Where the truth is what the plan assumed (the exploration's mean difference; the spread
    at most the bound it assumed), the questions it planned seeds for are decided in 80% or more
    of the cases: each is planned for exactly that chance, at least."""
    truths = np.linspace(-0.04, 0.04, K)
    verdict, _, _, seeds, _ = simulate(truths, seed=1, at_the_plan=True)
    planned = seeds > 0
    assert planned.mean() > 0.3  # some questions are decidable within max_seeds, some not
    rate = np.mean(verdict[planned] != UNDECIDED)
    assert rate >= 0.8, rate


@pytest.mark.parametrize("difference", [0.035, -0.035])
def test_power_at_a_real_difference(difference):
    """With the exploration's noise in the plan (the winner's curse inflates the chosen one's
    mean, three seeds a spread): where every configuration is 0.035 (1.75 margins) better or
    worse than the baseline, 80% or more of the questions planned seeds are decided, rightly."""
    verdict, _, _, seeds, _ = simulate(np.full(K, difference), seed=1)
    planned = seeds > 0
    assert planned.mean() > 0.3  # decidable, and the plan finds it so (more often above: the curse helps it)
    rate = np.mean(verdict[planned] == (BETTER if difference > 0 else WORSE))
    assert rate >= 0.8, rate


def test_intervals_cover_the_chosen_configurations_true_difference():
    """A study's M intervals cover their M true differences together in about 95% of the
    studies (at least 95%, since Bonferroni's bound is conservative), with configurations
    whose truths differ, so that the choice on validation matters."""
    truths = np.linspace(-0.03, 0.03, K)
    _, low, high, seeds, truth = simulate(truths, seed=2, confirm={**CONFIRM, "seeds": 6})
    covered = (low <= truth) & (truth <= high)
    joint = np.mean(covered.all(axis=1))
    assert joint >= 1 - ALPHA - 0.015, joint
    assert np.mean(covered) >= 1 - ALPHA / M - 0.002  # each interval at its level
