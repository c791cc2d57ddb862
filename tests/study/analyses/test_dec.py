"""DEC: a copy of a representation's encoder fine-tuned on the train split, its clusters of the
validation and test splits scored against the labels, the labels never in training."""
import hashlib

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from diy.autoencoder import AutoEncoder
from diy.linear import Linear
from diy.sequential import Sequential
from diy.sigmoid import Sigmoid
from study.analyses import ANALYSES, Source
from study.analyses.dec import assign, cluster_splits, fit_clusters, history_arrays, run
from study.analyses.kmeans import accuracy_interval, cluster_scores
from study.config import ConfigError, validate_config

#: Tiny DEC: a few refreshes on the 600 digits of the train split, a short bootstrap.
SETTINGS = {"n_init": 2, "update_interval": 10, "tol": 0.001, "max_iter": 60, "batch_size": 64,
            "optimizer": "sgd", "lr": 0.01, "momentum": 0.9, "alpha": 1.0, "seed": 0,
            "resamples": 100, "confidence": 0.95}
KEYS = {"split", "accuracy", "accuracy_low", "accuracy_high", "nmi", "ari", "steps", "converged"}
HISTORY = {"step", "loss", "reconstruction", "changed", "accuracy"}


@pytest.fixture(scope="module")
def ae_source(make_source, ae_name):
    return make_source(ANALYSES["dec"], ae_name)


@pytest.fixture(scope="module")
def ae_result(digits, ae_source):
    return run(digits, ae_source, SETTINGS)


def test_rows_name_both_splits_and_score_the_clusters(ae_result, assert_jsonable):
    rows, _ = ae_result
    assert [row["split"] for row in rows] == ["val", "test"]
    assert all(set(row) == KEYS for row in rows)
    assert_jsonable(rows)
    for row in rows:
        # Digits cluster far above chance (0.1) after a short fine-tuning, not perfectly.
        assert 0.4 < row["accuracy_low"] < row["accuracy"] < row["accuracy_high"] < 1
        assert 0.3 < row["nmi"] < 1 and 0.2 < row["ari"] < 1
        assert 0 < row["steps"] <= SETTINGS["max_iter"] and type(row["converged"]) is bool
    # One training, two splits: the same steps, other images and so other scores (the NMI: two
    # accuracies, counts out of 200 and 300 images, can be equal by chance, 140/200 = 210/300).
    assert rows[0]["steps"] == rows[1]["steps"] and rows[0]["nmi"] != rows[1]["nmi"]


def test_rows_are_the_trained_model_s_clusters_of_each_split(digits, ae_source, ae_result):
    rows, _ = ae_result
    result = fit_clusters(ae_source.model, digits["X_train"], digits["y_train"], {**SETTINGS, "n_clusters": 10})
    for row in rows:
        y, clusters = digits[f"y_{row['split']}"], assign(result, digits[f"X_{row['split']}"])
        expected = cluster_scores(y, clusters)
        assert row == {"split": row["split"], "accuracy": expected.pop("accuracy"),
                       **accuracy_interval(y, clusters, SETTINGS), **expected,
                       "steps": result.history[-1]["step"], "converged": result.converged}


def test_history_arrays_show_the_convergence(ae_result):
    _, arrays = ae_result
    assert set(arrays) == HISTORY
    m = len(arrays["step"])
    assert all(a.shape == (m,) for a in arrays.values()) and m >= 2
    assert arrays["step"].dtype == np.int64 and arrays["step"][0] == 0
    np.testing.assert_array_equal(np.diff(arrays["step"][:-1]), SETTINGS["update_interval"])
    # Step 0 is the k-means initialisation: no loss yet; DEC has no reconstruction term.
    assert np.isnan(arrays["loss"][0]) and np.isfinite(arrays["loss"][1:]).all() and (arrays["loss"][1:] >= 0).all()
    assert np.isnan(arrays["reconstruction"]).all()
    assert ((0 <= arrays["changed"]) & (arrays["changed"] <= 1)).all()
    assert ((0.1 < arrays["accuracy"]) & (arrays["accuracy"] <= 1)).all()


def test_history_arrays_turn_none_into_nan():
    history = [{"step": 0, "loss": None, "reconstruction": None, "changed": 0.5, "accuracy": None},
               {"step": 7, "loss": 0.25, "reconstruction": 3.0, "changed": 0.0, "accuracy": 0.75}]
    arrays = history_arrays(history)
    np.testing.assert_array_equal(arrays["step"], [0, 7])
    np.testing.assert_array_equal(arrays["loss"], [np.nan, 0.25])
    np.testing.assert_array_equal(arrays["accuracy"], [np.nan, 0.75])


