"""The workflow's analyses: per-variant rows, and baselines computed once that equal the
baseline rows the analysis modules compute beside a variant."""
import json

import numpy as np
import pytest

from diy.serialization import save
from study.analyses import (
    ANALYSES,
    baseline_codes,
    classification_analysis,
    classification_baseline,
    denoising_analysis,
    denoising_baseline,
    kmeans_analysis,
    kmeans_baseline,
    reconstruction_analysis,
    read_source,
    reconstruction_baseline,
    run_analysis,
    tsne_analysis,
    tsne_baseline,
)
from study.clustering import clustering
from study.denoising import denoising
from study.embedding import embedding
from study.latent_classification import latent_classification
from study.reconstruction import reconstruct, reconstruction
from study.results import write_npz

MLP = {"hidden": (16,), "epochs": 10, "batch_size": 64, "patience": 3, "lr": 3e-3}
KINDS, LEVELS = ("gaussian", "masking"), (0.1, 0.4)


@pytest.fixture(scope="module")
def data(digits):
    return {**digits, "image_shape": np.array([8, 8], dtype=np.int64)}


def test_baseline_codes(data):
    pixels = baseline_codes(data, "pixels")
    assert all(pixels[f"Z_{s}"] is data[f"X_{s}"] for s in ("train", "val", "test"))
    pca = baseline_codes(data, "pca3", seed=0)
    assert [pca[f"Z_{s}"].shape for s in ("train", "val", "test")] == [(600, 3), (200, 3), (300, 3)]
    with pytest.raises(ValueError, match="'noisy' is not a representation"):
        baseline_codes(data, "noisy")
    with pytest.raises(ValueError, match="not a baseline name"):
        baseline_codes(data, "pca0")


def test_reconstruction_rows_arrays_and_pca_baseline(data, autoencoder, assert_jsonable):
    model, _ = autoencoder
    rows, arrays = reconstruction_analysis(model, data, n_examples=5)
    pca_rows, pca_arrays = reconstruction_baseline(data, "pca8", seed=0, n_examples=5)
    assert_jsonable(rows + pca_rows)
    expected = reconstruction(data["X_test"], reconstruct(model, data["X_test"]), data["X_train"], 8, seed=0)
    assert rows + pca_rows == expected
    assert set(arrays) == {"indices", "image_shape", "clean", "reconstruction"}
    np.testing.assert_array_equal(arrays["indices"], np.arange(5))
    np.testing.assert_array_equal(pca_arrays["clean"], data["X_test"][:5])
    assert arrays["reconstruction"].shape == pca_arrays["reconstruction"].shape == (5, 64)
    with pytest.raises(ValueError, match="reconstruction has no 'pixels' baseline"):
        reconstruction_baseline(data, "pixels")


def test_kmeans_rows_and_baselines_equal_the_per_variant_ones(data, autoencoder):
    _, codes = autoencoder
    rows = kmeans_analysis(codes, data, n_init=2, seed=3)
    rows += kmeans_baseline(data, "pixels", n_init=2, seed=3) + kmeans_baseline(data, "pca8", n_init=2, seed=3)
    assert rows == clustering(codes["Z_test"], data["y_test"], data["X_train"], data["X_test"], n_init=2, seed=3,
                              Z_train=codes["Z_train"])
    assert [row["preprocessing"] for row in rows] == ["none", "whitened", "none", "none", "whitened"]


def test_tsne_rows_map_and_pixel_baseline(data, autoencoder):
    _, codes = autoencoder
    options = {"perplexity": 10, "max_iter": 250, "n_init": 2}
    rows, arrays = tsne_analysis(codes, data, 80, seed=1, **options)
    pixel_rows, pixel_arrays = tsne_baseline(data, "pixels", 80, seed=1, **options)
    expected, maps = embedding(codes["Z_test"], data["y_test"], 80, seed=1, X_test=data["X_test"],
                               baselines=("pixels",), **options)
    assert rows + pixel_rows == expected
    assert set(arrays) == {"indices", "y", "map"}
    np.testing.assert_array_equal(arrays["map"], maps["autoencoder"])
    np.testing.assert_array_equal(pixel_arrays["map"], maps["pixels"])
    np.testing.assert_array_equal(pixel_arrays["indices"], arrays["indices"])


