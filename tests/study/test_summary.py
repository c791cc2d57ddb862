"""The summary: the verdicts of the primary questions first, then the exploration: every choice
made on the validation split and reported on the test split with its interval over seeds, and
paired comparisons with their raw p, never worded as claims."""
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from study.aggregates import configuration_of
from study.analyses import ANALYSES
from study.representations import describe
from study.results import document
from study.confirmation import verdicts_table
from study.statistics import format_interval, format_number, paired_comparison, t_interval
from study.summary import summary_html, summary_markdown
from study.summary.choice import chosen_on_validation, model_free
from study.summary.exploratory import paired_tests
from study.summary.sections import (EXPLORATORY_P, best_variants_table, noise_effect_table, versus_family_table,
                                    versus_kmeans_table, versus_objective_table, versus_pca_table)
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
                                   "PCA test", "AE - PCA", EXPLORATORY_P]
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
                # The raw p of its own paired t-test: unadjusted for the dataset's other tests.
                assert row[EXPLORATORY_P].item() == f"{stats.ttest_1samp(differences, 0.0).pvalue:.3f}"


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
    assert interval.high > 1  # two seeds' t interval of an accuracy: cut at 1
    assert classifier["test"].item() == "0.975 [0.911, 1.000]" and classifier["seeds"].item() == 2
    assert classifier["dataset"].item() == "digits"


def test_the_reference_classifier_says_how_long_it_trained(fake_tables):
    classifiers = classifiers_table([("digits", "hidden256_relu_dropout0_seed0",
                                      {"test_accuracy": 0.83, "val_accuracy": 0.84, "epochs_trained": 10})])
    table = best_variants_table(fake_tables, ["digits"], classifiers=classifiers)
    row = table[table["metric"] == "raw-pixel DIY classifier accuracy"]
    assert row["chosen on validation"].item() == "(classifier hidden256_relu_dropout0, 10 epochs)"
    text = summary_markdown(fake_tables, ["digits"], verdicts_table([]), classifiers)
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


# -- exploratory comparisons: paired across the choosing seeds, raw p, never a claim ------------
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


def test_an_exploratory_comparison_shows_its_paired_difference_and_raw_p():
    # tanh (chosen on validation: 0.69 against 0.67) - PCA = 0.3, 0.5, 0.4 on seeds 0, 1, 2:
    # paired, although the seeds differ by far more than tanh and relu do.
    tanh, relu = [0.60, 0.80, 0.70], [0.58, 0.79, 0.68]
    tested = paired_tests({"kmeans": _kmeans_table({"tanh": tanh, "relu": relu}, pca=0.3)}, ["digits"])
    # One comparison: against PCA 8 (the table has no whitened codes); activation and noise are
    # no longer tested as factors.
    assert [(t.section, t.a, t.b, t.metric.label) for t in tested] == [
        ("pca", "mlp_latent8_tanh_noise0", "PCA 8", "k-means accuracy")]
    expected = paired_comparison(tanh, [0.3] * 3)
    assert tested[0].comparison == expected
    assert tested[0].comparison.p_value == pytest.approx(stats.ttest_1samp(np.subtract(tanh, 0.3), 0.0).pvalue)
    row = versus_pca_table(tested).iloc[0]
    assert row["AE - PCA"] == "0.400 [0.152, 0.648]"
    assert row[EXPLORATORY_P] == f"{expected.p_value:.3f}" == "0.020"


def test_one_seed_is_shown_without_an_interval_or_p():
    tested = paired_tests({"kmeans": _kmeans_table({"tanh": [0.9], "relu": [0.6]})}, ["digits"])
    assert tested[0].comparison.n == 1 and np.isnan(tested[0].comparison.p_value)
    row = versus_pca_table(tested).iloc[0]
    assert row["AE - PCA"] == "0.400 (n=1)" and row[EXPLORATORY_P] == ""


def _without_clusterings(tables):
    """The fake study without the clustering analyses beyond k-means (their comparisons and
    section are tested on their own)."""
    return {name: table for name, table in tables.items() if name not in ("dec", "idec", "manifold")}


