"""The tables: one row per representation (and per test noise, classifier, mask...), their
rendering, the tidy table of them all, and the selections the summary and figures make of them."""
import re

import numpy as np
import pandas as pd
import pytest

from study.analyses import ANALYSES
from study.results import load
from study.tables import (
    CLASSIFIER_COLUMNS,
    COLUMNS,
    METRICS_COLUMNS,
    analysis_table,
    analysis_tables,
    best,
    best_per_latent_dim,
    classifiers_table,
    format_value,
    html_page,
    html_table,
    markdown_table,
    metric_values,
    metrics_table,
    read_table,
    value_of,
    write_csv,
)

# The fake study of conftest.py: per dataset (digits, mnist), the mlp family, latent sizes
# [2, 8] x activations [tanh, relu] x training noises [0, 0.5] x seeds [0, 1]; 2 test noise
# kinds x 2 levels; 2 masks; each row once for the validation split and once for the test split.
N_VARIANTS, LATENT_DIMS, N_TEST_NOISES, SPLITS = 16, [2, 8], 4, ["val", "test"]
#: Rows of a document per split.
ROWS_PER_DOCUMENT = {"reconstruction": 1, "kmeans": 2, "tsne": 1, "denoising": N_TEST_NOISES,
                     "classification": 3, "inpainting": 2}
# k-means on raw pixels has no whitened row.
PIXEL_ROWS_PER_DOCUMENT = {**ROWS_PER_DOCUMENT, "kmeans": 1}


@pytest.mark.parametrize("analysis", list(ROWS_PER_DOCUMENT))
def test_table_columns_and_one_row_per_representation(fake_tables, fake_grid, analysis):
    assert fake_grid["grid"]["latent_dim"] == LATENT_DIMS
    assert len(fake_grid["kinds"]) * len(fake_grid["levels"]) == N_TEST_NOISES
    table, keys = fake_tables[analysis], list(ANALYSES[analysis].keys)
    # The representation's columns, then the split, then the analysis' keys and metrics.
    assert list(table.columns[:len(COLUMNS) + 1]) == COLUMNS + ["split"]
    assert list(table["split"].unique()) == SPLITS
    assert set(keys) | {m.column for m in ANALYSES[analysis].metrics.values()} <= set(table.columns)
    per_document = len(SPLITS) * ROWS_PER_DOCUMENT[analysis]
    autoencoders = table[table["method"] == "autoencoder"]
    assert len(autoencoders) == 2 * N_VARIANTS * per_document
    assert (autoencoders.groupby(["dataset", "representation"]).size() == per_document).all()
    assert (autoencoders.groupby(["dataset", "representation", "split"]).size() == per_document / 2).all()
    assert set(autoencoders["family"]) == {"mlp"}
    # Rows are told apart by the representation's columns, the split and the analysis' key columns.
    assert not table.duplicated(COLUMNS + ["split"] + keys).any()
    baselines = table[table["method"] != "autoencoder"]
    rows_per_dataset = len(SPLITS) * sum(
        len(LATENT_DIMS) * ROWS_PER_DOCUMENT[analysis] if b == "pca" else
        PIXEL_ROWS_PER_DOCUMENT[analysis] if b == "pixels" else ROWS_PER_DOCUMENT[analysis]
        for b in ANALYSES[analysis].baselines)
    assert len(baselines) == 2 * rows_per_dataset
    assert baselines[["family", "activation", "noise", "seed"]].isna().all().all()
    assert set(baselines["method"]) == {"pca" if b == "pca" else b for b in ANALYSES[analysis].baselines}
    pca = baselines[baselines["method"] == "pca"]
    assert sorted(pca["latent_dim"].unique()) == LATENT_DIMS
    assert set(pca["representation"]) == {f"pca{k}" for k in LATENT_DIMS}
    assert baselines[baselines["method"] != "pca"]["latent_dim"].isna().all()
    assert str(table["latent_dim"].dtype) == "Int64" and str(table["seed"].dtype) == "Int64"
    assert table["noise"].dtype == float


