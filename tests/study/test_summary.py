"""The summary: the study's answers, every choice made on the validation split and reported on
the test split with its interval over seeds, and claims worded by paired comparisons."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from study.aggregates import configuration_of
from study.analyses import ANALYSES
from study.representations import describe
from study.results import document
from study.statistics import claim, format_interval, format_number, holm, paired_comparison, t_interval
from study.summary import summary_html, summary_markdown
from study.summary.choice import chosen_on_validation, model_free
from study.summary.claims import claims, paired_tests
from study.summary.sections import (best_variants_table, noise_effect_table, versus_family_table, versus_kmeans_table,
                                    versus_objective_table, versus_pca_table)
from study.tables import analysis_table, classifiers_table

DATASETS = ["digits", "mnist"]
METRICS = [(analysis, metric) for analysis in ANALYSES.values() for metric in analysis.metrics.values()]


def test_model_free_baseline_of_each_analysis():
    """Raw pixels where the analysis applies to them, else its own first baseline, else none."""
    for analysis in ANALYSES.values():
        own = analysis.own_baselines
        expected = "pixels" if "pixels" in analysis.baselines else own[0] if own else None
        assert model_free(analysis) == expected, analysis.name
    assert [model_free(ANALYSES[name]) for name in ("reconstruction", "kmeans", "denoising", "interpolation")] == [
        None, "pixels", "noisy", "blend"]


# -- an independent computation of what the summary chooses and reports ------------------------
def _by_configuration(table, metric, dataset, split, method="autoencoder", **where):
    """{configuration: {seed: value}} of `metric` on one split, computed from the raw table:
    the metric's rows (its ``where``), averaged per representation, grouped by configuration."""
    rows = table[(table["dataset"] == dataset) & (table["split"] == split) & (table["method"] == method)]
    for column, value in (*metric.where, *where.items()):
        rows = rows[rows[column] == value]
    per_representation = rows.groupby("representation", sort=False)[metric.column].mean()
    configurations = {}
    for representation, value in per_representation.items():
        seed = int(representation.rsplit("_seed", 1)[1]) if "_seed" in representation else 0
        configurations.setdefault(representation.rsplit("_seed", 1)[0], {})[seed] = value
    return configurations


def _best(configurations, higher_is_better):
    means = {name: np.mean(list(seeds.values())) for name, seeds in configurations.items()}
    return (max if higher_is_better else min)(means, key=means.get)


def _test_cell(seeds, metric):
    interval = t_interval(list(seeds.values()))
    return format_interval(interval.mean, interval.low, interval.high, metric.number_kind)


# -- selection on validation -----------------------------------------------------------------
def test_the_best_variant_is_chosen_on_validation_and_reported_on_test(fake_tables):
    """The fake tables' validation split favours ReLU, their test split tanh: for every metric the
    table names the validation-best configuration (not the test-best) with its test mean."""
    table = best_variants_table(fake_tables, DATASETS)
    assert len(table) == len(DATASETS) * len(METRICS)
    for analysis, metric in METRICS:
        for dataset in DATASETS:
            val = _by_configuration(fake_tables[analysis.name], metric, dataset, "val")
            test = _by_configuration(fake_tables[analysis.name], metric, dataset, "test")
            chosen, test_best = _best(val, metric.higher_is_better), _best(test, metric.higher_is_better)
            assert "_relu_" in chosen and "_tanh_" in test_best, metric.label
            row = table[(table["dataset"] == dataset) & (table["metric"] == metric.label)]
            assert row["chosen on validation"].item() == chosen, (dataset, metric.label)
            assert row["test"].item() == _test_cell(test[chosen], metric), (dataset, metric.label)
            assert row["seeds"].item() == len(test[chosen]) == 2


