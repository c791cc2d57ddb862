"""k-means on codes and baselines."""
import json

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from diy.study.clustering import cluster, clustering


def blobs(seed=0):
    Z, y = make_blobs(n_samples=300, centers=4, n_features=5, cluster_std=0.5, center_box=(-50, 50),
                      random_state=seed)
    return Z.astype(np.float32), y


def test_well_separated_blobs_are_clustered_perfectly():
    Z, y = blobs()
    assert cluster(Z, y, n_init=3, seed=0) == pytest.approx({"accuracy": 1.0, "nmi": 1.0, "ari": 1.0})


def test_rows_for_codes_pixels_and_pca(digits, autoencoder, assert_jsonable):
    _, codes = autoencoder
    rows = clustering(codes["Z_test"], digits["y_test"], digits["X_train"], digits["X_test"], n_init=3, seed=0)
    assert [row["representation"] for row in rows] == ["autoencoder", "pixels", "pca"]
    assert all(set(row) == {"representation", "accuracy", "nmi", "ari"} for row in rows)
    assert_jsonable(rows)
    json.dumps(rows)
    # k-means on digits pixels is far above chance (0.1) without being perfect.
    assert all(0.5 < row["accuracy"] < 1 for row in rows)


def test_codes_only_and_unknown_baseline(digits, autoencoder):
    _, codes = autoencoder
    rows = clustering(codes["Z_test"], digits["y_test"], baselines=(), n_init=2)
    assert [row["representation"] for row in rows] == ["autoencoder"]
    with pytest.raises(ValueError, match="unknown baseline"):
        clustering(codes["Z_test"], digits["y_test"], baselines=("umap",))


def test_same_seed_same_numbers(digits, autoencoder):
    _, codes = autoencoder
    run = lambda: clustering(codes["Z_test"], digits["y_test"], digits["X_train"], digits["X_test"], n_init=3, seed=5)
    assert run() == run()
