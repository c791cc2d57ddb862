"""k-means on codes and baselines."""
import json

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from study.clustering import cluster, clustering, fit_whitening, whiten


def blobs(seed=0):
    Z, y = make_blobs(n_samples=300, centers=4, n_features=5, cluster_std=0.5, center_box=(-50, 50),
                      random_state=seed)
    return Z.astype(np.float32), y


def test_well_separated_blobs_are_clustered_perfectly():
    Z, y = blobs()
    assert cluster(Z, y, n_init=3, seed=0) == pytest.approx({"accuracy": 1.0, "nmi": 1.0, "ari": 1.0})


def test_whitened_train_codes_have_zero_mean_and_identity_covariance():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(500, 3)) @ np.array([[3.0, 0, 0], [1, 0.2, 0], [0, 2, 5]]) + [1, -2, 7]
    W = whiten(Z, fit_whitening(Z))
    np.testing.assert_allclose(W.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(np.cov(W, rowvar=False), np.eye(3), atol=1e-10)


def test_whitening_drops_constant_directions_and_rejects_constant_codes():
    rng = np.random.default_rng(1)
    Z = np.column_stack([rng.normal(size=200), np.full(200, 4.0), rng.normal(size=200)])  # a dead unit
    assert whiten(Z, fit_whitening(Z)).shape == (200, 2)
    with pytest.raises(ValueError, match="constant"):
        fit_whitening(np.ones((10, 3)))


def test_whitened_kmeans_ignores_an_invertible_linear_map_of_the_codes():
    # Four round blobs on a square; stretched 40 times along x, raw k-means cuts along x
    # and mixes the blobs that differ in y only. An invertible map loses no information.
    rng = np.random.default_rng(2)
    y = np.repeat(np.arange(4), 150)
    Z = rng.normal(size=(600, 2)) * 0.5 + np.array([[0, 0], [0, 6], [6, 0], [6, 6]])[y]
    A = np.array([[40.0, 0.0], [3.0, 1.0]])  # stretch and shear: an equivalent code
    Z_mapped = Z @ A
    train, test = slice(0, None, 2), slice(1, None, 2)
    raw = cluster(Z_mapped[test], y[test], n_init=5, seed=0)["accuracy"]
    whitened = [cluster(whiten(C[test], fit_whitening(C[train])), y[test], n_init=5, seed=0)["accuracy"]
                for C in (Z, Z_mapped)]
    assert whitened[0] == whitened[1] > 0.95 > raw


def test_rows_for_codes_pixels_and_pca(digits, autoencoder, assert_jsonable):
    _, codes = autoencoder
    rows = clustering(codes["Z_test"], digits["y_test"], digits["X_train"], digits["X_test"], n_init=3, seed=0,
                      Z_train=codes["Z_train"])
    assert [(row["representation"], row["preprocessing"]) for row in rows] == [
        ("autoencoder", "none"), ("autoencoder", "whitened"), ("pixels", "none"), ("pca", "none"),
        ("pca", "whitened")]
    assert all(set(row) == {"representation", "preprocessing", "accuracy", "nmi", "ari"} for row in rows)
    assert_jsonable(rows)
    json.dumps(rows)
    # k-means on digits pixels is far above chance (0.1) without being perfect.
    assert all(0.5 < row["accuracy"] < 1 for row in rows)


def test_codes_only_and_unknown_baseline(digits, autoencoder):
    _, codes = autoencoder
    rows = clustering(codes["Z_test"], digits["y_test"], baselines=(), n_init=2)
    assert [(row["representation"], row["preprocessing"]) for row in rows] == [("autoencoder", "none")]
    with pytest.raises(ValueError, match="unknown baseline"):
        clustering(codes["Z_test"], digits["y_test"], baselines=("umap",))


def test_same_seed_same_numbers(digits, autoencoder):
    _, codes = autoencoder
    run = lambda: clustering(codes["Z_test"], digits["y_test"], digits["X_train"], digits["X_test"], n_init=3, seed=5)
    assert run() == run()