def test_versus_pca_names_the_validation_best_of_each_size_and_pairs_it_by_seed(fake_tables):
    table = versus_pca_table(paired_tests(fake_tables, DATASETS))
    assert list(table.columns) == ["dataset", "latent", "metric", "autoencoder (chosen on val)", "AE test",
                                   "PCA test", "AE - PCA", "p", "p (Holm)"]
    versus = [(analysis, metric) for analysis, metric in METRICS if metric.versus_pca]
    assert len(table) == len(DATASETS) * len(versus) * 2  # latent sizes 2 and 8
    for analysis, metric in versus:
        for dataset in DATASETS:
            for latent in (2, 8):
                val, test = (_by_configuration(fake_tables[analysis.name], metric, dataset, split,
                                               latent_dim=latent) for split in ("val", "test"))
                chosen = _best(val, metric.higher_is_better)
                assert chosen != _best(test, metric.higher_is_better)
                row = table[(table["dataset"] == dataset) & (table["metric"] == metric.versus_pca)
                            & (table["latent"] == latent)]
                assert row["autoencoder (chosen on val)"].item() == chosen
                assert row["AE test"].item() == _test_cell(test[chosen], metric)
                pca = _by_configuration(fake_tables[analysis.name], metric, dataset, "test", method="pca")
                pca = pca[f"pca{latent}"][0]
                assert row["PCA test"].item() == format_number(pca, metric.number_kind)
                # PCA has no training seed: each seed of the autoencoder is paired with its value.
                differences = np.array(list(test[chosen].values())) - pca
                interval = t_interval(differences)
                assert row["AE - PCA"].item() == format_interval(interval.mean, interval.low, interval.high,
                                                                 metric.number_kind)
                assert row["p"].item() == f"{stats.ttest_1samp(differences, 0.0).pvalue:.3f}"


def test_chosen_on_validation_gives_the_validation_and_test_rows_of_one_configuration(fake_tables):
    metric = ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    validation, test = chosen_on_validation(fake_tables["kmeans"], metric, "digits", latent_dim=2)
    assert validation.name == test.name == "mlp_latent2_relu_noise0.5"
    # Seeds 0, 1 score 0.4 + 0.3 * 2 / 8 + 0.05 - 0.01 * seed on test, 0.1 - 0.02 more on validation.
    assert test["mean"] == pytest.approx(np.mean([0.525, 0.515]))
    assert validation["mean"] == pytest.approx(np.mean([0.605, 0.595]))
    assert test["n_seeds"] == validation["n_seeds"] == 2
    assert (test["low"], test["high"]) == pytest.approx(tuple(t_interval([0.525, 0.515])[2:4]))
    # PCA (its own configuration), and nothing to choose from.
    assert chosen_on_validation(fake_tables["kmeans"], metric, "digits", method="pca")[0].name == "pca8"
    assert chosen_on_validation(fake_tables["kmeans"], metric, "digits", latent_dim=16) is None


