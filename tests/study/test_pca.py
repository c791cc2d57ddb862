"""PCA as a representation: its codes, and its model of two Linear layers."""
import numpy as np
import pytest

from diy.serialization import load, save
from study.pca import fit_pca, pca_codes, pca_model, pca_representation
from study.representations import reconstruct


@pytest.fixture(scope="module")
def pca(digits):
    return fit_pca(digits["X_train"], 8, seed=0)


def test_fitted_on_the_train_split_with_the_components_asked_for(pca, digits):
    assert pca.n_components_ == 8
    np.testing.assert_allclose(pca.mean_, digits["X_train"].mean(axis=0), atol=1e-6)


def test_codes_are_the_float32_projections(pca, digits):
    Z = pca_codes(pca, digits["X_test"])
    assert Z.dtype == np.float32 and Z.shape == (300, 8)
    np.testing.assert_array_equal(Z, pca.transform(digits["X_test"]).astype(np.float32))


def test_the_model_reconstructs_as_pca_does(pca, digits):
    X = digits["X_test"]
    expected = np.clip(pca.inverse_transform(pca.transform(X)), 0, 1)
    model = pca_model(pca)
    assert not model.training
    X_hat = reconstruct(model, X)
    assert X_hat.dtype == np.float32
    np.testing.assert_allclose(X_hat, expected, rtol=0, atol=1e-5)
    # Its encoder gives the codes.
    np.testing.assert_allclose(model.encode(X), pca.transform(X), rtol=0, atol=1e-5)


def test_the_model_in_float64_unclipped_is_the_projection_and_back_projection(pca, digits):
    X = digits["X_test"].astype(np.float64)
    model = pca_model(pca, dtype=np.float64)
    # (sklearn computes in the float32 of the data it was fitted on)
    np.testing.assert_allclose(model.forward(X), pca.inverse_transform(pca.transform(X)), rtol=0, atol=1e-6)
    assert model.forward(X).min() < 0  # the clipping is reconstruct's, not the model's


def test_the_model_survives_a_save_and_load(tmp_path, pca, digits):
    save(pca_model(pca), tmp_path / "model.npz")
    loaded = load(tmp_path / "model.npz")
    loaded.eval()
    np.testing.assert_array_equal(reconstruct(loaded, digits["X_test"]), reconstruct(pca_model(pca), digits["X_test"]))


def test_representation_gives_the_model_and_the_codes_of_every_split(pca, digits):
    model, codes = pca_representation(digits, 8, seed=0)
    assert list(codes) == ["Z_train", "Z_val", "Z_test"]
    for split in ("train", "val", "test"):
        X = digits[f"X_{split}"]
        assert codes[f"Z_{split}"].dtype == np.float32
        np.testing.assert_array_equal(codes[f"Z_{split}"], pca.transform(X).astype(np.float32))
    np.testing.assert_allclose(reconstruct(model, digits["X_test"]), reconstruct(pca_model(pca), digits["X_test"]),
                               rtol=0, atol=1e-6)