def test_denoising_rows_and_baselines_equal_the_per_variant_ones(data, autoencoder):
    model, _ = autoencoder
    rows, examples = denoising_analysis(model, data, KINDS, LEVELS, seed=2, n_examples=3)
    noisy, _ = denoising_baseline(data, "noisy", KINDS, LEVELS, seed=2, n_examples=3)
    pca, pca_examples = denoising_baseline(data, "pca8", KINDS, LEVELS, seed=2, n_examples=3)
    assert {r["method"] for r in rows} == {"autoencoder"} and len(rows) == 4
    assert {r["method"] for r in noisy} == {"noisy"} and {r["method"] for r in pca} == {"pca"}
    expected, expected_examples = denoising(model, data["X_test"], KINDS, LEVELS, data["X_train"], 8, seed=2,
                                            example_indices=range(3))
    key = lambda r: (r["test_noise_kind"], r["test_noise_level"], r["method"])
    assert sorted(rows + noisy + pca, key=key) == sorted(expected, key=key)
    np.testing.assert_array_equal(examples["autoencoder"], expected_examples["autoencoder"])
    np.testing.assert_array_equal(pca_examples["pca"], expected_examples["pca"])
    np.testing.assert_array_equal(examples["image_shape"], [8, 8])
    with pytest.raises(ValueError, match="denoising has no 'pixels' baseline"):
        denoising_baseline(data, "pixels", KINDS, LEVELS)


def test_denoising_without_a_model_gives_the_noisy_rows_only(data):
    rows, examples = denoising(None, data["X_test"], ["gaussian"], [0.3], seed=0, example_indices=[0])
    assert [r["method"] for r in rows] == ["noisy"] and "autoencoder" not in examples


def test_classification_rows_and_baselines_equal_the_per_variant_ones(data, autoencoder, assert_jsonable):
    _, codes = autoencoder
    options = {"knn_k": 3, "logistic_max_iter": 300, "mlp": MLP}
    rows = classification_analysis(codes, data, seed=0, **options)
    rows += classification_baseline(data, "pca8", seed=0, **options)
    assert_jsonable(rows)
    json.dumps(rows)
    assert rows == latent_classification(codes["Z_train"], data["y_train"], codes["Z_val"], data["y_val"],
                                         codes["Z_test"], data["y_test"], data["X_train"], data["X_val"],
                                         data["X_test"], baselines=("pca",), seed=0, knn_k=3,
                                         logistic_max_iter=300, mlp_params=MLP)
    pixels = classification_baseline(data, "pixels", seed=0, methods=("knn",), knn_k=3)
    assert [(r["representation"], r["classifier"]) for r in pixels] == [("pixels", "knn")]
    assert pixels[0]["test_accuracy"] > 0.9


def test_the_dispatch_table_names_each_analysis_its_functions_input_and_npz_output():
    assert {name: (a.variant.__name__, a.baseline.__name__, a.reads, a.npz) for name, a in ANALYSES.items()} == {
        "reconstruction": ("reconstruction_analysis", "reconstruction_baseline", "model", "examples"),
        "kmeans": ("kmeans_analysis", "kmeans_baseline", "codes", None),
        "tsne": ("tsne_analysis", "tsne_baseline", "codes", "map"),
        "denoising": ("denoising_analysis", "denoising_baseline", "model", "examples"),
        "classification": ("classification_analysis", "classification_baseline", "codes", None),
    }


def test_run_analysis_calls_the_named_functions_and_reads_what_they_need(data, autoencoder, tmp_path):
    model, codes = autoencoder
    settings = {"n_init": 2, "seed": 3}
    assert run_analysis("kmeans", data, settings, codes=codes) == (kmeans_analysis(codes, data, **settings), None)
    assert run_analysis("kmeans", data, settings, baseline="pca8") == (kmeans_baseline(data, "pca8", **settings), None)
    rows, arrays = run_analysis("reconstruction", data, {"n_examples": 3}, model=model)
    expected_rows, expected_arrays = reconstruction_analysis(model, data, n_examples=3)
    assert rows == expected_rows and set(arrays) == set(expected_arrays)
    np.testing.assert_array_equal(arrays["reconstruction"], expected_arrays["reconstruction"])

    save(model, tmp_path / "model.npz")
    write_npz(tmp_path / "codes.npz", codes)
    assert run_analysis("reconstruction", data, {"n_examples": 3},
                        model=read_source("reconstruction", tmp_path / "model.npz"))[0] == expected_rows
    read = read_source("kmeans", tmp_path / "codes.npz")
    np.testing.assert_array_equal(read["Z_test"], codes["Z_test"])

    with pytest.raises(ValueError, match="kmeans of a variant reads its codes"):
        run_analysis("kmeans", data, settings, model=model)
    with pytest.raises(ValueError, match="'pca' is not an analysis"):
        run_analysis("pca", data, {}, baseline="pca8")
