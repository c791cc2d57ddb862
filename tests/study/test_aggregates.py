"""An analysis' table over training seeds: one row per configuration, the pivots a person reads
and the effect of each factor, against values worked out by hand or computed independently."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from study.aggregates import (CONFIGURATION, configuration_of, configuration_values, configurations_table, factors,
                              pivots, pivots_markdown)
from study.analyses import ANALYSES, Metric
from study.tables import COLUMNS, metric_values

ACCURACY = Metric("accuracy", "accuracy", unit_interval=True)


def test_configuration_of_drops_the_training_seed_only():
    assert configuration_of("mlp_latent16_tanh_noise0.25_seed2") == "mlp_latent16_tanh_noise0.25"
    assert configuration_of("conv_latent2_relu_noise0_seed10") == "conv_latent2_relu_noise0"
    assert [configuration_of(name) for name in ("pca16", "pixels", "noisy")] == ["pca16", "pixels", "noisy"]


# -- configurations_table ---------------------------------------------------------------------
@pytest.mark.parametrize("analysis", sorted(ANALYSES))
def test_one_row_per_configuration_split_and_key_with_the_seeds_counted(fake_tables, fake_grid, analysis):
    table, keys = fake_tables[analysis], list(ANALYSES[analysis].keys)
    aggregated = configurations_table(table, keys)
    groups = CONFIGURATION + ["split", *keys]
    assert list(aggregated.columns[:len(groups)]) == groups
    assert not aggregated.duplicated(groups).any()
    # As many rows as the per-seed table has once its seeds are dropped.
    per_seed = table.assign(configuration=table["representation"].map(configuration_of))
    assert len(aggregated) == len(per_seed.drop_duplicates(["dataset", "configuration", "split", *keys]))
    grid = fake_grid["grid"]
    autoencoders = aggregated[aggregated["method"] == "autoencoder"]
    n_configurations = len(grid["family"]) * len(grid["latent_dim"]) * len(grid["activation"]) * len(grid["noise"])
    n_keys = len(per_seed[per_seed["method"] == "autoencoder"].drop_duplicates(keys)) if keys else 1
    assert len(autoencoders) == 2 * n_configurations * 2 * n_keys  # datasets x configurations x splits x keys
    assert (autoencoders["n_seeds"] == len(grid["seed"])).all()
    assert (aggregated.loc[aggregated["method"] != "autoencoder", "n_seeds"] == 1).all()
    assert not autoencoders["configuration"].str.contains("_seed").any()
    # Every metric gets its mean, std and interval; the per-seed bootstrap bounds and counts do not.
    metrics = [m.column for m in ANALYSES[analysis].metrics.values()]
    for metric in metrics:
        assert {f"{metric}_{s}" for s in ("mean", "std", "ci_low", "ci_high")} <= set(aggregated.columns)
    assert not [c for c in aggregated.columns if c.endswith(("_low_mean", "_high_mean", "n_samples_mean"))]
    assert list(aggregated.columns[-1:]) == ["n_seeds"]


def test_a_configuration_s_mean_and_interval_equal_an_independent_computation(fake_tables):
    table = fake_tables["kmeans"]
    aggregated = configurations_table(table, ["preprocessing"])
    row = aggregated[(aggregated["dataset"] == "mnist") & (aggregated["configuration"] == "mlp_latent8_tanh_noise0.5")
                     & (aggregated["split"] == "test") & (aggregated["preprocessing"] == "whitened")]
    assert len(row) == 1
    row = row.iloc[0]
    seeds = table.loc[(table["dataset"] == "mnist") & (table["split"] == "test")
                      & (table["preprocessing"] == "whitened")
                      & table["representation"].isin(["mlp_latent8_tanh_noise0.5_seed0",
                                                      "mlp_latent8_tanh_noise0.5_seed1"]), "accuracy"].to_numpy()
    assert len(seeds) == 2 and seeds[0] != seeds[1]
    low, high = stats.t.interval(0.95, len(seeds) - 1, loc=seeds.mean(), scale=stats.sem(seeds))
    assert row["accuracy_mean"] == pytest.approx(seeds.mean())
    assert row["accuracy_std"] == pytest.approx(seeds.std(ddof=1))
    assert (row["accuracy_ci_low"], row["accuracy_ci_high"]) == pytest.approx((low, high))
    assert (row["family"], row["latent_dim"], row["activation"], row["noise"]) == ("mlp", 8, "tanh", 0.5)
    # Another confidence, a narrower interval around the same mean.
    narrow = configurations_table(table, ["preprocessing"], confidence=0.5).loc[row.name]
    assert narrow["accuracy_mean"] == row["accuracy_mean"]
    assert row["accuracy_ci_low"] < narrow["accuracy_ci_low"] < narrow["accuracy_ci_high"] < row["accuracy_ci_high"]
    # A baseline is a configuration of one seed: no interval.
    pca = aggregated[(aggregated["dataset"] == "mnist") & (aggregated["configuration"] == "pca8")
                     & (aggregated["split"] == "test") & (aggregated["preprocessing"] == "none")].iloc[0]
    assert pca["n_seeds"] == 1 and math.isnan(pca["accuracy_ci_low"]) and math.isnan(pca["accuracy_std"])


def test_configuration_values_of_a_metric(fake_tables):
    metric = ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    values = configuration_values(metric_values(fake_tables["kmeans"], metric))
    assert list(values.columns) == CONFIGURATION + ["mean", "low", "high", "n_seeds"]
    row = values[(values["dataset"] == "digits") & (values["configuration"] == "mlp_latent2_relu_noise0")].iloc[0]
    # Test split, seeds 0 and 1: 0.4 + 0.3 * 2 / 8 - 0.01 * seed.
    assert row["mean"] == pytest.approx(0.47) and row["n_seeds"] == 2
    assert (row["low"], row["high"]) == pytest.approx(stats.t.interval(0.95, 1, loc=0.47, scale=0.005))


# -- pivots and factors -----------------------------------------------------------------------
def _values(cells, pca=None):
    """metric_values-like rows of digits: ``cells[(activation, latent_dim, noise)]`` lists a value
    per seed; ``pca[latent_dim]`` PCA's value."""
    rows = [{"dataset": "digits", "representation": f"mlp_latent{k}_{a}_noise{n:g}_seed{s}", "method": "autoencoder",
             "family": "mlp", "latent_dim": k, "activation": a, "noise": n, "seed": s, "value": v}
            for (a, k, n), seeds in cells.items() for s, v in enumerate(seeds)]
    rows += [{"dataset": "digits", "representation": f"pca{k}", "method": "pca", "family": None, "latent_dim": k,
              "activation": None, "noise": None, "seed": None, "value": v} for k, v in (pca or {}).items()]
    values = pd.DataFrame(rows, columns=COLUMNS + ["value"])
    values["seed"] = values["seed"].astype("Int64")
    values["latent_dim"] = values["latent_dim"].astype("Int64")
    return values


