"""The analyses registry: every analysis declares what the workflow, the tables and the figures
need, and returns the same shape of result for every representation it applies to."""
import json
import pkgutil

import numpy as np
import pytest

import study.analyses
from study.analyses import (ANALYSES, REPRESENTATION_BASELINES, SPLITS, Analysis, Figure, Metric, Source,
                            split_view)
from study.report import category_number
from study.representations import describe
from study.results import document, read_npz, write_npz
from study.tables import analysis_table, metric_values
NAMES = sorted(ANALYSES)


def test_every_module_of_the_package_is_registered_under_its_name():
    modules = sorted(module.name for module in pkgutil.iter_modules(study.analyses.__path__)
                     if not module.name.startswith("_"))
    assert "kmeans" in ANALYSES and NAMES == modules
    for name, analysis in ANALYSES.items():
        assert isinstance(analysis, Analysis) and analysis.name == name
        assert analysis.run.__module__ == f"study.analyses.{name}"


@pytest.mark.parametrize("name", NAMES)
def test_declaration(name, defaults, small_config, ae_name):
    analysis = ANALYSES[name]
    assert analysis.reads in ("codes", "model")
    if analysis.reads == "model":  # raw pixels have no model to give images back
        assert "pixels" not in analysis.baselines
    assert analysis.own_baselines == tuple(b for b in analysis.baselines if b not in REPRESENTATION_BASELINES)
    assert all(isinstance(metric, Metric) for metric in analysis.metrics.values())
    for metric in analysis.metrics.values():
        assert {column for column, _ in metric.where} <= set(analysis.keys)
    assert all(isinstance(figure, Figure) and callable(figure.draw) for figure in analysis.figures.values())
    assert analysis.caption and analysis.category
    # Its report section: numbered (the menu's order), the number its own or its section's.
    number = category_number(analysis.category)
    assert {a.category for a in ANALYSES.values() if category_number(a.category) == number} == {analysis.category}
    # Its config section has a default for every key of its schema, in config.yaml.
    assert set(analysis.schema) == set(defaults["analysis"].get(name, {}))
    settings = analysis.settings(small_config)
    assert settings.get("seed", 0) == small_config["analysis"]["seed"]
    json.dumps(settings)  # Snakemake params: plain values
    assert analysis.threads("pixels") >= 1 and analysis.threads(ae_name) >= 1


def test_inputs_are_the_data_and_what_the_analysis_reads_of_the_representation(ae_name):
    """The files the workflow declares for a job and the job's script reads (one function)."""
    data = {"data": "data/digits.npz"}
    own = f"out/digits/repr/{ae_name}"
    assert ANALYSES["kmeans"].inputs("out", "digits", ae_name) == {
        **data, "codes": f"{own}/codes.npz", "model": f"{own}/model.npz"}  # the model checks the codes
    assert ANALYSES["kmeans"].inputs("out", "digits", "pixels") == {
        **data, "codes": "out/digits/repr/pixels/codes.npz"}  # raw pixels have no model
    assert ANALYSES["reconstruction"].inputs("out", "digits", "pca8") == {
        **data, "model": "out/digits/repr/pca8/model.npz"}
    assert ANALYSES["kmeans"].input_kinds("pixels") == ("data", "codes")
    assert ANALYSES["denoising"].own_baselines == ("noisy",)
    assert ANALYSES["denoising"].inputs("out", "digits", "noisy") == data


def test_metric_and_figure_names_are_unique_across_analyses():
    metrics = [m for a in ANALYSES.values() for m in a.metrics]
    figures = [f for a in ANALYSES.values() for f in a.figures]
    assert len(metrics) == len(set(metrics)) and len(figures) == len(set(figures))


@pytest.mark.parametrize("name", NAMES)
def test_every_analysis_returns_rows_and_arrays_of_the_same_shape(
        name, run_analysis, source_names, ae_name, assert_jsonable, tmp_path):
    """Evaluated on the autoencoder, through its files, and on every baseline the analysis declares."""
    analysis = ANALYSES[name]
    columns = set(analysis.keys) | {metric.column for metric in analysis.metrics.values()}
    reference, reference_arrays = run_analysis(name, ae_name)
    for representation in source_names(analysis):
        rows, arrays = run_analysis(name, representation)
        assert isinstance(rows, list) and rows, representation
        assert_jsonable(rows)
        json.dumps(rows)
        for row in rows:
            assert columns <= set(row), (representation, columns - set(row))
            assert set(row) == set(reference[0]), representation
            assert next(iter(row)) == "split"  # the first column after the representation's
        # The validation split's rows, then the test split's, the same keys in the same order.
        splits = [row["split"] for row in rows]
        assert splits == sorted(splits, key=SPLITS.index) and set(splits) == set(SPLITS), representation
        keys = {split: [tuple(row[key] for key in analysis.keys) for row in rows if row["split"] == split]
                for split in SPLITS}
        assert keys["val"] == keys["test"], representation
        assert len(set(keys["test"])) == len(keys["test"]), representation
        # The autoencoder's rows, but for a step a baseline skips (raw pixels are not whitened).
        assert set(keys["test"]) <= {tuple(row[key] for key in analysis.keys) for row in reference}
        # The same arrays, written without pickles and read back unchanged.
        assert isinstance(arrays, dict) and all(isinstance(a, np.ndarray) for a in arrays.values())
        assert set(arrays) - {"codes"} == set(reference_arrays) - {"codes"}, representation
        path = tmp_path / f"{representation}.npz"
        write_npz(path, arrays)
        back = read_npz(path)
        assert set(back) == set(arrays)
        for key in arrays:
            np.testing.assert_array_equal(back[key], arrays[key])


