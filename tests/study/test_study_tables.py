"""The tables: one row per variant (and per baseline, test noise, classifier), the summary."""
import numpy as np
import pandas as pd
import pytest

from study.tables import (
    TABLES,
    VARIANT_COLUMNS,
    analysis_table,
    best,
    best_per_latent_dim,
    best_variants_table,
    classifiers_table,
    format_value,
    html_table,
    markdown_table,
    metric_values,
    noise_effect_table,
    read_table,
    summary_html,
    summary_markdown,
    versus_pca_table,
    write_csv,
)

# The fake study of conftest.py: per dataset (digits, mnist), latent sizes [2, 8] x activations
# [tanh, relu] x training noises [0, 0.5] x seeds [0, 1]; 2 test noise kinds x 2 levels.
N_VARIANTS, LATENT_DIMS, N_TEST_NOISES = 16, [2, 8], 4
ROWS_PER_DOCUMENT = {"reconstruction": 1, "kmeans": 2, "tsne": 1, "denoising": N_TEST_NOISES,
                     "classification": 3}
# k-means on raw pixels has no whitened row.
PIXEL_ROWS_PER_DOCUMENT = {**ROWS_PER_DOCUMENT, "kmeans": 1}
BASELINES = {"reconstruction": ["pca"], "kmeans": ["pixels", "pca"], "tsne": ["pixels", "pca"],
             "denoising": ["noisy", "pca"], "classification": ["pixels", "pca"]}


@pytest.mark.parametrize("analysis", list(TABLES))
def test_table_columns_and_one_row_per_variant_and_baseline(fake_tables, fake_grid, analysis):
    assert fake_grid["grid"]["latent_dim"] == LATENT_DIMS
    assert len(fake_grid["kinds"]) * len(fake_grid["levels"]) == N_TEST_NOISES
    table = fake_tables[analysis]
    assert list(table.columns[:6]) == VARIANT_COLUMNS
    assert set(TABLES[analysis]) <= set(table.columns)
    per_document = ROWS_PER_DOCUMENT[analysis]
    variants = table[table["variant"].notna()]
    assert len(variants) == 2 * N_VARIANTS * per_document
    assert (variants.groupby(["dataset", "variant"]).size() == per_document).all()
    # Rows are told apart by the variant columns and the analysis' key columns.
    assert not table.duplicated(VARIANT_COLUMNS + TABLES[analysis]).any()
    method = TABLES[analysis][0]
    assert set(variants[method]) == {"autoencoder"}
    baselines = table[table["variant"].isna()]
    rows_per_dataset = sum(len(LATENT_DIMS) * per_document if b == "pca" else
                           PIXEL_ROWS_PER_DOCUMENT[analysis] if b == "pixels" else per_document
                           for b in BASELINES[analysis])
    assert len(baselines) == 2 * rows_per_dataset
    assert baselines[["activation", "noise", "seed"]].isna().all().all()
    pca = baselines[baselines[method] == "pca"]
    assert sorted(pca["latent_dim"].unique()) == LATENT_DIMS
    assert baselines[baselines[method] != "pca"]["latent_dim"].isna().all()
    assert str(table["latent_dim"].dtype) == "Int64" and str(table["seed"].dtype) == "Int64"


def test_variant_row_holds_the_variant_parameters(fake_tables):
    row = fake_tables["kmeans"].iloc[0]
    assert (row["dataset"], row["latent_dim"], row["activation"], row["noise"], row["seed"], row["variant"]) == (
        "digits", 2, "tanh", 0.0, 0, "latent2_tanh_noise0_seed0")


@pytest.mark.parametrize("analysis", list(TABLES))
def test_csv_round_trip(tmp_path, fake_tables, analysis):
    path = tmp_path / f"{analysis}.csv"
    write_csv(fake_tables[analysis], path)
    assert path.read_text().splitlines()[0].startswith("dataset,latent_dim,activation,noise,seed,variant,")
    pd.testing.assert_frame_equal(read_table(path), fake_tables[analysis])


def test_classifiers_table():
    metrics = {"test_accuracy": 0.98, "val_accuracy": 0.97, "confusion_matrix": [[1]], "classes": [0],
               "epochs_trained": 12, "seconds": 30.5}
    table = classifiers_table([("mnist", "hidden512-256_relu_dropout0.2_seed0", metrics),
                               ("mnist", "hidden256_relu_dropout0_seed1", {**metrics, "test_accuracy": 0.97})])
    assert list(table.columns) == VARIANT_COLUMNS + ["hidden", "dropout", "test_accuracy", "val_accuracy",
                                                      "epochs_trained", "seconds"]
    assert table["hidden"].tolist() == ["512-256", "256"] and table["dropout"].tolist() == [0.2, 0.0]
    assert table["seed"].tolist() == [0, 1] and table["latent_dim"].isna().all()
    assert table["noise"].isna().all() and table["activation"].tolist() == ["relu", "relu"]


@pytest.mark.parametrize("value, text", [
    (None, ""), (np.nan, ""), (pd.NA, ""), (0.96934, "0.9693"), (12.3456, "12.35"), (123456.7, "123457"),
    (0.0, "0"), (0.25, "0.25"), (np.float64(1e-5), "1e-05"), (np.int64(16), "16"), (float("inf"), "inf"),
    (True, "True"), ("relu", "relu"),
])
def test_format_value(value, text):
    assert format_value(value) == text