def test_pivot_cells_are_the_mean_and_t_interval_over_seeds():
    # Seeds 0.80, 0.82, 0.84: mean 0.82, s = 0.02, half-width 4.3027 * 0.02 / sqrt 3 = 0.049683.
    values = _values({("tanh", 2, 0.0): [0.80, 0.82, 0.84], ("tanh", 2, 0.5): [0.70],
                      ("tanh", 8, 0.0): [0.9, 0.9, 0.9], ("relu", 8, 0.5): [0.5, 0.6, 0.7]},
                     pca={2: 0.6, 8: 0.75})
    blocks = pivots(values, ACCURACY)
    assert [heading for heading, _ in blocks] == ["digits, mlp, tanh", "digits, mlp, relu"]
    tanh = blocks[0][1]
    assert list(tanh.columns) == ["latent", "noise 0", "noise 0.5", "PCA"]
    # PCA, of no training seed, is one value: no interval. A configuration not run: no cell.
    assert tanh.fillna("").to_dict("records") == [
        {"latent": 2, "noise 0": "0.820 [0.770, 0.870]", "noise 0.5": "0.700 (n=1)", "PCA": "0.600 (n=1)"},
        {"latent": 8, "noise 0": "0.900 [0.900, 0.900]", "noise 0.5": "", "PCA": "0.750 (n=1)"}]
    # relu: 0.6, s = 0.1, half-width 0.248414.
    assert blocks[1][1].to_dict("records") == [
        {"latent": 8, "noise 0.5": "0.600 [0.352, 0.848]", "PCA": "0.750 (n=1)"}]


