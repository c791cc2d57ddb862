"""Representations: their names and columns, and the codes and models every analysis reads."""
import re

import numpy as np
import pytest

from diy.autoencoder import AutoEncoder
from diy.dropout import Dropout
from diy.serialization import save
from diy.sigmoid import Sigmoid
from study.artifacts import write_codes
from study.representations import (REGEX, describe, encode_splits, load_model, pca_name, read_codes,
                                   reconstruct)

NONE = dict(family=None, latent_dim=None, activation=None, noise=None, seed=None)


@pytest.mark.parametrize("name, head", [
    ("mlp_latent16_tanh_noise0.25_seed3", dict(method="autoencoder", family="mlp", latent_dim=16,
                                               activation="tanh", noise=0.25, seed=3)),
    ("conv_latent2_relu_noise0_seed0", dict(method="autoencoder", family="conv", latent_dim=2,
                                            activation="relu", noise=0.0, seed=0)),
    ("pca8", dict(NONE, method="pca", latent_dim=8)),
    ("pixels", dict(NONE, method="pixels")),
    ("noisy", dict(NONE, method="noisy")),  # an analysis' own baseline
    ("mean", dict(NONE, method="mean")),
])
def test_describe(name, head):
    assert describe(name) == head


def test_regex_matches_every_representation_and_nothing_else():
    for name in ("pixels", "pca2", "pca16", pca_name(32), "mlp_latent16_tanh_noise0.25_seed0"):
        assert re.fullmatch(REGEX, name), name
    for name in ("pca0", "pca016", "noisy", "latent16_tanh_noise0.25_seed0", "mlp_latent16_tanh"):
        assert not re.fullmatch(REGEX, name), name


@pytest.fixture
def codes(digits):
    rng = np.random.default_rng(0)
    return {f"Z_{s}": rng.normal(size=(len(digits[f"y_{s}"]), 4)).astype(np.float32)
            for s in ("train", "val", "test")}


def test_read_codes_gives_the_three_splits_back(tmp_path, digits, codes):
    write_codes(tmp_path / "codes.npz", codes)
    read = read_codes(tmp_path / "codes.npz", digits, latent_dim=4)
    assert list(read) == ["Z_train", "Z_val", "Z_test"]
    for key in codes:
        np.testing.assert_array_equal(read[key], codes[key])
    assert read_codes(tmp_path / "codes.npz", digits).keys() == read.keys()  # pixels: any width


def _bad(codes, key, value):
    return {**codes, key: value}


@pytest.mark.parametrize("change, message", [
    (lambda c: _bad(c, "Z_val", c["Z_val"][:, :3]), r"Z_val has 3 columns, the representation's size is 4"),
    (lambda c: _bad(c, "Z_test", c["Z_test"][:-1]), r"Z_test must have 300 rows \(the test split\), got \(299, 4\)"),
    (lambda c: _bad(c, "Z_train", np.where(np.arange(4) == 2, np.nan, c["Z_train"])), "Z_train has non-finite"),
    (lambda c: _bad(c, "Z_val", np.full_like(c["Z_val"], np.inf)), "Z_val has non-finite"),
    (lambda c: {k: v for k, v in c.items() if k != "Z_val"}, r"Z_val must have 200 rows .* got None"),
])
def test_read_codes_rejects_codes_that_do_not_fit_naming_the_file(tmp_path, digits, codes, change, message):
    path = tmp_path / "codes.npz"
    np.savez(path, **change(codes))
    with pytest.raises(ValueError, match=f"^{re.escape(str(path))}: {message}"):
        read_codes(path, digits, latent_dim=4)


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_read_codes_rejects_a_truncated_file_naming_it(tmp_path, digits, codes, cut):
    path = tmp_path / "codes.npz"
    write_codes(path, codes)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * cut)])
    with pytest.raises(ValueError, match=f"^{re.escape(str(path))}: not a readable codes file"):
        read_codes(path, digits, latent_dim=4)


def test_read_codes_of_a_missing_file_names_it(tmp_path, digits):
    with pytest.raises(ValueError, match=re.escape(str(tmp_path / "none.npz"))):
        read_codes(tmp_path / "none.npz", digits)


def test_load_model_gives_the_saved_model_in_eval_mode(tmp_path, autoencoder, digits):
    model, _ = autoencoder
    save(model, tmp_path / "model.npz")
    loaded = load_model(tmp_path / "model.npz")
    assert not loaded.training
    np.testing.assert_array_equal(reconstruct(loaded, digits["X_test"]), reconstruct(model, digits["X_test"]))
    # The Sigmoid training appended is saved with it: the model's own output is pixels in [0, 1].
    assert isinstance(loaded.decoder[-1], Sigmoid)
    np.testing.assert_array_equal(loaded.forward(digits["X_test"]), model.forward(digits["X_test"]))
    assert ((loaded.forward(digits["X_test"]) >= 0) & (loaded.forward(digits["X_test"]) <= 1)).all()


class _Shift:
    """A model whose output leaves the pixel range."""

    def forward(self, X):
        return 2 * X - 0.5


def test_reconstruct_clips_to_the_pixel_range_in_float32(digits):
    X_hat = reconstruct(_Shift(), digits["X_test"].astype(np.float64))
    assert X_hat.dtype == np.float32 and X_hat.shape == digits["X_test"].shape
    np.testing.assert_array_equal(X_hat, np.clip(2 * digits["X_test"] - 0.5, 0, 1).astype(np.float32))


def test_reconstruct_in_batches_equals_one_batch(digits, autoencoder):
    model, _ = autoencoder
    np.testing.assert_allclose(reconstruct(model, digits["X_test"], batch_size=7),
                               reconstruct(model, digits["X_test"], batch_size=10_000), rtol=0, atol=1e-6)


def test_encode_splits_puts_the_encoder_in_eval_mode_and_gives_float32_codes(digits):
    # Dropout on the code: in train mode two encodings would differ.
    model = AutoEncoder.build([64, 16, 4], "tanh", rng=0, dtype=np.float64)
    model.encoder.append(Dropout(0.5))
    model.train()
    codes = encode_splits(model.encoder, digits, dtype=np.float64)
    assert not model.encoder.training
    for split in ("train", "val", "test"):
        Z = codes[f"Z_{split}"]
        assert Z.dtype == np.float32 and Z.shape == (len(digits[f"y_{split}"]), 4)
        np.testing.assert_allclose(Z, model.encode(digits[f"X_{split}"].astype(np.float64)), rtol=1e-6)
