"""t-SNE of a seeded subset, and its scores."""
import json

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from study.embedding import embedding, subset_indices

KEYS = {"representation", "n_samples", "trustworthiness", "knn_accuracy", "kmeans_accuracy"}


def test_subset_is_seeded_sorted_and_distinct():
    indices = subset_indices(1000, 100, seed=1)
    assert len(np.unique(indices)) == 100 and np.all(np.diff(indices) > 0)
    np.testing.assert_array_equal(indices, subset_indices(1000, 100, seed=1))
    assert not np.array_equal(indices, subset_indices(1000, 100, seed=2))
    np.testing.assert_array_equal(subset_indices(50, 100, seed=1), np.arange(50))


def test_map_rows_and_arrays(digits, autoencoder, assert_jsonable):
    _, codes = autoencoder
    rows, arrays = embedding(codes["Z_test"], digits["y_test"], size=150, seed=0, X_train=digits["X_train"],
                             X_test=digits["X_test"], baselines=("pixels", "pca"), perplexity=10, max_iter=500)
    assert [row["representation"] for row in rows] == ["autoencoder", "pixels", "pca"]
    assert all(set(row) == KEYS for row in rows)
    assert_jsonable(rows)
    json.dumps(rows)
    assert set(arrays) == {"indices", "y", "autoencoder", "pixels", "pca"}
    np.testing.assert_array_equal(arrays["y"], digits["y_test"][arrays["indices"]])
    for name in ("autoencoder", "pixels", "pca"):
        assert arrays[name].shape == (150, 2) and arrays[name].dtype == np.float32
    for row in rows:
        assert row["n_samples"] == 150
        assert 0.5 < row["trustworthiness"] <= 1 and 0.5 < row["knn_accuracy"] <= 1
        assert 0.3 < row["kmeans_accuracy"] <= 1


def test_same_seed_same_map_and_numbers(digits, autoencoder):
    _, codes = autoencoder
    run = lambda: embedding(codes["Z_test"], digits["y_test"], size=120, seed=4, perplexity=10, max_iter=500)
    (rows1, arrays1), (rows2, arrays2) = run(), run()
    assert rows1 == rows2
    np.testing.assert_array_equal(arrays1["autoencoder"], arrays2["autoencoder"])


def test_well_separated_blobs_stay_separated():
    Z, y = make_blobs(n_samples=200, centers=3, n_features=10, cluster_std=0.5, center_box=(-50, 50), random_state=0)
    rows, _ = embedding(Z, y, size=150, seed=0, perplexity=15, max_iter=500)
    assert rows[0]["knn_accuracy"] == 1.0 and rows[0]["kmeans_accuracy"] == 1.0


def test_unknown_baseline_is_refused(digits, autoencoder):
    _, codes = autoencoder
    with pytest.raises(ValueError, match="unknown baseline"):
        embedding(codes["Z_test"], digits["y_test"], size=50, baselines=("isomap",))