def test_autoencoder_row_holds_the_variant_parameters(fake_tables):
    row = fake_tables["kmeans"].iloc[0]
    assert tuple(row[COLUMNS]) == ("digits", "mlp_latent2_tanh_noise0_seed0", "autoencoder", "mlp", 2, "tanh",
                                   0.0, "mlp noise0", 0)
    assert row["split"] == "val" and row["preprocessing"] == "none"


@pytest.mark.parametrize("analysis", list(ROWS_PER_DOCUMENT))
def test_csv_round_trip(tmp_path, fake_tables, analysis):
    path = tmp_path / f"{analysis}.csv"
    write_csv(fake_tables[analysis], path)
    assert path.read_text().splitlines()[0].startswith(",".join(COLUMNS) + ",")
    pd.testing.assert_frame_equal(read_table(path), fake_tables[analysis])
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, f"{path.name}.seal"]  # no temporary file left


def test_csv_keeps_full_precision_and_infinity(tmp_path):
    table = analysis_table([{"dataset": "digits", "representation": "noisy", "method": "noisy",
                             "rows": [{"psnr": float("inf"), "error": 0.1 + 0.2}]}])
    write_csv(table, tmp_path / "t.csv")
    back = read_table(tmp_path / "t.csv")
    assert back["psnr"].item() == float("inf") and back["error"].item() == 0.1 + 0.2


def test_empty_documents_give_an_empty_table_with_the_columns():
    assert list(analysis_table([]).columns) == COLUMNS


def test_classifiers_table():
    metrics = {"test_accuracy": 0.98, "val_accuracy": 0.97, "confusion_matrix": [[1]], "classes": [0],
               "epochs_trained": 12, "seconds": 30.5}
    table = classifiers_table([("mnist", "hidden512-256_relu_dropout0.2_seed0", metrics),
                               ("mnist", "hidden256_relu_dropout0_seed1", {**metrics, "test_accuracy": 0.97})])
    assert list(table.columns) == CLASSIFIER_COLUMNS == [
        "dataset", "variant", "hidden", "activation", "dropout", "seed", "test_accuracy", "val_accuracy",
        "epochs_trained", "seconds"]
    assert table["hidden"].tolist() == ["512-256", "256"] and table["dropout"].tolist() == [0.2, 0.0]
    assert table["seed"].tolist() == [0, 1] and table["activation"].tolist() == ["relu", "relu"]
    assert table["test_accuracy"].tolist() == [0.98, 0.97] and str(table["epochs_trained"].dtype) == "Int64"


@pytest.mark.parametrize("value, text", [
    (None, ""), (np.nan, ""), (pd.NA, ""), (0.96934, "0.9693"), (12.3456, "12.35"), (123456.7, "123457"),
    (0.0, "0"), (0.25, "0.25"), (np.float64(1e-5), "1e-05"), (np.int64(16), "16"), (float("inf"), "inf"),
    (float("-inf"), "-inf"), (True, "True"), ("relu", "relu"),
])
def test_format_value(value, text):
    assert format_value(value) == text


TABLE = pd.DataFrame({"name": ["a|b", None], "n": pd.array([1, None], dtype="Int64"), "x": [0.123456, 2.0]})


def _cells(line):
    return [cell.strip() for cell in line.strip("|").replace("\\|", "\0").split("|")]


def test_markdown_table():
    lines = markdown_table(TABLE).splitlines()
    assert len(lines) == 4 and all(line.startswith("|") and line.endswith("|") for line in lines)
    assert _cells(lines[0]) == ["name", "n", "x"]
    assert set(lines[1]) <= set("|-: ")
    # The "|" in a cell is escaped, so the row keeps its three cells.
    assert _cells(lines[2]) == ["a\0b", "1", "0.1235"] and "a\\|b" in lines[2]
    assert _cells(lines[3]) == ["", "", "2"]


def test_markdown_table_right_aligns_numeric_columns_when_rendered():
    rule = _cells(markdown_table(TABLE).splitlines()[1])
    assert [cell.startswith(":") for cell in rule] == [True, False, False]
    assert [cell.endswith(":") for cell in rule] == [False, True, True]