def test_every_exploratory_p_is_the_raw_paired_t_test_s(fake_tables):
    """Among the many comparisons of a dataset, each table prints its own test's p, unadjusted:
    any adjustment over them (Bonferroni's) would raise the smaller ones."""
    tested = paired_tests(_without_clusterings(fake_tables), ["digits"])
    table = versus_pca_table(tested)
    assert len(table) == len(tested) > 2
    for t, (_, row) in zip(tested, table.iterrows()):
        assert row[EXPLORATORY_P] == f"{t.comparison.p_value:.3f}"
    raw = np.array([t.comparison.p_value for t in tested])
    assert (np.minimum(1, len(raw) * raw) > raw).any()  # so an adjusted column would differ


#: Words of a claim (study.statistics.claim) and of the old section of claims.
CLAIM_WORDS = (" beats ", "no clear difference", "cannot be tested", "Holm", "What the seeds support")


def test_no_exploratory_text_is_worded_as_a_claim(fake_tables):
    tables = _objectives_study(_without_clusterings(fake_tables), 0.2)
    tables["manifold"] = _manifold_of(fake_tables["kmeans"], 0.3)
    text = summary_markdown(tables, DATASETS, _verdicts())
    exploration = text.split("## Best autoencoder per metric and dataset\n")[1]
    for words in CLAIM_WORDS:
        assert words not in exploration, words
    # Every comparison table (against PCA, objectives, clustering methods) shows the raw p.
    headers = [line for line in exploration.splitlines() if line.startswith("|") and " - " in line.split("|")[-3]]
    assert len(headers) == 3 and all(line.split("|")[-2].strip() == EXPLORATORY_P for line in headers)
    assert not re.search(r"\| p +\|", text)  # no bare p column
    # The texts say the comparisons are exploration, with a raw p.
    assert text.count("raw p") >= 3 and "not a claim" in text


# -- the verdicts of the primary questions, first ---------------------------------------------
def _verdict_rows():
    """Verdict rows (study.confirmation.verdict_rows' columns) of two datasets: one of each verdict."""
    def row(dataset, latent, metric, a, b, verdict, difference, low, high, margin, seeds, needed=None):
        return {"dataset": dataset, "latent": latent, "metric": metric, "question": "", "A": a, "B": b,
                "verdict": verdict,
                "A - B": difference, "low": low, "high": high, "margin": margin, "seeds": seeds,
                "stage": "confirmation", "seeds to decide": needed, "planned": seeds}

    return [row("digits", 8, "kmeans_accuracy", "mlp_latent8_relu_noise0.5", "pca8", "autoencoder better",
                0.0712, 0.031, 0.1114, 0.02, 7),
            row("digits", 8, "reconstruction_error", "mlp_latent8_tanh_noise0", "pca8", "PCA better",
                0.25, 0.125, 0.375, 0.1, 5),
            row("digits", 2, "knn_accuracy", "mlp_latent2_relu_noise0", "pca2", "equivalent (within 0.02)",
                0.004, -0.011, 0.019, 0.02, 10),
            row("digits", 2, "retrieval_map", "mlp_latent2_relu_noise0", "pca2", "undecided",
                0.03, -0.02, 0.08, 0.02, 3, 24),
            row("mnist", 2, "denoising_psnr", "mlp_latent2_relu_noise0.5", "mlp_latent2_relu_noise0",
                "undecided", 0.3, -0.9, 1.5, 0.5, 2, math.nan)]


def _verdicts():
    return verdicts_table(_verdict_rows())


def _cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_the_summary_opens_with_the_verdict_table(fake_tables):
    text = summary_markdown(_without_clusterings(fake_tables), DATASETS, _verdicts())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Answers to the primary questions"
    assert headings[1] == "## Best autoencoder per metric and dataset"
    answers = text.split("## Answers to the primary questions\n")[1].split("\n## ")[0]
    lines = [line for line in answers.splitlines() if line.startswith("|")]
    assert _cells(lines[0]) == ["dataset", "latent", "metric", "A (chosen on val)", "B", "verdict", "A - B",
                                "margin", "seeds", "seeds to decide"]
    body = [_cells(line) for line in lines[2:]]
    assert len(body) == len(_verdict_rows())
    # The question, its verdict, the effect with its interval, the seeds used, and what an
    # undecided one would take (none up to the look-ahead: "more than 1000").
    assert body[0] == ["digits", "8", "k-means accuracy", "mlp_latent8_relu_noise0.5", "pca8", "autoencoder better",
                       format_interval(0.0712, 0.031, 0.1114, "accuracy"), "0.020", "7", ""]
    assert body[0][6] == "0.071 [0.031, 0.111]"
    assert body[1][:2] == ["digits", "8"] and body[1][5:] == ["PCA better", "0.250 [0.125, 0.375]", "0.100", "5", ""]
    assert body[2][5] == "equivalent (within 0.02)" and body[2][-1] == ""
    assert body[3][5] == "undecided" and body[3][-2:] == ["3", "24"]
    assert body[4][2].startswith("denoising PSNR") and body[4][-3:] == ["0.50", "2", "more than 1000"]
    assert "fresh training seeds" in answers and "Bonferroni" in answers
    # The exploration's tables stay below it.
    assert text.index("## Answers to the primary questions") < text.index("## Autoencoder vs PCA at each latent size")