def test_markdown_table():
    table = pd.DataFrame({"name": ["a|b", None], "n": pd.array([1, None], dtype="Int64"), "x": [0.123456, 2.0]})
    assert markdown_table(table).splitlines() == [
        "| name | n | x |", "|---|---:|---:|", "| a\\|b | 1 | 0.1235 |", "|  |  | 2 |"]


def test_html_table_escapes_and_aligns():
    text = html_table(pd.DataFrame({"name": ["<b>"], "x": [0.5]}))
    assert "<th>name</th><th>x</th>" in text and "&lt;b&gt;" in text and '<td class="number">0.5</td>' in text


def test_metric_values_average_test_noises_and_select_classifiers(fake_tables):
    values = metric_values(fake_tables, "denoising_psnr")
    assert list(values.columns) == VARIANT_COLUMNS + ["method", "value"]
    assert len(values) == 2 * (N_VARIANTS + 1 + len(LATENT_DIMS))
    table = fake_tables["denoising"]
    name = "latent8_relu_noise0.5_seed1"
    rows = table[(table["dataset"] == "mnist") & (table["variant"] == name)]
    value = values[(values["dataset"] == "mnist") & (values["variant"] == name)]["value"]
    assert value.item() == pytest.approx(rows["psnr"].mean())
    knn = metric_values(fake_tables, "knn_accuracy")
    assert len(knn) == 2 * (N_VARIANTS + 1 + 2)
    classification = fake_tables["classification"]
    expected = classification[classification["classifier"] == "knn"]["test_accuracy"].to_numpy()
    np.testing.assert_allclose(knn["value"].to_numpy(), expected)


def test_best_and_best_per_latent_dim(fake_tables):
    values = metric_values(fake_tables, "reconstruction_error")
    digits = values[values["dataset"] == "digits"]
    assert best(digits, higher_is_better=False)["variant"] == "latent8_tanh_noise0_seed0"
    assert best(digits, higher_is_better=True)["variant"] == "latent2_relu_noise0.5_seed1"
    chosen = best_per_latent_dim(digits, higher_is_better=False)
    assert {k: row["variant"] for k, row in chosen.items()} == {
        2: "latent2_tanh_noise0_seed0", 8: "latent8_tanh_noise0_seed0"}
    assert best(digits[digits["method"] == "pca"], True) is None


def test_best_variants_table(fake_tables):
    classifiers = classifiers_table([("digits", "hidden64_relu_dropout0_seed0", {"test_accuracy": 0.97})])
    table = best_variants_table(fake_tables, ["digits", "mnist"], classifiers=classifiers)
    row = table[(table["dataset"] == "digits") & (table["metric"] == "k-means accuracy")].iloc[0]
    assert row["best autoencoder"] == "latent8_tanh_noise0.5_seed0" and row["value"] == pytest.approx(0.8)
    assert row["PCA, same size"] == pytest.approx(0.58) and row["raw pixels (denoising: noisy input)"] == 0.6
    error = table[(table["dataset"] == "mnist") & (table["metric"].str.startswith("reconstruction squared"))]
    assert error["best autoencoder"].item() == "latent8_tanh_noise0_seed0" and error["best"].item() == "lower"
    assert (table["metric"] == "raw-pixel DIY classifier test accuracy").sum() == 1


def test_versus_pca_table(fake_tables):
    table = versus_pca_table(fake_tables, ["digits", "mnist"])
    assert table[["dataset", "latent_dim"]].values.tolist() == [
        ["digits", 2], ["digits", 8], ["mnist", 2], ["mnist", 8]]
    row = table.iloc[1]
    assert row["squared error/image AE"] == pytest.approx(1.25) and row["squared error/image PCA"] == 2.0
    assert row["AE/PCA error"] == pytest.approx(0.625)


def test_noise_effect_table(fake_tables):
    table = noise_effect_table(fake_tables, ["digits"])
    assert list(table.columns) == ["dataset", "test noise", "level", "noisy input", "AE trained at noise 0",
                                   "AE trained at noise 0.5", "PCA (best size)"]
    assert len(table) == N_TEST_NOISES
    # The fake denoising autoencoders gain 3 * noise dB: training noise 0.5 is better by 1.5 dB
    # on top of its better score.
    assert (table["AE trained at noise 0.5"] > table["AE trained at noise 0"]).all()


def test_summary_markdown_and_html(fake_tables):
    text = summary_markdown(fake_tables, ["digits", "mnist"])
    assert text.startswith("# Summary of the study\n")
    for heading in ("## Best autoencoder per metric and dataset", "## Autoencoder vs PCA at each latent size",
                    "## Effect of training noise on denoising"):
        assert heading in text
    assert "| digits | k-means accuracy | higher | latent8_tanh_noise0.5_seed0 | 0.8 |" in text
    page = summary_html(fake_tables, ["digits", "mnist"])
    assert page.count("<table>") == 3 and page.startswith("<!DOCTYPE html>")


def test_empty_documents_give_an_empty_table_with_the_columns():
    assert list(analysis_table([]).columns) == VARIANT_COLUMNS