def test_html_table_escapes_and_formats_as_the_markdown():
    text = html_table(pd.DataFrame({"name": ["<b>", "a&b"], "x": [0.5, 1 / 3]}))
    assert "&lt;b&gt;" in text and "a&amp;b" in text and "<b>" not in text
    assert ">0.5</td>" in text and ">0.3333</td>" in text
    assert text.count("<tr>") == 3 and ">name</th>" in text


def test_html_table_marks_numbers_for_right_alignment():
    text = html_table(pd.DataFrame({"name": ["a"], "x": [0.5]}))
    cells = re.findall(r'<td [^>]*class="([^"]*)"', text)
    assert text == html_table(pd.DataFrame({"name": ["a"], "x": [0.5]}))  # deterministic
    assert len(cells) == 2 and "number" not in cells[0].split() and "number" in cells[1].split()


def test_html_page_escapes_its_title():
    page = html_page("a <b>", "<p>body</p>")
    assert page.startswith("<!DOCTYPE html>") and "<title>a &lt;b&gt;</title>" in page
    assert "<p>body</p>" in page and "td.number" in page


def test_metric_values_average_test_noises_and_select_classifiers(fake_tables):
    metric = ANALYSES["denoising"].metrics["denoising_psnr"]
    values = metric_values(fake_tables["denoising"], metric)
    assert list(values.columns) == COLUMNS + ["value"]
    assert len(values) == 2 * (N_VARIANTS + 1 + len(LATENT_DIMS))  # + noisy + PCA of each size
    assert values.groupby(["dataset", "representation"]).size().eq(1).all()
    table = fake_tables["denoising"]
    name = "mlp_latent8_relu_noise0.5_seed1"
    for split in SPLITS:
        rows = table[(table["dataset"] == "mnist") & (table["representation"] == name) & (table["split"] == split)]
        split_values = values if split == "test" else metric_values(table, metric, split=split)
        value = split_values[(split_values["dataset"] == "mnist") & (split_values["representation"] == name)]
        assert len(rows) == N_TEST_NOISES and value["value"].item() == pytest.approx(rows["psnr"].mean())
    # The test split by default, and the validation split when asked: not their mean.
    val = metric_values(table, metric, split="val")
    assert (val["value"].to_numpy() != values["value"].to_numpy()).any()
    knn_metric = ANALYSES["classification"].metrics["knn_accuracy"]
    classification = fake_tables["classification"]
    for split in SPLITS:
        knn = metric_values(classification, knn_metric, split=split)
        assert len(knn) == 2 * (N_VARIANTS + 1 + len(LATENT_DIMS))
        expected = classification.loc[(classification["classifier"] == "knn") & (classification["split"] == split),
                                      "accuracy"].to_numpy()
        np.testing.assert_allclose(knn["value"].to_numpy(), expected)


def test_metric_values_of_whitened_kmeans_leave_out_raw_pixels(fake_tables):
    values = metric_values(fake_tables["kmeans"], ANALYSES["kmeans"].metrics["kmeans_whitened_accuracy"])
    assert "pixels" not in set(values["method"])
    assert len(values) == 2 * (N_VARIANTS + len(LATENT_DIMS))


def test_best_and_best_per_latent_dim(fake_tables):
    metric = ANALYSES["reconstruction"].metrics["reconstruction_error"]
    values = metric_values(fake_tables["reconstruction"], metric)
    digits = values[values["dataset"] == "digits"]
    assert best(digits, higher_is_better=False)["representation"] == "mlp_latent8_tanh_noise0_seed0"
    assert best(digits, higher_is_better=True)["representation"] == "mlp_latent2_relu_noise0.5_seed1"
    chosen = best_per_latent_dim(digits, higher_is_better=False)
    assert {k: row["representation"] for k, row in chosen.items()} == {
        2: "mlp_latent2_tanh_noise0_seed0", 8: "mlp_latent8_tanh_noise0_seed0"}
    assert best(digits[digits["method"] == "pca"], True) is None
    assert best(digits, False, method="pca")["representation"] == "pca8"