def test_the_answers_say_when_they_were_read_off_the_choosing_seeds(fake_tables):
    rows = [{**row, "stage": "exploration (the choosing seeds)"} for row in _verdict_rows()]
    text = summary_markdown({"kmeans": fake_tables["kmeans"]}, ["digits"], verdicts_table(rows))
    answers = text.split("## Answers to the primary questions\n")[1].split("\n## ")[0]
    assert "the confirmation is off" in answers and "optimistic" in answers
    assert "fresh training seeds" not in answers
    # No question at all: the section says so, and stays first.
    text = summary_markdown({"kmeans": fake_tables["kmeans"]}, ["digits"], verdicts_table([]))
    assert text.split("## Answers to the primary questions\n")[1].split("\n## ")[0].rstrip().endswith("(none)")


# -- the whole summary -----------------------------------------------------------------------
def test_summary_markdown_and_html(fake_tables):
    fake_tables = _without_clusterings(fake_tables)
    text = summary_markdown(fake_tables, DATASETS, _verdicts())
    assert text.startswith("# Summary of the study\n")
    for heading in ("## Answers to the primary questions", "## Best autoencoder per metric and dataset",
                    "## Autoencoder vs PCA at each latent size", "## Effect of training noise on denoising"):
        assert heading in text
    row = next(line for line in text.splitlines() if "| k-means accuracy " in line and "digits" in line
               and "higher" in line)
    interval = t_interval([0.75, 0.74])
    assert _cells(row) == [
        "digits", "k-means accuracy", "higher", "mlp_latent8_relu_noise0.5",
        format_interval(interval.mean, interval.low, interval.high, "accuracy"), "2", "0.580", "0.600 (pixels)"]
    page = summary_html(fake_tables, ["digits"], _verdicts())
    assert page.count("<table") == 4 and page.startswith("<!DOCTYPE html>")
    assert "<code>{family}_latent{size}_{activation}_noise{training noise}_seed{seed}</code>" in page
    # The verdicts' heading is the first, and their table the first table.
    assert page.index("<h2>") == page.index("<h2>Answers to the primary questions</h2>")
    first_table = page[page.index("<table"):page.index("</table>")]
    assert "autoencoder better" in first_table and "equivalent (within 0.02)" in first_table
    assert "<li>" not in page  # no list of claims
    for words in CLAIM_WORDS:
        assert words not in page, words


def test_a_summary_of_some_analyses_only(fake_tables):
    tables = {name: fake_tables[name] for name in ("kmeans",)}
    text = summary_markdown(tables, ["digits"], _verdicts())
    assert "k-means accuracy" in text and "(none)" in text
    exploration = text.split("## Best autoencoder per metric and dataset\n")[1]
    rows = [line for line in exploration.splitlines() if line.startswith("| digits ")]
    assert rows and all("k-means" in line for line in rows)


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
    assert row[EXPLORATORY_P] == f"{difference.p_value:.3f}"