def test_labels_never_enter_training(digits, ae_source):
    """Permuted train labels, or none, give the same model bit for bit: they only score the history."""
    X, y = digits["X_train"], digits["y_train"]
    settings = {**SETTINGS, "n_clusters": 10}
    reference = fit_clusters(ae_source.model, X, y, settings)
    permuted = fit_clusters(ae_source.model, X, np.random.default_rng(0).permutation(y), settings)
    unlabelled = fit_clusters(ae_source.model, X, None, settings)
    for other in (permuted, unlabelled):
        np.testing.assert_array_equal(other.Q, reference.Q)
        assert [r["loss"] for r in other.history] == [r["loss"] for r in reference.history]
    assert unlabelled.history[-1]["accuracy"] is None


def test_same_seed_same_numbers_another_seed_other_ones(digits, ae_source, ae_result):
    rows, arrays = run(digits, ae_source, SETTINGS)
    assert rows == ae_result[0]
    for key in arrays:
        np.testing.assert_array_equal(arrays[key], ae_result[1][key])
    assert run(digits, ae_source, {**SETTINGS, "seed": 1})[1]["loss"][1] != arrays["loss"][1]


@pytest.mark.parametrize("analysis", ["dec", "idec"])
def test_the_representation_s_model_and_its_file_are_left_alone(analysis, representations, ae_name, digits,
                                                                make_source):
    path = representations / ae_name / "model.npz"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    source = make_source(ANALYSES[analysis], ae_name)
    weights = {name: parameter.copy() for name, parameter, _ in source.model.parameters()}
    ANALYSES[analysis].run(digits, source, {**SETTINGS, "gamma": 0.1})  # gamma: IDEC's weight
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    for name, parameter, _ in source.model.parameters():
        np.testing.assert_array_equal(parameter, weights[name])
    # IDEC trains a copy of the decoder without its Sigmoid; the model keeps it.
    assert isinstance(source.model.decoder[-1], Sigmoid)


def _blobs():
    """Four well-separated Gaussian blobs in 6 dimensions, split 300 / 100 / 100 like a dataset,
    and an identity autoencoder (the blobs are their own code)."""
    X, y = make_blobs(n_samples=500, centers=4, n_features=6, cluster_std=0.5, center_box=(-10, 10),
                      random_state=0)
    X = X.astype(np.float32)
    data = {"X_train": X[:300], "y_train": y[:300], "X_val": X[300:400], "y_val": y[300:400],
            "X_test": X[400:], "y_test": y[400:]}
    encoder, decoder = Linear(6, 6), Linear(6, 6)
    for layer in (encoder, decoder):
        layer._parameters["W"][...] = np.eye(6)
        layer._parameters["b"][...] = 0
    return data, AutoEncoder(Sequential(encoder), Sequential(decoder))


def test_well_separated_blobs_are_clustered_perfectly():
    data, model = _blobs()
    rows, arrays = cluster_splits(data, Source("blobs", "autoencoder", 6, model=model),
                                  {**SETTINGS, "max_iter": 100, "batch_size": 32})
    assert all(row["accuracy"] == row["accuracy_low"] == 1.0 and row["nmi"] == pytest.approx(1.0)
               for row in rows)
    assert arrays["accuracy"][-1] == 1.0


@pytest.fixture(scope="module")
def run_analysis_dec(make_source, digits):
    """``Analysis.evaluate`` of DEC, as the workflow calls it, with :data:`SETTINGS`."""
    return lambda name: ANALYSES["dec"].evaluate(digits, make_source(ANALYSES["dec"], name), SETTINGS)


def test_pca_is_fine_tuned_like_an_encoder(run_analysis_dec):
    rows, arrays = run_analysis_dec("pca8")
    assert [row["split"] for row in rows] == ["val", "test"] and all(set(row) == KEYS for row in rows)
    assert all(0.4 < row["accuracy"] < 1 for row in rows) and np.isfinite(arrays["loss"][1:]).all()


def test_the_settings_are_the_config_section_the_seed_and_the_bootstrap(small_config):
    settings = ANALYSES["dec"].settings(small_config)
    assert set(settings) == set(ANALYSES["dec"].schema) | {"seed", "resamples", "confidence"}
    assert settings["tol"] == 0.001 and settings["optimizer"] == "sgd"
    assert settings["resamples"] == small_config["analysis"]["bootstrap"]["resamples"]


@pytest.mark.parametrize("section, message", [
    ({"tol": -0.1}, "config: analysis.dec.tol = -0.1: must be in [0, 1]"),
    ({"optimizer": "rmsprop"}, "config: analysis.dec.optimizer = 'rmsprop': must be one of sgd, adam"),
    ({"update_interval": 0}, "config: analysis.dec.update_interval = 0: must be >= 1"),
])
def test_a_bad_setting_is_rejected_naming_its_key(schema, defaults, section, message):
    with pytest.raises(ConfigError) as error:
        validate_config({"analysis": {"dec": section}}, schema, defaults=defaults)
    assert message in str(error.value)
