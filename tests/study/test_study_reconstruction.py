"""Reconstruction metrics of an autoencoder beside PCA."""
import json

import numpy as np
import pytest

from study.reconstruction import reconstruct, reconstruction, reconstruction_metrics

KEYS = {"method", "bce", "mse", "squared_error_per_image", "psnr"}


def test_rows_for_the_autoencoder_and_pca(digits, autoencoder, assert_jsonable):
    model, _ = autoencoder
    X_hat = reconstruct(model, digits["X_test"])
    rows = reconstruction(digits["X_test"], X_hat, digits["X_train"], n_components=8, seed=0)
    assert [row["method"] for row in rows] == ["autoencoder", "pca"]
    assert all(set(row) == KEYS for row in rows)
    assert_jsonable(rows)
    json.dumps(rows)
    for row in rows:
        assert row["psnr"] == pytest.approx(10 * np.log10(1 / row["mse"]))
        assert row["squared_error_per_image"] == pytest.approx(64 * row["mse"])
        assert 0 < row["mse"] < 0.1 and row["bce"] > 0


def test_without_train_data_only_the_autoencoder_row(digits):
    rows = reconstruction(digits["X_test"], digits["X_test"])
    assert [row["method"] for row in rows] == ["autoencoder"]
    assert rows[0]["mse"] == 0.0 and rows[0]["psnr"] == float("inf")


def test_pca_error_falls_with_its_size(digits):
    errors = [reconstruction(digits["X_test"], digits["X_test"], digits["X_train"], k)[1]["squared_error_per_image"]
              for k in (2, 8, 32, 64)]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] == pytest.approx(0.0, abs=1e-6)


def test_reconstruct_in_batches_equals_one_batch_and_sets_eval_mode(digits, autoencoder):
    model, _ = autoencoder
    model.train()
    X_hat = reconstruct(model, digits["X_test"], batch_size=7)
    assert not model.training
    np.testing.assert_allclose(X_hat, reconstruct(model, digits["X_test"], batch_size=10_000), rtol=0, atol=1e-6)
    assert X_hat.shape == digits["X_test"].shape and X_hat.dtype == np.float32


def test_same_inputs_same_numbers(digits, autoencoder):
    model, _ = autoencoder
    run = lambda: reconstruction(digits["X_test"], reconstruct(model, digits["X_test"]), digits["X_train"], 8, seed=3)
    assert run() == run()


def test_reconstruction_metrics_keys():
    X = np.random.default_rng(0).random((5, 3))
    assert set(reconstruction_metrics(X, X * 0.9)) == KEYS - {"method"}