def test_best_variants_table(fake_tables):
    # Two raw-pixel classifier configurations of two seeds each: the one whose validation mean is
    # best is reported (hidden32: 0.93 against 0.92), though hidden64 has the best single seed.
    classifiers = classifiers_table([
        ("digits", "hidden64_relu_dropout0_seed0", {"test_accuracy": 0.97, "val_accuracy": 0.95, "epochs_trained": 9}),
        ("digits", "hidden64_relu_dropout0_seed1", {"test_accuracy": 0.96, "val_accuracy": 0.89, "epochs_trained": 9}),
        ("digits", "hidden32_relu_dropout0_seed0", {"test_accuracy": 0.98, "val_accuracy": 0.93, "epochs_trained": 52}),
        ("digits", "hidden32_relu_dropout0_seed1", {"test_accuracy": 0.97, "val_accuracy": 0.93, "epochs_trained": 40})])
    table = best_variants_table(fake_tables, DATASETS, classifiers=classifiers)
    assert list(table.columns) == ["dataset", "metric", "best", "chosen on validation", "test", "seeds",
                                   "PCA, same size", "without a model"]
    # One row per metric of every analysis and dataset, and the classifier of digits.
    assert len(table) == len(DATASETS) * len(METRICS) + 1
    row = table[(table["dataset"] == "digits") & (table["metric"] == "k-means accuracy")].iloc[0]
    # latent 8, relu, noise 0.5 on test: 0.4 + 0.3 + 0.05 - 0.01 * seed for seeds 0 and 1.
    assert row["chosen on validation"] == "mlp_latent8_relu_noise0.5" and row["best"] == "higher"
    interval = t_interval([0.75, 0.74])
    assert row["test"] == format_interval(interval.mean, interval.low, interval.high, "accuracy")
    assert row["test"].startswith("0.745 [")
    # PCA 8 (0.5 + 8 / 100) and raw pixels (0.6), on test, 3 decimals for an accuracy.
    assert row["PCA, same size"] == "0.580" and row["without a model"] == "0.600 (pixels)"
    error = table[(table["dataset"] == "mnist") & (table["metric"].str.startswith("reconstruction squared"))]
    assert error["chosen on validation"].item() == "mlp_latent8_relu_noise0" and error["best"].item() == "lower"
    assert error["without a model"].item() == ""  # reconstruction has no model-free baseline
    assert error["PCA, same size"].item() == "2.00"  # 16 / 8, 3 significant digits
    denoising = table[(table["dataset"] == "digits") & table["metric"].str.startswith("denoising PSNR")]
    assert denoising["without a model"].item().endswith(" (noisy)")
    inpainting = table[(table["dataset"] == "digits") & table["metric"].str.startswith("inpainting PSNR")]
    # The mean image's test PSNR over the two masks: 10 + 10 * 0.6 - 0 and - 1, 2 decimals.
    assert inpainting["without a model"].item() == "15.50 (mean)"
    classifier = table[table["metric"] == "raw-pixel DIY classifier accuracy"]
    # Named with the epochs its seeds trained: a reference cut short would show it.
    assert classifier["chosen on validation"].item() == "(classifier hidden32_relu_dropout0, 40-52 epochs)"
    interval = t_interval([0.98, 0.97])
    assert classifier["test"].item() == format_interval(interval.mean, interval.low, interval.high, "accuracy")
    assert classifier["test"].item().startswith("0.975 [") and classifier["seeds"].item() == 2
    assert classifier["dataset"].item() == "digits"


def test_the_reference_classifier_says_how_long_it_trained(fake_tables):
    classifiers = classifiers_table([("digits", "hidden256_relu_dropout0_seed0",
                                      {"test_accuracy": 0.83, "val_accuracy": 0.84, "epochs_trained": 10})])
    table = best_variants_table(fake_tables, ["digits"], classifiers=classifiers)
    row = table[table["metric"] == "raw-pixel DIY classifier accuracy"]
    assert row["chosen on validation"].item() == "(classifier hidden256_relu_dropout0, 10 epochs)"
    text = summary_markdown(fake_tables, ["digits"], classifiers)
    assert "(classifier hidden256_relu_dropout0, 10 epochs)" in text and "`classifiers.epochs`" in text


def test_one_seed_has_no_interval(fake_tables):
    one_seed = {name: table[table["seed"].isna() | (table["seed"] == 0)] for name, table in fake_tables.items()}
    table = best_variants_table(one_seed, ["digits"])
    row = table[table["metric"] == "k-means accuracy"].iloc[0]
    assert row["test"] == "0.750 (n=1)" and row["seeds"] == 1
    assert set(table["seeds"]) == {1}