def test_families_are_compared_at_each_latent_size_on_validation_choices(fake_tables):
    tables = {"kmeans": _with_conv(fake_tables["kmeans"], 0.2)}
    table = versus_family_table(paired_tests(tables, ["digits"]))
    accuracy = table[table["metric"] == "k-means acc."].set_index("latent")
    assert list(accuracy.index) == [2, 8]
    # Each family's own validation choice (ReLU, noise 0.5 score best on validation), paired by seed.
    assert accuracy.loc[8, "reference (chosen on val)"] == "mlp_latent8_relu_noise0.5"
    assert accuracy.loc[8, "other family (chosen on val)"] == "conv_latent8_relu_noise0.5"
    _assert_gain_of_the_copies(accuracy.loc[8], "other - reference")
    family = [t for t in paired_tests(tables, ["digits"]) if t.section == "family"]
    assert [(t.a, t.b) for t in family if t.metric.label == "k-means accuracy"] == [
        ("conv_latent2_relu_noise0.5", "mlp_latent2_relu_noise0.5"),
        ("conv_latent8_relu_noise0.5", "mlp_latent8_relu_noise0.5")]
    # A tiny gain that flips sign between the seeds: its interval crosses zero, its p is large.
    tables = {"kmeans": _with_conv(fake_tables["kmeans"], -0.0005)}
    row = versus_family_table(paired_tests(tables, ["digits"])).set_index(["metric", "latent"]).loc[("k-means acc.", 8)]
    difference = paired_comparison([-0.0005, 0.0005], [0.0, 0.0])
    assert row["other - reference"] == format_interval(difference.difference, difference.low, difference.high,
                                                       "accuracy")
    assert difference.low < 0 < difference.high and row[EXPLORATORY_P] == f"{difference.p_value:.3f}"
    # One family: no comparison, and no section in the summary.
    assert versus_family_table(paired_tests(fake_tables, ["digits"])).empty
    assert "Model families" not in summary_markdown(fake_tables, ["digits"], _verdicts())
    assert "## Model families at each latent size" in summary_markdown(tables, ["digits"], _verdicts())


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
    markdown = summary_markdown(tables, ["digits"], _verdicts())
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
    # Every row is exploration: its raw p, none singled out as a claim.
    objective = [t for t in tested if t.section == "objective"]
    assert len(objective) == len(table) and not any(hasattr(t, "claimed") for t in objective)
    assert list(table[EXPLORATORY_P]) == [f"{t.comparison.p_value:.3f}" for t in objective]
    assert "## Objectives at each latent size" in summary_markdown(tables, ["digits"], _verdicts())


def test_training_noise_is_compared_only_where_objectives_are(fake_tables):
    """The denoising autoencoder (mlp noise0.5) against the plain one on denoising PSNR is a row of
    the objectives' table; without objectives, training noise is a primary question
    (study.confirmation) and the noise table's, not an exploratory test."""
    psnr = ANALYSES["denoising"].metrics["denoising_psnr"]
    tested = paired_tests(_objectives_study({"denoising": fake_tables["denoising"]}, 0.2), ["digits"])
    noise = [t for t in tested if t.section == "objective" and t.row["objective"] == "mlp noise0.5"]
    assert [(t.metric, t.row["latent"]) for t in noise] == [(psnr, 2), (psnr, 8)]
    # Denoising PSNR has no row against PCA: only the objectives' rows (2 objectives, 2 sizes).
    assert [t.section for t in tested] == ["objective"] * 4
    assert paired_tests({"denoising": fake_tables["denoising"]}, ["digits"]) == []


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
    assert table.loc[8, EXPLORATORY_P] == f"{difference.p_value:.3f}" == "0.000"  # the same gain on every seed
    clustering = [t for t in paired_tests(tables, ["digits"]) if t.section == "clustering"]
    assert [t.a for t in clustering] == [f"UMAP + GMM of mlp_latent{size}_tanh_noise0.5" for size in (2, 8)]
    assert {t.b for t in clustering} == {"k-means of the same codes"}
    text = summary_markdown(tables, ["digits"], _verdicts())
    assert "## Clustering methods against k-means on the same codes" in text
    # Without a clustering analysis beyond k-means: no comparison, and no section.
    assert versus_kmeans_table(paired_tests(_without_clusterings(fake_tables), ["digits"])).empty
    assert "Clustering methods against" not in summary_markdown(_without_clusterings(fake_tables), ["digits"],
                                                                _verdicts())


def test_the_limits_of_a_run_follow_the_answers_and_only_when_there_are_some(fake_tables):
    limits = ["digits: one training seed, so no number has an interval over seeds"]
    text = summary_markdown(fake_tables, ["digits"], _verdicts(), limits=limits)
    assert (text.index("## Answers to the primary questions") < text.index("## What this run cannot support")
            < text.index("## Best autoencoder"))
    assert f"- {limits[0]}\n" in text
    page = summary_html(fake_tables, ["digits"], _verdicts(), limits=limits)
    assert page.index("<h2>Answers to the primary questions</h2>") < page.index("<h2>What this run cannot support</h2>")
    assert "cannot support" not in summary_markdown(fake_tables, ["digits"], _verdicts())
