"""The mlp family: fully connected autoencoders, the decoder mirroring the encoder."""
import numpy as np
import pytest

from diy.activations import ACTIVATIONS
from diy.linear import Linear
from diy.sigmoid import Sigmoid
from diy.tanh import TanH
from study.families import FAMILIES
from study.families.mlp import FAMILY, INITS, build
from study.variants import AEVariant

VARIANT = AEVariant("mlp", 2, "relu", 0.0, 0)


def _sizes(sequential):
    return [module._parameters["W"].shape for module in sequential if isinstance(module, Linear)]


def test_registered_with_its_schema(defaults):
    assert FAMILIES["mlp"] is FAMILY and FAMILY.build is build
    assert set(FAMILY.schema) == set(defaults["families"]["mlp"]) == {"hidden", "latent_activation", "init"}
    assert FAMILY.schema["latent_activation"]["enum"] == list(ACTIVATIONS)
    assert FAMILY.schema["init"]["enum"] == INITS


def test_layer_sizes_mirror_and_end_in_the_pixels_logits():
    # No final sigmoid: training folds it into its loss (BCEWithLogitsLoss), then appends it.
    model = build((8, 8), VARIANT, {"hidden": [32, 16], "latent_activation": "linear"}, rng=0, dtype=np.float32)
    assert _sizes(model.encoder) == [(64, 32), (32, 16), (16, 2)]
    assert _sizes(model.decoder) == [(2, 16), (16, 32), (32, 64)]
    assert isinstance(model.decoder[-1], Linear)
    assert not any(isinstance(module, Sigmoid) for module in model.decoder)
    X = np.random.default_rng(0).random((5, 64), dtype=np.float32)
    Y = model.forward(X)
    assert Y.shape == (5, 64) and Y.dtype == np.float32
    assert (Y < 0).any()  # logits, not pixels in [0, 1]


def test_code_layer_is_linear_or_configured():
    encoder = build((8, 8), VARIANT, {"hidden": [16], "latent_activation": "linear"}, rng=0, dtype=np.float32).encoder
    assert isinstance(encoder[-1], Linear)  # no activation after the code layer
    encoder = build((8, 8), VARIANT, {"hidden": [16], "latent_activation": "tanh"}, rng=0, dtype=np.float32).encoder
    assert isinstance(encoder[-1], TanH)


def test_init_default_is_he_before_relu_or_one_scheme_for_every_layer():
    settings = {"hidden": [16], "latent_activation": "linear"}
    default = build((8, 8), VARIANT, settings, rng=0, dtype=np.float32)
    # The workflow leaves "init: default" out of a job's params (study.settings.LEGACY_DEFAULTS).
    assert _inits(default) == _inits(build((8, 8), VARIANT, {**settings, "init": "default"}, rng=0,
                                           dtype=np.float32)) == ["he", "xavier", "he", "xavier"]
    uniform = build((8, 8), VARIANT, {**settings, "init": "fan_in_uniform"}, rng=0, dtype=np.float32)
    assert _inits(uniform) == ["fan_in_uniform"] * 4


def _inits(model):
    return [m.init for m in model.encoder.children() + model.decoder.children() if isinstance(m, Linear)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_and_seeded_weights(dtype):
    settings = {"hidden": [8], "latent_activation": "linear"}
    a = build((4, 4), VARIANT, settings, rng=np.random.default_rng(1), dtype=dtype)
    b = build((4, 4), VARIANT, settings, rng=np.random.default_rng(1), dtype=dtype)
    for (name, p, _), (_, q, _) in zip(a.parameters(), b.parameters()):
        assert p.dtype == dtype
        np.testing.assert_array_equal(p, q, err_msg=name)