def test_noise_effect_table(fake_tables):
    table = noise_effect_table(fake_tables, ["digits"])
    assert list(table.columns) == ["dataset", "test noise", "level", "noisy input", "AE noise 0", "AE noise 0.5",
                                   "PCA"]
    assert len(table) == 4  # 2 kinds x 2 levels
    denoising = fake_tables["denoising"]
    metric = ANALYSES["denoising"].metrics["denoising_psnr"]
    for noise, column in ((0.0, "AE noise 0"), (0.5, "AE noise 0.5")):
        # The configuration of that training noise chosen on the validation PSNR (over test noises).
        chosen = _best(_by_configuration(denoising, metric, "digits", "val", noise=noise), True)
        assert chosen == f"mlp_latent8_relu_noise{noise:g}"
        for _, row in table.iterrows():
            rows = denoising[(denoising["split"] == "test") & (denoising["dataset"] == "digits")
                             & (denoising["representation"].map(configuration_of) == chosen)
                             & (denoising["test_noise_kind"] == row["test noise"])
                             & (denoising["test_noise_level"] == row["level"])]
            assert len(rows) == 2
            assert row[column] == _test_cell(dict(enumerate(rows["psnr"])), metric)
    # The fake denoising autoencoders gain 3 * noise dB: training noise 0.5 is better by 1.5 dB
    # on top of its better score.
    means = lambda column: table[column].str.split().str[0].astype(float)
    assert (means("AE noise 0.5") > means("AE noise 0")).all()
    # The noisy input on the test split (score 0.6 at test level 0.1): 10 + 6 - 0.4.
    assert table.loc[0, "noisy input"] == format_number(10 + 6 - 0.4, "psnr") == "15.60"
    # PCA of the size best on validation (8: 0.58 against 0.52), its test PSNR: 10 + 5.8 - 0.4.
    assert table.loc[0, "PCA"] == "15.40"
    assert noise_effect_table({}, ["digits"]).empty  # no denoising analysis, no table


# -- claims: paired comparisons across seeds ---------------------------------------------------
def _kmeans_table(accuracies, pca=0.5):
    """A k-means table of digits: autoencoders of latent size 8 and no training noise, test
    accuracy ``accuracies[activation][seed]`` (validation: 0.01 less), and PCA 8 at `pca`."""
    documents = []
    for activation, seeds in accuracies.items():
        for seed, value in enumerate(seeds):
            rows = [{"split": split, "preprocessing": "none", "accuracy": value - shift,
                     "accuracy_low": value - shift - 0.02, "accuracy_high": value - shift + 0.02,
                     "nmi": 0.5, "ari": 0.4} for split, shift in (("val", 0.01), ("test", 0.0))]
            name = f"mlp_latent8_{activation}_noise0_seed{seed}"
            documents.append(document("kmeans", "digits", name, describe(name), {}, rows))
    documents.append(document("kmeans", "digits", "pca8", describe("pca8"), {}, [
        {"split": split, "preprocessing": "none", "accuracy": pca, "accuracy_low": pca - 0.02,
         "accuracy_high": pca + 0.02, "nmi": 0.5, "ari": 0.4} for split in ("val", "test")]))
    return analysis_table(documents)


LABEL = "k-means accuracy (averaged over the other factors)"


def test_a_level_that_beats_another_on_every_seed_is_claimed_to_beat_it():
    # tanh - relu = 0.02, 0.01, 0.02 on seeds 0, 1, 2: paired, a clear win, although the seeds
    # differ by far more than that (0.60 to 0.80), which an unpaired comparison would drown in.
    tanh, relu = [0.60, 0.80, 0.70], [0.58, 0.79, 0.68]
    sentences = claims(paired_tests({"kmeans": _kmeans_table({"tanh": tanh, "relu": relu}, pca=0.3)}, ["digits"]))
    assert len(sentences) == 2  # the autoencoder chosen on validation vs PCA 8, then tanh vs relu
    # tanh (chosen on validation) - PCA = 0.3, 0.5, 0.4: 0.4 [0.152, 0.648].
    # Two tests of digits, so Holm doubles the smaller p-value (and keeps the larger).
    assert sentences[0].startswith("digits: mlp_latent8_tanh_noise0 beats PCA 8 on k-means accuracy by 0.400 "
                                   "[0.152, 0.648] (paired t, p = 0.020, Holm-adjusted over 2 tests p = 0.040, "
                                   "n = 3 seeds)")
    versus_pca, comparison = holm([paired_comparison(tanh, [0.3] * 3), paired_comparison(tanh, relu)])
    assert comparison.adjusted_p == max(comparison.p_value, 2 * versus_pca.p_value)
    assert comparison.adjusted_p < 0.05 < stats.ttest_ind(tanh, relu).pvalue
    assert sentences[1] == "digits: " + claim("activation tanh", "activation relu", LABEL, comparison)
    assert sentences[1].startswith("digits: activation tanh beats activation relu on k-means accuracy ")
    assert sentences[1].endswith("n = 3 seeds)")


