"""The summary: the study's answers in three short tables, from the registered analyses' metrics."""
import pytest

from study.analyses import ANALYSES
from study.summary import (best_variants_table, model_free, noise_effect_table, summary_html,
                           summary_markdown, versus_pca_table)
from study.tables import classifiers_table

DATASETS = ["digits", "mnist"]


def test_model_free_baseline_of_each_analysis():
    assert {name: model_free(analysis) for name, analysis in ANALYSES.items()} == {
        "reconstruction": None, "kmeans": "pixels", "tsne": "pixels", "denoising": "noisy",
        "classification": "pixels", "inpainting": "mean"}


def test_best_variants_table(fake_tables):
    classifiers = classifiers_table([("digits", "hidden64_relu_dropout0_seed0", {"test_accuracy": 0.97})])
    table = best_variants_table(fake_tables, DATASETS, classifiers=classifiers)
    assert list(table.columns) == ["dataset", "metric", "best", "best autoencoder", "value", "PCA, same size",
                                   "without a model"]
    # One row per metric of every analysis and dataset, and the classifier of digits.
    n_metrics = sum(len(analysis.metrics) for analysis in ANALYSES.values())
    assert len(table) == 2 * n_metrics + 1
    row = table[(table["dataset"] == "digits") & (table["metric"] == "k-means accuracy")].iloc[0]
    assert row["best autoencoder"] == "mlp_latent8_tanh_noise0.5_seed0" and row["value"] == pytest.approx(0.8)
    assert row["PCA, same size"] == pytest.approx(0.58) and row["without a model"] == "0.6 (pixels)"
    error = table[(table["dataset"] == "mnist") & (table["metric"].str.startswith("reconstruction squared"))]
    assert error["best autoencoder"].item() == "mlp_latent8_tanh_noise0_seed0" and error["best"].item() == "lower"
    assert error["without a model"].item() == ""  # reconstruction has no model-free baseline
    denoising = table[(table["dataset"] == "digits") & table["metric"].str.startswith("denoising PSNR")]
    assert denoising["without a model"].item().endswith("(noisy)")
    inpainting = table[(table["dataset"] == "digits") & table["metric"].str.startswith("inpainting PSNR")]
    assert inpainting["without a model"].item() == "15.5 (mean)"
    classifier = table[table["metric"] == "raw-pixel DIY classifier test accuracy"]
    assert len(classifier) == 1 and classifier["value"].item() == 0.97


def test_versus_pca_table(fake_tables):
    table = versus_pca_table(fake_tables, DATASETS)
    assert table[["dataset", "latent_dim"]].values.tolist() == [
        ["digits", 2], ["digits", 8], ["mnist", 2], ["mnist", 8]]
    row = table.iloc[1]
    assert row["squared error/image AE"] == pytest.approx(1.25) and row["squared error/image PCA"] == 2.0
    assert row["AE/PCA error"] == pytest.approx(0.625)
    # A column pair for every metric declaring a versus_pca label.
    labels = [m.versus_pca for a in ANALYSES.values() for m in a.metrics.values() if m.versus_pca]
    assert {f"{label} {who}" for label in labels for who in ("AE", "PCA")} <= set(table.columns)


def test_noise_effect_table(fake_tables):
    table = noise_effect_table(fake_tables, ["digits"])
    assert list(table.columns) == ["dataset", "test noise", "level", "noisy input", "AE trained at noise 0",
                                   "AE trained at noise 0.5", "PCA (best size)"]
    assert len(table) == 4  # 2 kinds x 2 levels
    # The fake denoising autoencoders gain 3 * noise dB: training noise 0.5 is better by 1.5 dB
    # on top of its better score.
    assert (table["AE trained at noise 0.5"] > table["AE trained at noise 0"]).all()
    assert table.loc[0, "noisy input"] == pytest.approx(10 + 6 - 0.4)
    assert noise_effect_table({}, ["digits"]).empty  # no denoising analysis, no table


def test_summary_markdown_and_html(fake_tables):
    text = summary_markdown(fake_tables, DATASETS)
    assert text.startswith("# Summary of the study\n")
    for heading in ("## Best autoencoder per metric and dataset", "## Autoencoder vs PCA at each latent size",
                    "## Effect of training noise on denoising"):
        assert heading in text
    row = next(line for line in text.splitlines() if "| k-means accuracy " in line and "digits" in line)
    assert [cell.strip() for cell in row.strip("|").split("|")] == [
        "digits", "k-means accuracy", "higher", "mlp_latent8_tanh_noise0.5_seed0", "0.8", "0.58", "0.6 (pixels)"]
    page = summary_html(fake_tables, DATASETS)
    assert page.count("<table") == 3 and page.startswith("<!DOCTYPE html>")
    assert "<code>{family}_latent{size}_{activation}_noise{training noise}_seed{seed}</code>" in page


def test_a_summary_of_some_analyses_only(fake_tables):
    tables = {name: fake_tables[name] for name in ("kmeans",)}
    text = summary_markdown(tables, ["digits"])
    assert "k-means accuracy" in text and "reconstruction" not in text and "(none)" in text
