"""Manifold clustering (N2D): a seeded UMAP of the split's codes, then a Gaussian mixture,
scored against the labels."""
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from study.analyses import ANALYSES, Source
from study.analyses.kmeans import accuracy_interval, cluster_scores
from study.analyses.manifold import manifold_clusters, run, umap_embedding
from study.config import ConfigError, validate_config

#: N2D's UMAP, with a short bootstrap.
SETTINGS = {"n_components": None, "n_neighbors": 20, "min_dist": 0.0, "n_init": 10, "seed": 0, "resamples": 100,
            "confidence": 0.95}
KEYS = {"accuracy", "accuracy_low", "accuracy_high", "nmi", "ari"}


def blobs(n=300, seed=0):
    Z, y = make_blobs(n_samples=n, centers=4, n_features=8, cluster_std=0.5, center_box=(-20, 20),
                      random_state=seed)
    return Z.astype(np.float32), y


def test_well_separated_blobs_are_clustered_perfectly():
    Z, y = blobs()
    rows, arrays = run({"X_test": Z, "y_test": y}, Source("blobs", "pixels", codes={"Z_test": Z}), SETTINGS)
    assert rows == [pytest.approx({"accuracy": 1.0, "accuracy_low": 1.0, "accuracy_high": 1.0, "nmi": 1.0, "ari": 1.0})]
    assert arrays == {}


def test_a_seeded_run_is_bit_identical_and_the_seed_matters():
    Z, _ = blobs(seed=1)
    embedding = umap_embedding(Z, 3, 15, 0.0, seed=0)
    np.testing.assert_array_equal(umap_embedding(Z, 3, 15, 0.0, seed=0), embedding)
    assert not np.array_equal(umap_embedding(Z, 3, 15, 0.0, seed=1), embedding)
    np.testing.assert_array_equal(manifold_clusters(Z, 4, SETTINGS), manifold_clusters(Z, 4, SETTINGS))


def test_the_embedding_has_as_many_dimensions_as_classes_unless_told(digits, autoencoder):
    _, codes = autoencoder
    Z = codes["Z_val"]
    assert umap_embedding(Z, 2, 10, 0.1, seed=0).shape == (len(Z), 2)
    assert umap_embedding(Z, 2, 10, 0.1, seed=0).dtype == np.float64
    # n_components None: the number of classes, so the mixture sees the same map as an explicit 10.
    np.testing.assert_array_equal(manifold_clusters(Z, 10, SETTINGS),
                                  manifold_clusters(Z, 10, {**SETTINGS, "n_components": 10}))


@pytest.mark.parametrize("representation", ["mlp_latent8_tanh_noise0_seed0", "pca8", "pixels"])
def test_rows_of_codes_pixels_and_pca(run_analysis, representation, split_rows, assert_jsonable):
    rows, arrays = run_analysis("manifold", representation)
    assert [row["split"] for row in rows] == ["val", "test"] and arrays == {}
    assert_jsonable(rows)
    for split in ("val", "test"):
        (row,) = split_rows(rows, split)
        assert set(row) == KEYS
        # Digits cluster far above chance (0.1) after UMAP, without being perfect.
        assert 0.5 < row["accuracy_low"] < row["accuracy"] < row["accuracy_high"] < 1
        assert 0.5 < row["nmi"] < 1 and 0.3 < row["ari"] < 1


def test_rows_are_the_scores_of_clusters_computed_from_the_codes_alone(run_analysis, make_source, digits,
                                                                       small_config, ae_name, split_rows):
    """The clusters come from the codes and k (never the labels), fitted on the split itself."""
    rows, _ = run_analysis("manifold", ae_name)
    settings = ANALYSES["manifold"].settings(small_config)
    assert (settings["n_components"], settings["n_neighbors"], settings["min_dist"], settings["n_init"]) == (
        None, 20, 0.0, 10)
    codes = make_source(ANALYSES["manifold"], ae_name).codes
    for split in ("val", "test"):
        y, clusters = digits[f"y_{split}"], manifold_clusters(codes[f"Z_{split}"], 10, settings)
        scores = cluster_scores(y, clusters)
        assert split_rows(rows, split) == [{"accuracy": scores.pop("accuracy"),
                                            **accuracy_interval(y, clusters, settings), **scores}]


@pytest.mark.parametrize("section, message", [
    ({"n_neighbors": 1}, "config: analysis.manifold.n_neighbors = 1: must be >= 2"),
    ({"min_dist": -0.5}, "config: analysis.manifold.min_dist = -0.5: must be in [0, 1]"),
    ({"n_components": 0}, "config: analysis.manifold.n_components = 0: must be >= 1"),
    ({"n_init": 0}, "config: analysis.manifold.n_init = 0: must be >= 1"),
])
def test_a_bad_setting_is_rejected_naming_its_key(schema, defaults, section, message):
    with pytest.raises(ConfigError) as error:
        validate_config({"analysis": {"manifold": section}}, schema, defaults=defaults)
    assert message in str(error.value)


def test_importing_the_analyses_does_not_import_umap():
    """A job pays for umap-learn and numba (seconds) only if it runs the manifold analysis."""
    code = "import sys, study.analyses; print(sorted({'umap', 'numba', 'sklearn'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