def test_differences_that_cross_zero_are_no_clear_difference():
    # tanh - relu = 0.06, -0.06, 0.01: the interval crosses zero.
    tanh, relu = [0.81, 0.70, 0.75], [0.75, 0.76, 0.74]
    sentences = claims(paired_tests({"kmeans": _kmeans_table({"tanh": tanh, "relu": relu}, pca=0.74)}, ["digits"]))
    assert sentences[1].startswith("digits: no clear difference between activation tanh and activation relu "
                                   "on k-means accuracy")
    assert " crosses zero " in sentences[1] and "beats" not in sentences[1]
    family = holm([paired_comparison(tanh, [0.74] * 3), paired_comparison(tanh, relu)])
    assert sentences[1] == "digits: " + claim("activation tanh", "activation relu", LABEL, family[1])
    # tanh, chosen on validation (mean 0.753 against 0.750), against PCA at 0.74: 0.07, -0.04, 0.01.
    assert sentences[0].startswith("digits: no clear difference between mlp_latent8_tanh_noise0 and PCA 8 ")


def test_one_seed_cannot_be_tested():
    sentences = claims(paired_tests({"kmeans": _kmeans_table({"tanh": [0.9], "relu": [0.6]})}, ["digits"]))
    assert sentences == [
        "digits: mlp_latent8_tanh_noise0 vs PCA 8 on k-means accuracy cannot be tested: only one seed",
        f"digits: activation tanh vs activation relu on {LABEL} cannot be tested: only one seed"]


def _without_clusterings(tables):
    """The fake study without the clustering analyses beyond k-means (their claims and section
    are tested on their own)."""
    return {name: table for name, table in tables.items() if name not in ("dec", "idec", "manifold")}


def test_claims_of_the_fake_study(fake_tables):
    sentences = claims(paired_tests(_without_clusterings(fake_tables), ["digits"]))
    # Per latent size the autoencoder vs PCA on k-means accuracy, tanh vs relu, noise 0.5 vs 0.
    assert len(sentences) == 2 + 1 + 1 and all(s.startswith("digits: ") for s in sentences)
    # Every tanh variant scores 0.05 more than its relu twin on every seed (on test).
    assert sentences[2].startswith("digits: activation tanh beats activation relu on k-means accuracy "
                                   "(averaged over the other factors) by 0.050 ")
    # Training noise 0.5 adds 0.5 * 0.1 * 10 + 0.5 * 3 = 2 dB, on every seed.
    assert sentences[3].startswith("digits: noise 0.5 beats noise 0 on denoising PSNR (dB), mean over test "
                                   "noises (averaged over the other factors) by 2.00 ")
    assert claims(paired_tests({"reconstruction": fake_tables["reconstruction"]}, ["digits"])) == []


# -- the whole summary -----------------------------------------------------------------------
def test_summary_markdown_and_html(fake_tables):
    fake_tables = _without_clusterings(fake_tables)
    text = summary_markdown(fake_tables, DATASETS)
    assert text.startswith("# Summary of the study\n")
    for heading in ("## Best autoencoder per metric and dataset", "## Autoencoder vs PCA at each latent size",
                    "## Effect of training noise on denoising", "## What the seeds support"):
        assert heading in text
    row = next(line for line in text.splitlines() if "| k-means accuracy " in line and "digits" in line)
    interval = t_interval([0.75, 0.74])
    assert [cell.strip() for cell in row.strip("|").split("|")] == [
        "digits", "k-means accuracy", "higher", "mlp_latent8_relu_noise0.5",
        format_interval(interval.mean, interval.low, interval.high, "accuracy"), "2", "0.580", "0.600 (pixels)"]
    sentences = claims(paired_tests(fake_tables, DATASETS))
    claimed = text.split("## What the seeds support\n")[1]
    assert [line[2:] for line in claimed.splitlines() if line.startswith("- ")] == sentences
    page = summary_html(fake_tables, ["digits"])
    assert page.count("<table") == 3 and page.startswith("<!DOCTYPE html>")
    assert "<code>{family}_latent{size}_{activation}_noise{training noise}_seed{seed}</code>" in page
    digits = [sentence for sentence in sentences if sentence.startswith("digits: ")]
    assert "<h2>What the seeds support</h2>" in page and page.count("<li>") == len(digits) == 4
    assert f"<li>{digits[0]}</li>" in page


