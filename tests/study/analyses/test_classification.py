"""Classifiers trained once on a representation's train codes, scored on validation and test,
each accuracy with its bootstrap interval over the split's images."""
import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.neighbors import KNeighborsClassifier

from study.analyses import ANALYSES
from study.analyses.classification import METHODS, classify, run
from study.bootstrap import bootstrap_interval

MLP = {"hidden": (32,), "epochs": 40, "batch_size": 64, "patience": 5, "lr": 3e-3}
KEYS = {"split", "classifier", "accuracy", "accuracy_low", "accuracy_high"}


def test_separable_blobs_are_classified_perfectly():
    Z, y = make_blobs(n_samples=400, centers=3, n_features=4, cluster_std=0.5, center_box=(-20, 20),
                      random_state=0)
    codes = {"Z_train": Z[:200], "Z_val": Z[200:300], "Z_test": Z[300:]}
    data = {"y_train": y[:200], "y_val": y[200:300], "y_test": y[300:]}
    rows = classify(codes, data, methods=METHODS, seed=0, mlp_params=MLP, resamples=100)
    # The validation split's rows, then the test split's, one per classifier in each.
    assert [(row["split"], row["classifier"]) for row in rows] == [
        (split, method) for split in ("val", "test") for method in METHODS]
    # Every image right in every resample: an interval of no width at 1.
    assert all((row["accuracy"], row["accuracy_low"], row["accuracy_high"]) == (1.0, 1.0, 1.0) for row in rows)


@pytest.mark.parametrize("representation", ["mlp_latent8_tanh_noise0_seed0", "pixels", "pca8"])
def test_rows_per_classifier(run_analysis, representation):
    rows, arrays = run_analysis("classification", representation)
    assert [(row["split"], row["classifier"]) for row in rows] == [
        (split, method) for split in ("val", "test") for method in METHODS]
    assert arrays == {} and all(set(row) == KEYS for row in rows)
    # Digits are easy: every classifier on every representation is far above chance.
    assert all(row["accuracy"] > 0.8 for row in rows)
    assert all(row["accuracy_low"] < row["accuracy"] < row["accuracy_high"] for row in rows)
    if representation == "pixels":
        accuracy = {row["classifier"]: row["accuracy"] for row in rows if row["split"] == "test"}
        assert accuracy["logistic"] > 0.9 and accuracy["knn"] > 0.9


def test_knn_rows_equal_an_independent_computation(run_analysis, make_source, digits, small_config, ae_name):
    rows, _ = run_analysis("classification", ae_name)
    codes = make_source(ANALYSES["classification"], ae_name).codes
    settings = ANALYSES["classification"].settings(small_config)
    knn = KNeighborsClassifier(settings["knn_k"]).fit(codes["Z_train"], digits["y_train"])
    for split in ("val", "test"):
        row = next(row for row in rows if row["classifier"] == "knn" and row["split"] == split)
        correct = (knn.predict(codes[f"Z_{split}"]) == digits[f"y_{split}"]).astype(float)
        assert row["accuracy"] == correct.mean()
        # The percentile bootstrap of the mean of the per-image 0/1 scores, seeded by the analysis seed.
        interval = bootstrap_interval(correct, n_resamples=settings["resamples"],
                                      confidence=settings["confidence"], seed=settings["seed"])
        assert (row["accuracy_low"], row["accuracy_high"]) == pytest.approx((interval.low, interval.high))


def test_the_interval_narrows_with_the_confidence(digits, autoencoder):
    _, codes = autoencoder
    wide, narrow = (classify(codes, digits, methods=("knn",), resamples=400, confidence=c)[1]
                    for c in (0.99, 0.5))
    assert wide["split"] == narrow["split"] == "test" and wide["accuracy"] == narrow["accuracy"]
    assert wide["accuracy_low"] < narrow["accuracy_low"] <= narrow["accuracy_high"] < wide["accuracy_high"]


def test_the_settings_carry_the_bootstrap_section(small_config):
    settings = ANALYSES["classification"].settings(small_config)
    bootstrap = small_config["analysis"]["bootstrap"]
    assert (settings["resamples"], settings["confidence"]) == (bootstrap["resamples"], bootstrap["confidence"])


def test_same_seed_same_numbers(digits, make_source, small_config, ae_name):
    analysis = ANALYSES["classification"]
    source, settings = make_source(analysis, ae_name), analysis.settings(small_config)
    assert run(digits, source, settings) == run(digits, source, settings)


def test_unknown_classifier_is_refused(digits, autoencoder):
    _, codes = autoencoder
    with pytest.raises(ValueError, match="unknown classifier 'svm'"):
        classify(codes, digits, methods=("svm",))