def test_value_of(fake_tables):
    metric = ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    values = metric_values(fake_tables["kmeans"], metric)
    digits = values[values["dataset"] == "digits"]
    assert value_of(digits, "pixels") == pytest.approx(0.6)
    assert value_of(digits, "pca", 8) == pytest.approx(0.58)
    assert np.isnan(value_of(digits, "pca", 16)) and np.isnan(value_of(digits, "noisy"))


def test_a_table_written_before_the_objective_column_gets_it(fake_tables, tmp_path):
    old = fake_tables["kmeans"].drop(columns="objective")
    write_csv(old, tmp_path / "kmeans.csv")
    table = read_table(tmp_path / "kmeans.csv")
    assert list(table.columns) == list(fake_tables["kmeans"].columns)
    assert table["objective"].tolist() == fake_tables["kmeans"]["objective"].tolist()


def written(tables, directory):
    """`tables` as the workflow writes them and the summary read them before the tidy table."""
    for name, table in tables.items():
        write_csv(table, directory / f"{name}.csv")
    return {name: read_table(directory / f"{name}.csv") for name in tables}


def _declared_rows(table, metric):
    for column, value in metric.where:
        table = table[table[column] == value]
    return table


def test_the_tidy_table_holds_one_row_per_declared_measurement(fake_tables):
    metrics = metrics_table(fake_tables, ANALYSES)
    assert list(metrics.columns) == METRICS_COLUMNS + list(dict.fromkeys(
        key for name in fake_tables for key in ANALYSES[name].keys))
    assert not metrics.duplicated([c for c in metrics.columns if c not in ("value", "low", "high")]).any()
    for name, table in fake_tables.items():
        for metric_name, metric in ANALYSES[name].metrics.items():
            rows = _declared_rows(table, metric)
            tidy = metrics[(metrics["analysis"] == name) & (metrics["metric"] == metric_name)]
            assert len(tidy) == len(rows) > 0, (name, metric_name)
            np.testing.assert_array_equal(tidy["value"], rows[metric.column].astype(float))
            for bound in ("low", "high"):  # the analysis' own interval, where it has one
                expected = rows[f"{metric.column}_{bound}"] if f"{metric.column}_{bound}" in rows else np.nan
                np.testing.assert_array_equal(tidy[bound], np.broadcast_to(expected, len(rows)))
            for key in ANALYSES[name].keys:
                assert tidy[key].tolist() == rows[key].tolist()


def test_the_tables_read_through_the_tidy_table_agree_number_for_number(fake_tables, tmp_path):
    tables = written(fake_tables, tmp_path)
    write_csv(metrics_table(tables, ANALYSES), tmp_path / "metrics.csv")
    views = analysis_tables(load(tmp_path / "metrics.csv"), ANALYSES)
    assert list(views) == list(tables)
    for name, table in tables.items():
        for metric in ANALYSES[name].metrics.values():
            for split in SPLITS:
                pd.testing.assert_frame_equal(metric_values(views[name], metric, split),
                                              metric_values(table, metric, split))
    # Rows a metric averages stay apart, keys typed as the analysis' own table has them.
    for name in ("denoising", "inpainting"):
        columns = [*COLUMNS, "split", *ANALYSES[name].keys, *{m.column for m in ANALYSES[name].metrics.values()}]
        pd.testing.assert_frame_equal(views[name][columns], tables[name][columns])


def test_a_table_that_cannot_be_read_or_is_another_s_is_refused_naming_it(tmp_path):
    from study.seals import write_sealed

    path = tmp_path / "metrics.csv"
    write_sealed(path, "")
    with pytest.raises(ValueError, match="metrics.csv: not a readable table"):
        read_table(path)
    write_sealed(path, "dataset,representation,accuracy\ndigits,pca8,0.5\n")  # an analysis' table, not the tidy one
    with pytest.raises(ValueError, match="metrics.csv: has no column 'method'.*another table copied over it"):
        read_table(path, METRICS_COLUMNS)
    assert list(read_table(path)["accuracy"]) == [0.5]