def test_a_summary_of_some_analyses_only(fake_tables):
    tables = {name: fake_tables[name] for name in ("kmeans",)}
    text = summary_markdown(tables, ["digits"])
    assert "k-means accuracy" in text and "reconstruction" not in text and "(none)" in text
    claimed = [line for line in text.split("## What the seeds support\n")[1].splitlines() if line.startswith("- ")]
    assert len(claimed) == 3 and not any("denoising" in line for line in claimed)


def _with_conv(table, gain):
    """A fake table with a second family: every MLP autoencoder row again as ``conv``, its
    accuracy higher by ``gain + 0.001 * seed`` on both splits."""
    conv = table[table["family"] == "mlp"].copy()
    conv["representation"] = conv["representation"].str.replace("mlp_", "conv_", n=1)
    conv["family"] = "conv"
    conv["accuracy"] += gain + 0.001 * conv["seed"].astype(float)
    return pd.concat([table, conv], ignore_index=True)


def _assert_gain_of_the_copies(row, column):
    """The row's difference and p are those of copies 0.2 and 0.201 better on the two seeds."""
    difference = paired_comparison([0.2, 0.201], [0.0, 0.0])
    assert row[column] == format_interval(difference.difference, difference.low, difference.high, "accuracy")
    assert row["p"] == f"{difference.p_value:.3f}"


def test_families_are_compared_at_each_latent_size_on_validation_choices(fake_tables):
    tables = {"kmeans": _with_conv(fake_tables["kmeans"], 0.2)}
    table = versus_family_table(paired_tests(tables, ["digits"]))
    accuracy = table[table["metric"] == "k-means acc."].set_index("latent")
    assert list(accuracy.index) == [2, 8]
    # Each family's own validation choice (ReLU, noise 0.5 score best on validation), paired by seed.
    assert accuracy.loc[8, "reference (chosen on val)"] == "mlp_latent8_relu_noise0.5"
    assert accuracy.loc[8, "other family (chosen on val)"] == "conv_latent8_relu_noise0.5"
    _assert_gain_of_the_copies(accuracy.loc[8], "other - reference")
    family_claim = lambda s: "conv_latent" in s and " mlp_latent" in s
    sentences = [s for s in claims(paired_tests(tables, ["digits"])) if family_claim(s)]
    assert len(sentences) == 2 and all(" beats mlp_latent" in s for s in sentences)
    # A tiny gain that flips sign between the seeds is no clear difference.
    tables = {"kmeans": _with_conv(fake_tables["kmeans"], -0.0005)}
    sentences = [s for s in claims(paired_tests(tables, ["digits"])) if family_claim(s)]
    assert len(sentences) == 2 and all(s.startswith("digits: no clear difference") for s in sentences)
    # One family: no comparison, and no section in the summary.
    assert versus_family_table(paired_tests(fake_tables, ["digits"])).empty
    assert "Model families" not in summary_markdown(fake_tables, ["digits"])
    assert "## Model families at each latent size" in summary_markdown(tables, ["digits"])


def _with_vae(table, gain):
    """A fake table with a VAE objective: every MLP autoencoder row of noise 0 again as a
    ``vae`` of beta 4, its accuracy higher by ``gain + 0.001 * seed`` on both splits."""
    vae = table[(table["family"] == "mlp") & (table["noise"] == 0)].copy()
    vae["representation"] = (vae["representation"].str.replace("mlp_", "vae_", n=1)
                             .str.replace("_noise0_", "_beta4_", n=1))
    vae["family"], vae["objective"] = "vae", "vae beta4"
    vae["accuracy"] += gain + 0.001 * vae["seed"].astype(float)
    return pd.concat([table, vae], ignore_index=True)