@pytest.mark.parametrize("name", NAMES)
def test_every_metric_gives_one_value_per_representation(name, run_analysis, source_names, ae_name):
    analysis = ANALYSES[name]
    documents = [document(name, "digits", representation, describe(representation), {}, run_analysis(name, representation)[0])
                 for representation in source_names(analysis)]
    table = analysis_table(documents)
    for metric in analysis.metrics.values():
        for split in SPLITS:
            values = metric_values(table, metric, split=split)
            assert values["representation"].is_unique
            assert ae_name in set(values["representation"]) and "pca8" in set(values["representation"])
            assert values["value"].notna().all()
        # Each split's own numbers: the validation and test images differ, so do their scores.
        val, test = (metric_values(table, metric, split=split).set_index("representation")["value"]
                     for split in SPLITS)
        assert (val != test).any(), metric.column


@pytest.mark.parametrize("name", ["kmeans", "reconstruction"])
def test_evaluate_gives_run_on_the_validation_split_then_on_the_test_split(
        name, run_analysis, make_source, digits, small_config, ae_name, split_rows):
    """The validation rows are ``run`` on the data with the validation split in the test split's
    place; the test rows and the arrays are ``run`` on the data as it is."""
    analysis = ANALYSES[name]
    source, settings = make_source(analysis, ae_name), analysis.settings(small_config)
    rows, arrays = run_analysis(name, ae_name)
    val_data, val_source = split_view(digits, source, "val")
    assert split_rows(rows, "val") == analysis.run(val_data, val_source, settings)[0]
    test_rows, test_arrays = analysis.run(digits, source, settings)
    assert split_rows(rows, "test") == test_rows
    assert set(arrays) == set(test_arrays)
    for key in arrays:
        np.testing.assert_array_equal(arrays[key], test_arrays[key])
    assert split_rows(rows, "val") != split_rows(rows, "test")


def test_split_view_puts_the_validation_split_in_the_test_split_s_place(digits, make_source, ae_name):
    source = make_source(ANALYSES["kmeans"], ae_name)
    data, view = split_view(digits, source, "val")
    assert data["X_test"] is digits["X_val"] and data["y_test"] is digits["y_val"]
    assert view.codes["Z_test"] is source.codes["Z_val"]
    for key in ("X_train", "y_train", "X_val", "y_val", "image_shape"):
        assert data[key] is digits[key]
    assert view.codes["Z_train"] is source.codes["Z_train"] and view.name == source.name
    # The data and source given are left as they were.
    assert source.codes["Z_test"] is not source.codes["Z_val"] and digits["X_test"] is not digits["X_val"]
    assert split_view(digits, source, "test") == (digits, source)
    # A source that reads a model has no codes to swap.
    model_source = Source("m", "autoencoder", 8, model=object())
    assert split_view(digits, model_source, "val")[1].codes is None


def test_an_analysis_that_scores_both_splits_itself_runs_once():
    calls = []

    def run(data, source, settings):
        calls.append(data)
        return [{"split": "val", "x": 1.0}, {"split": "test", "x": 2.0}], {"a": np.zeros(1)}

    itself = Analysis("toy", reads="codes", run=run, settings=lambda config: {}, splits_itself=True)
    data = {"X_test": 1, "y_test": 2, "X_val": 3, "y_val": 4}
    rows, arrays = itself.evaluate(data, Source("pixels", "pixels", codes={"Z_test": 0, "Z_val": 1}), {})
    assert calls == [data] and rows == [{"split": "val", "x": 1.0}, {"split": "test", "x": 2.0}]
    assert list(arrays) == ["a"]


@pytest.mark.parametrize("metric, kind", [
    (Metric("accuracy", "a", unit_interval=True), "accuracy"), (Metric("error", "e"), "error"),
    (Metric("psnr", "p", kind="psnr"), "psnr")])
def test_a_metric_s_numbers_are_written_by_its_kind(metric, kind):
    assert metric.number_kind == kind


def test_every_registered_metric_is_written_by_its_kind():
    """PSNRs in dB with 2 decimals, scores in [0, 1] with 3, errors to 3 significant digits."""
    for analysis in ANALYSES.values():
        for name, metric in analysis.metrics.items():
            expected = ("psnr" if metric.column == "psnr" else "accuracy" if metric.unit_interval else "error")
            assert metric.number_kind == expected, name


def _loader(run_analysis, analysis, ae_name):
    """``load(name)`` for the fake study's names: the arrays the analysis really wrote for the
    representation of the same kind (a 2-dimensional code for latent size 2)."""
    def load(name):
        if name.startswith("mlp_"):
            name = "pca2" if "_latent2_" in name else ae_name
        elif name.startswith("pca"):
            name = "pca2" if name == "pca2" else "pca8"
        return run_analysis(analysis, name)[1]

    return load


# The prior samples need VAEs, which the fake grid lacks: test_interpolation.py draws them.
@pytest.mark.parametrize("name, figure", [(a.name, f) for a in ANALYSES.values() for f in a.figures
                                          if f != "prior_samples"])
def test_every_figure_draws_from_its_table_and_the_arrays_the_analysis_writes(
        name, figure, fake_tables, run_analysis, fake_grid, ae_name):
    from matplotlib.figure import Figure as MatplotlibFigure

    declared = ANALYSES[name].figures[figure]
    assert declared.applies({"grid": fake_grid["grid"]})  # latent sizes 2 and 8: every figure
    fig = declared.draw(fake_tables, "digits", _loader(run_analysis, name, ae_name))
    assert isinstance(fig, MatplotlibFigure) and fig.get_axes()
    assert fig._suptitle.get_text().startswith("digits: ")