def test_pivot_cells_of_a_psnr_have_two_decimals():
    psnr = Metric("psnr", "PSNR", kind="psnr")
    [(_, wide)] = pivots(_values({("tanh", 2, 0.0): [20.0, 21.0, 22.0]}), psnr)
    # mean 21, s = 1, half-width 4.3027 / sqrt 3 = 2.4841.
    assert wide.loc[0, "noise 0"] == "21.00 [18.52, 23.48]" and wide.loc[0, "PCA"] == ""


# value = 0.70 (tanh) or 0.60 (relu) + 0.1 at latent 8 + 0.05 at noise 0.5 + 0.01 * seed, seeds 0-2.
FACTOR_VALUES = {(a, k, n): [base + 0.1 * (k == 8) + 0.05 * (n == 0.5) + 0.01 * s for s in range(3)]
                 for a, base in (("tanh", 0.70), ("relu", 0.60)) for k in (2, 8) for n in (0.0, 0.5)}


def test_factor_effects_average_the_other_factors_within_each_seed():
    effects = factors(_values(FACTOR_VALUES, pca={2: 0.1, 8: 0.2}), ACCURACY)
    assert list(effects.columns) == ["dataset", "factor", "level", "accuracy", "n_seeds", "n_rows"]
    # Per seed, tanh averages 0.70 + 0.05 + 0.025 + 0.01 s = 0.775, 0.785, 0.795 over its 4
    # configurations: 0.785, s = 0.01, half-width 4.3027 * 0.01 / sqrt 3 = 0.024841. Likewise
    # relu 0.1 lower, noise 0: 0.70 + 0.05 + 0.01 s, latent 2: 0.65 + 0.025 + 0.01 s. A single
    # family has no effect to show; PCA is no level of any factor.
    assert effects[["factor", "level", "accuracy"]].values.tolist() == [
        ["activation", "tanh", "0.785 [0.760, 0.810]"], ["activation", "relu", "0.685 [0.660, 0.710]"],
        ["noise", "0.0", "0.710 [0.685, 0.735]"], ["noise", "0.5", "0.760 [0.735, 0.785]"],
        ["latent_dim", "2", "0.685 [0.660, 0.710]"], ["latent_dim", "8", "0.785 [0.760, 0.810]"]]
    assert (effects["n_seeds"] == 3).all() and (effects["n_rows"] == 12).all()
    assert (effects["dataset"] == "digits").all()


def test_no_factor_with_two_levels_gives_no_effects():
    assert factors(_values({("tanh", 2, 0.0): [0.5, 0.6]}), ACCURACY).empty


@pytest.mark.parametrize("analysis", sorted(ANALYSES))
def test_pivots_markdown_has_each_metric_s_pivots_and_factors(fake_tables, analysis):
    text = pivots_markdown(fake_tables[analysis], ANALYSES[analysis], confidence=0.9)
    assert text.startswith(f"# {analysis}: means over training seeds with 90% intervals\n")
    metrics = ANALYSES[analysis].metrics.values()
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [
        f"{m.label} ({'higher' if m.higher_is_better else 'lower'} is better)" for m in metrics]
    # Per metric, one pivot per dataset and activation (one family), then the factors.
    assert text.count("\n### ") == len(metrics) * (2 * 2 + 1)


def test_pivots_markdown_of_an_analysis_reads_the_test_split(fake_tables):
    text = pivots_markdown(fake_tables["kmeans"], ANALYSES["kmeans"])
    assert text.startswith("# kmeans: means over training seeds with 95% intervals\n")
    for metric in ANALYSES["kmeans"].metrics.values():
        direction = "higher" if metric.higher_is_better else "lower"
        assert f"## {metric.label} ({direction} is better)\n" in text
    assert text.count("### digits, mlp, tanh") == len(ANALYSES["kmeans"].metrics)
    assert text.count("### Effect of each factor, averaged over the others") == len(ANALYSES["kmeans"].metrics)
    # k-means accuracy of digits, tanh, latent 8, noise 0.5 on test: 0.80 and 0.79 (seeds 0, 1).
    accuracy = text.split("## k-means NMI")[0].split("### digits, mlp, tanh")[1]
    line = next(line for line in accuracy.splitlines() if line.startswith("|") and line.split("|")[1].strip() == "8")
    low, high = stats.t.interval(0.95, 1, loc=0.795, scale=0.005)
    assert f"0.795 [{low:.3f}, {high:.3f}]" in line and "0.580 (n=1)" in line  # and PCA 8
    # Tables a terminal shows without wrapping.
    assert max(len(line) for line in text.splitlines() if line.startswith("|")) <= 100