def test_objectives_are_compared_with_the_first_at_each_latent_size(fake_tables):
    tables = {"kmeans": _with_vae(fake_tables["kmeans"], 0.2)}
    tested = paired_tests(tables, ["digits"])
    table = versus_objective_table(tested)
    accuracy = table[table["metric"] == "k-means accuracy"]
    # Each objective of the fake grid after the first (mlp noise0): mlp noise0.5 and vae beta4.
    assert sorted(set(accuracy["objective"])) == ["mlp noise0.5", "vae beta4"]
    vae = accuracy[accuracy["objective"] == "vae beta4"].set_index("latent")
    assert list(vae.index) == [2, 8]
    assert vae.loc[8, "configuration (chosen on val)"] == "vae_latent8_relu_beta4"
    # The reference is the mlp noise-0 configuration chosen on validation (ReLU scores best there).
    assert vae.loc[8, "reference (chosen on val)"] == "mlp_latent8_relu_noise0"
    _assert_gain_of_the_copies(vae.loc[8], "objective - reference")
    # Objectives replace the comparison of families, and get a section of their own.
    assert versus_family_table(tested).empty
    markdown = summary_markdown(tables, ["digits"])
    assert "## Objectives at each latent size" in markdown and "Model families" not in markdown
    # A study of one objective family (mlp only) has no such section.
    assert versus_objective_table(paired_tests(fake_tables, ["digits"])).empty


def _objectives_study(tables, gain):
    """The fake study with a VAE objective in every table: every MLP autoencoder row of noise 0
    again as a ``vae`` of beta 4, better by `gain` on each of its analysis' metrics' columns."""
    studied = {}
    for name, table in tables.items():
        vae = table[(table["family"] == "mlp") & (table["noise"] == 0)].copy()
        vae["representation"] = (vae["representation"].str.replace("mlp_", "vae_", n=1)
                                 .str.replace("_noise0_", "_beta4_", n=1))
        vae["family"], vae["objective"] = "vae", "vae beta4"
        for column, higher in {(m.column, m.higher_is_better) for m in ANALYSES[name].metrics.values()}:
            vae[column] += gain if higher else -gain
        studied[name] = pd.concat([table, vae], ignore_index=True)
    return studied


def test_objectives_are_compared_on_every_metric_compared_with_pca_and_on_denoising(fake_tables):
    tables = _objectives_study(_without_clusterings(fake_tables), 0.2)
    tested = paired_tests(tables, ["digits"])
    table = versus_objective_table(tested)
    # Read from the declarations: the probes and retrieval too, not only k-means, k-NN and the like.
    declared = {metric.label for name in tables for metric in ANALYSES[name].metrics.values() if metric.versus_pca}
    assert {"linear probe accuracy, 10 labels per class", "retrieval mAP (Euclidean)"} <= declared
    assert set(table["metric"]) == declared | {ANALYSES["denoising"].metrics["denoising_psnr"].label}
    # Each metric: 2 latent sizes x 2 objectives after the reference (mlp noise0.5, vae beta4).
    assert table.groupby("metric").size().eq(4).all()
    retrieval = table[(table["metric"] == "retrieval mAP (Euclidean)") & (table["objective"] == "vae beta4")]
    assert set(retrieval["configuration (chosen on val)"]) == {"vae_latent2_relu_beta4", "vae_latent8_relu_beta4"}
    # The claims take each analysis' first of them: one per analysis, latent size and objective.
    firsts = {}
    for label in table["metric"]:
        firsts.setdefault(next(n for n in tables if label in {m.label for m in ANALYSES[n].metrics.values()}), label)
    claimed = [t.metric.label for t in tested if t.section == "objective" and t.claimed]
    assert sorted(claimed) == sorted(list(firsts.values()) * 4)
    assert "## Objectives at each latent size" in summary_markdown(tables, ["digits"])


