"""The analyses registry: every analysis declares what the workflow, the tables and the figures
need, and returns the same shape of result for every representation it applies to."""
import json

import numpy as np
import pytest

from study.analyses import ANALYSES, REPRESENTATION_BASELINES, Analysis, Figure, Metric
from study.results import document, read_npz, write_npz
from study.tables import analysis_table, metric_values
NAMES = sorted(ANALYSES)


def test_every_module_of_the_package_is_registered_under_its_name():
    assert NAMES == ["classification", "denoising", "inpainting", "kmeans", "reconstruction", "tsne"]
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
    # Its config section has a default for every key of its schema, in config.yaml.
    assert set(analysis.schema) == set(defaults["analysis"].get(name, {}))
    settings = analysis.settings(small_config)
    assert settings.get("seed", 0) == small_config["analysis"]["seed"]
    json.dumps(settings)  # Snakemake params: plain values
    assert analysis.threads("pixels") >= 1 and analysis.threads(ae_name) >= 1


def test_metric_and_figure_names_are_unique_across_analyses():
    metrics = [m for a in ANALYSES.values() for m in a.metrics]
    figures = [f for a in ANALYSES.values() for f in a.figures]
    assert len(metrics) == len(set(metrics)) and len(figures) == len(set(figures))


@pytest.mark.parametrize("name", NAMES)
def test_every_analysis_returns_rows_and_arrays_of_the_same_shape(
        name, run_analysis, source_names, ae_name, assert_jsonable, tmp_path):
    """Run on the autoencoder, through its files, and on every baseline the analysis declares."""
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
        keys = [tuple(row[key] for key in analysis.keys) for row in rows]
        assert len(set(keys)) == len(rows), representation
        # The autoencoder's rows, but for a step a baseline skips (raw pixels are not whitened).
        assert set(keys) <= {tuple(row[key] for key in analysis.keys) for row in reference}
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
    documents = [document(name, "digits", representation, {}, run_analysis(name, representation)[0])
                 for representation in source_names(analysis)]
    table = analysis_table(documents)
    for metric in analysis.metrics.values():
        values = metric_values(table, metric)
        assert values["representation"].is_unique
        assert ae_name in set(values["representation"]) and "pca8" in set(values["representation"])
        assert values["value"].notna().all()


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


@pytest.mark.parametrize("name, figure", [(a.name, f) for a in ANALYSES.values() for f in a.figures])
def test_every_figure_draws_from_its_table_and_the_arrays_the_analysis_writes(
        name, figure, fake_tables, run_analysis, fake_grid, ae_name):
    from matplotlib.figure import Figure as MatplotlibFigure

    declared = ANALYSES[name].figures[figure]
    assert declared.applies({"grid": fake_grid["grid"]})  # latent sizes 2 and 8: every figure
    fig = declared.draw(fake_tables, "digits", _loader(run_analysis, name, ae_name))
    assert isinstance(fig, MatplotlibFigure) and fig.get_axes()
    assert fig._suptitle.get_text().startswith("digits: ")
