"""Classifiers on codes, raw pixels and PCA codes."""
import json

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from study.latent_classification import classify, latent_classification

MLP = {"hidden": (32,), "epochs": 40, "batch_size": 64, "patience": 5, "lr": 3e-3}


def test_separable_blobs_are_classified_perfectly():
    Z, y = make_blobs(n_samples=400, centers=3, n_features=4, cluster_std=0.5, center_box=(-20, 20), random_state=0)
    splits = (Z[:200], y[:200], Z[200:300], y[200:300], Z[300:], y[300:])
    rows = classify(*splits, methods=("logistic", "knn", "mlp"), seed=0, mlp_params=MLP)
    assert [row["classifier"] for row in rows] == ["logistic", "knn", "mlp"]
    assert all(row["val_accuracy"] == 1.0 and row["test_accuracy"] == 1.0 for row in rows)


def test_rows_per_representation_and_classifier(digits, autoencoder, assert_jsonable):
    _, codes = autoencoder
    rows = latent_classification(codes["Z_train"], digits["y_train"], codes["Z_val"], digits["y_val"],
                                 codes["Z_test"], digits["y_test"], digits["X_train"], digits["X_val"],
                                 digits["X_test"], seed=0, mlp_params=MLP)
    assert [(row["representation"], row["classifier"]) for row in rows] == [
        (r, c) for r in ("autoencoder", "pixels", "pca") for c in ("logistic", "knn", "mlp")]
    assert all(set(row) == {"representation", "classifier", "val_accuracy", "test_accuracy"} for row in rows)
    assert_jsonable(rows)
    json.dumps(rows)
    # Digits are easy: every classifier on every representation is far above chance.
    assert all(row["test_accuracy"] > 0.8 for row in rows)
    pixels = {row["classifier"]: row["test_accuracy"] for row in rows if row["representation"] == "pixels"}
    assert pixels["logistic"] > 0.9 and pixels["knn"] > 0.9


def test_same_seed_same_numbers(digits, autoencoder):
    _, codes = autoencoder
    run = lambda: latent_classification(codes["Z_train"], digits["y_train"], codes["Z_val"], digits["y_val"],
                                        codes["Z_test"], digits["y_test"], baselines=(), seed=2, mlp_params=MLP)
    assert run() == run()


def test_unknown_names_are_refused(digits, autoencoder):
    _, codes = autoencoder
    args = (codes["Z_train"], digits["y_train"], codes["Z_val"], digits["y_val"], codes["Z_test"], digits["y_test"])
    with pytest.raises(ValueError, match="unknown classifier"):
        classify(*args, methods=("svm",))
    with pytest.raises(ValueError, match="unknown baseline"):
        latent_classification(*args, baselines=("raw",))