def test_training_noise_is_tested_once_where_objectives_are_compared(fake_tables):
    """The denoising autoencoder (mlp noise0.5) against the plain one on denoising PSNR is a row of
    the objectives' table; the noise claim (noise 0.5 vs 0) would test it again in the same Holm
    family."""
    psnr = ANALYSES["denoising"].metrics["denoising_psnr"]
    tested = paired_tests(_objectives_study({"denoising": fake_tables["denoising"]}, 0.2), ["digits"])
    assert not [t for t in tested if t.section == "noise"]
    noise = [t for t in tested if t.section == "objective" and t.row["objective"] == "mlp noise0.5"]
    assert [(t.metric, t.row["latent"], t.claimed) for t in noise] == [(psnr, 2, True), (psnr, 8, True)]
    # Holm's family: the PCA rows (denoising PSNR has none) and the objectives' rows, once each.
    assert len(tested) == 2 * 2
    # Without objectives, the noise claim is the one test of training noise.
    tested = paired_tests({"denoising": fake_tables["denoising"]}, ["digits"])
    assert [t.section for t in tested] == ["noise"]


def _manifold_of(kmeans, gain):
    """A fake ``manifold`` table: the k-means rows without preprocessing, each accuracy higher
    by ``gain`` for tanh codes and by a third of it for the others, on both splits."""
    rows = kmeans[kmeans["preprocessing"] == "none"].drop(columns="preprocessing").copy()
    rows["accuracy"] += np.where(rows["activation"] == "tanh", gain, gain / 3)
    return rows


def test_clustering_methods_are_compared_with_kmeans_on_the_same_codes(fake_tables):
    tables = {"kmeans": fake_tables["kmeans"], "manifold": _manifold_of(fake_tables["kmeans"], 0.3)}
    table = versus_kmeans_table(paired_tests(tables, ["digits"])).set_index("latent")
    assert list(table.index) == [2, 8] and set(table["method"]) == {"UMAP + GMM accuracy"}
    # The configuration is manifold's own choice on validation (tanh gains most), not k-means'.
    assert table.loc[8, "autoencoder (chosen on val)"] == "mlp_latent8_tanh_noise0.5"
    kmeans_metric = ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    kmeans_seeds = _by_configuration(fake_tables["kmeans"], kmeans_metric, "digits", "test")["mlp_latent8_tanh_noise0.5"]
    assert table.loc[8, "k-means test, same codes"] == _test_cell(kmeans_seeds, kmeans_metric)
    difference = paired_comparison([0.3] * len(kmeans_seeds), [0.0] * len(kmeans_seeds))
    assert table.loc[8, "method - k-means"] == format_interval(difference.difference, difference.low,
                                                                difference.high, "accuracy")
    sentences = [s for s in claims(paired_tests(tables, ["digits"])) if "same codes" in s]
    assert len(sentences) == 2 and all(s.startswith("digits: UMAP + GMM of mlp_latent") for s in sentences)
    assert "## Clustering methods against k-means on the same codes" in summary_markdown(tables, ["digits"])
    # Without a clustering analysis beyond k-means: no comparison, and no section.
    assert versus_kmeans_table(paired_tests(_without_clusterings(fake_tables), ["digits"])).empty
    assert "Clustering methods against" not in summary_markdown(_without_clusterings(fake_tables), ["digits"])


def test_the_limits_of_a_run_come_first_and_only_when_there_are_some(fake_tables):
    limits = ["digits: one training seed, so no number has an interval over seeds"]
    text = summary_markdown(fake_tables, ["digits"], limits=limits)
    assert text.index("## What this run cannot support") < text.index("## Best autoencoder")
    assert f"- {limits[0]}\n" in text
    assert "<h2>What this run cannot support</h2>" in summary_html(fake_tables, ["digits"], limits=limits)
    assert "cannot support" not in summary_markdown(fake_tables, ["digits"])
