"""Classifiers trained on a representation's train codes, scored on validation and test."""
import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.neighbors import KNeighborsClassifier

from study.analyses import ANALYSES
from study.analyses.classification import METHODS, classify, run

MLP = {"hidden": (32,), "epochs": 40, "batch_size": 64, "patience": 5, "lr": 3e-3}
KEYS = {"classifier", "val_accuracy", "test_accuracy"}


def test_separable_blobs_are_classified_perfectly():
    Z, y = make_blobs(n_samples=400, centers=3, n_features=4, cluster_std=0.5, center_box=(-20, 20),
                      random_state=0)
    codes = {"Z_train": Z[:200], "Z_val": Z[200:300], "Z_test": Z[300:]}
    data = {"y_train": y[:200], "y_val": y[200:300], "y_test": y[300:]}
    rows = classify(codes, data, methods=METHODS, seed=0, mlp_params=MLP)
    assert [row["classifier"] for row in rows] == ["logistic", "knn", "mlp"]
    assert all(row["val_accuracy"] == 1.0 and row["test_accuracy"] == 1.0 for row in rows)


@pytest.mark.parametrize("representation", ["mlp_latent8_tanh_noise0_seed0", "pixels", "pca8"])
def test_rows_per_classifier(run_analysis, representation):
    rows, arrays = run_analysis("classification", representation)
    assert [row["classifier"] for row in rows] == list(METHODS) and arrays == {}
    assert all(set(row) == KEYS for row in rows)
    # Digits are easy: every classifier on every representation is far above chance.
    assert all(row["test_accuracy"] > 0.8 for row in rows)
    if representation == "pixels":
        accuracy = {row["classifier"]: row["test_accuracy"] for row in rows}
        assert accuracy["logistic"] > 0.9 and accuracy["knn"] > 0.9


def test_knn_row_equals_an_independent_computation(run_analysis, make_source, digits, small_config, ae_name):
    rows, _ = run_analysis("classification", ae_name)
    codes = make_source(ANALYSES["classification"], ae_name).codes
    knn = KNeighborsClassifier(small_config["analysis"]["classification"]["knn_k"])
    knn.fit(codes["Z_train"], digits["y_train"])
    row = next(row for row in rows if row["classifier"] == "knn")
    assert row["val_accuracy"] == np.mean(knn.predict(codes["Z_val"]) == digits["y_val"])
    assert row["test_accuracy"] == np.mean(knn.predict(codes["Z_test"]) == digits["y_test"])


def test_same_seed_same_numbers(digits, make_source, small_config, ae_name):
    analysis = ANALYSES["classification"]
    source, settings = make_source(analysis, ae_name), analysis.settings(small_config)
    assert run(digits, source, settings) == run(digits, source, settings)


def test_unknown_classifier_is_refused(digits, autoencoder):
    _, codes = autoencoder
    with pytest.raises(ValueError, match="unknown classifier 'svm'"):
        classify(codes, digits, methods=("svm",))
