"""IDEC: DEC with copies of the encoder and the decoder, the autoencoder's reconstruction loss
kept beside the clustering loss."""

import numpy as np
import pytest

from diy.mse_loss import MSELoss
from diy.train import predict
from study.analyses import ANALYSES
from study.analyses.dec import fit_clusters, reconstruction_objective
from study.analyses.idec import run

#: Tiny IDEC, Adam as Guo et al. on MNIST.
SETTINGS = {"n_init": 2, "update_interval": 10, "tol": 0.001, "max_iter": 60, "batch_size": 64,
            "optimizer": "adam", "lr": 0.001, "momentum": 0.9, "alpha": 1.0, "gamma": 0.1, "seed": 0,
            "resamples": 100, "confidence": 0.95}
KEYS = {"split", "accuracy", "accuracy_low", "accuracy_high", "nmi", "ari", "steps", "converged"}


@pytest.fixture(scope="module")
def ae_source(make_source, ae_name):
    return make_source(ANALYSES["idec"], ae_name)


@pytest.fixture(scope="module")
def ae_result(digits, ae_source):
    return run(digits, ae_source, SETTINGS)


def test_rows_name_both_splits_and_score_the_clusters(ae_result):
    rows, arrays = ae_result
    assert [row["split"] for row in rows] == ["val", "test"] and all(set(row) == KEYS for row in rows)
    assert all(0.4 < row["accuracy_low"] < row["accuracy"] < row["accuracy_high"] < 1 for row in rows)
    assert set(arrays) == {"step", "loss", "reconstruction", "changed", "accuracy"}


def test_the_reconstruction_loss_is_trained_and_recorded(digits, ae_source, ae_result):
    _, arrays = ae_result
    reconstruction = arrays["reconstruction"]
    assert np.isnan(reconstruction[0]) and np.isfinite(reconstruction[1:]).all()
    # The squared error of the output image summed over the pixels, on the train images: the
    # first record's (its first update_interval batches) starts where the trained autoencoder is.
    X = digits["X_train"]
    squared_error = np.mean(np.sum((predict(ae_source.model, X) - X) ** 2, axis=1))
    assert reconstruction[1] == pytest.approx(squared_error, rel=0.1)


def test_the_decoder_changes_the_clusters(digits, ae_source):
    """IDEC is not DEC: the reconstruction's gradient reaches the encoder, and gamma weighs it."""
    settings = {**SETTINGS, "n_clusters": 10}
    idec = fit_clusters(ae_source.model, digits["X_train"], None, settings, reconstruct=True)
    dec = fit_clusters(ae_source.model, digits["X_train"], None, settings)
    heavier = fit_clusters(ae_source.model, digits["X_train"], None, {**settings, "gamma": 10.0}, reconstruct=True)
    assert not np.array_equal(idec.Q, dec.Q) and not np.array_equal(idec.Q, heavier.Q)


def test_labels_never_enter_training(digits, ae_source):
    settings = {**SETTINGS, "n_clusters": 10}
    y = digits["y_train"]
    reference = fit_clusters(ae_source.model, digits["X_train"], y, settings, reconstruct=True)
    permuted = fit_clusters(ae_source.model, digits["X_train"], y[::-1].copy(), settings, reconstruct=True)
    np.testing.assert_array_equal(permuted.Q, reference.Q)
    assert [r["reconstruction"] for r in permuted.history] == [r["reconstruction"] for r in reference.history]


def test_same_seed_same_numbers(digits, ae_source, ae_result):
    rows, arrays = run(digits, ae_source, SETTINGS)
    assert rows == ae_result[0]
    for key in arrays:
        np.testing.assert_array_equal(arrays[key], ae_result[1][key])


def test_the_reconstruction_objective_is_the_papers_squared_error_per_pixel(make_source, ae_name, digits):
    """Guo et al.'s L_r averages the squared error over the d pixels; MSELoss sums it, so the
    clustering loss's weight is gamma * d, and the decoder keeps its Sigmoid (images compared)."""
    d = digits["X_train"].shape[1]
    for name in (ae_name, "pca8"):
        decoder = make_source(ANALYSES["idec"], name).model.decoder
        objective = reconstruction_objective(decoder, d, 0.1)
        assert objective["decoder"] is decoder and isinstance(objective["reconstruction_loss"], MSELoss)
        assert objective["gamma"] == pytest.approx(0.1 * d)


def test_pca_runs_with_the_squared_error(digits, make_source):
    rows, arrays = ANALYSES["idec"].evaluate(digits, make_source(ANALYSES["idec"], "pca8"), SETTINGS)
    assert [row["split"] for row in rows] == ["val", "test"] and all(0.4 < row["accuracy"] < 1 for row in rows)
    assert np.isfinite(arrays["reconstruction"][1:]).all()


def test_the_settings_add_gamma_to_dec_s(small_config):
    settings = ANALYSES["idec"].settings(small_config)
    assert set(ANALYSES["idec"].schema) == set(ANALYSES["dec"].schema) | {"gamma"}
    assert settings["gamma"] == 0.1 and settings["optimizer"] == "adam"
