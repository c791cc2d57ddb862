"""The families of objectives beyond reconstruction: vae, sparse and contractive.

Each declares its axis (``grid.beta``, ``grid.sparsity``, ``grid.contraction``), which its
variants' names carry; each builds a network whose whole objective (the output's loss and the
penalties) passes a float64 gradient check.
"""
import copy

import numpy as np
import pytest

from diy.bce_with_logits_loss import BCEWithLogitsLoss
from diy.contractive import Contractive
from diy.gaussian_sample import GaussianSample
from diy.gradcheck import check_gradient
from diy.k_sparse import KSparse
from diy.kl_sparsity import KLSparsity
from diy.l1_penalty import L1Penalty
from study.config import ConfigError, validate_config
from study.families import FAMILIES
from study.variants import AEVariant, ae_variants

HIDDEN = {"hidden": [6]}
SETTINGS = {
    "vae": {**HIDDEN, "init": "default"},
    "sparse": {**HIDDEN, "penalty": "kl", "rho": 0.1},
    "contractive": {**HIDDEN, "latent_activation": "sigmoid"},
}
VARIANTS = {
    "vae": AEVariant("vae", 3, "tanh", seed=0, settings=(("beta", 4),)),
    "sparse": AEVariant("sparse", 3, "tanh", seed=0, settings=(("sparsity", 0.5),)),
    "contractive": AEVariant("contractive", 3, "tanh", seed=0, settings=(("contraction", 0.7),)),
}


@pytest.mark.parametrize("family, axis", [("vae", "beta"), ("sparse", "sparsity"), ("contractive", "contraction")])
def test_each_declares_its_axis_and_config_section(family, axis, defaults, schema):
    assert [a.name for a in FAMILIES[family].axes] == [axis]
    assert set(FAMILIES[family].schema) == set(defaults["families"][family])
    assert axis in schema["properties"]["grid"]["properties"]


@pytest.mark.parametrize("name", ["vae_latent16_relu_beta4_seed0", "sparse_latent8_tanh_sparsity0.1_seed2",
                                  "contractive_latent32_sigmoid_contraction1_seed1",
                                  "mlp_latent16_tanh_noise0.25_seed0"])
def test_names_parse_back(name):
    variant = AEVariant.parse(name)
    assert variant.name == name
    assert AEVariant.parse(variant.name) == variant


def test_a_vae_name_has_its_beta_and_no_noise():
    variant = AEVariant.parse("vae_latent16_relu_beta4_seed0")
    assert variant.setting("beta") == 4.0 and variant.noise == 0.0
    assert variant.objective == "vae beta4" and variant.configuration == "vae_latent16_relu_beta4"
    with pytest.raises(ValueError, match="not an autoencoder variant name"):
        AEVariant.parse("vae_latent16_relu_noise0_seed0")
    with pytest.raises(ValueError, match="has the settings"):
        AEVariant("vae", 16, "relu", seed=0)
    with pytest.raises(ValueError, match="no noise axis"):
        AEVariant("vae", 16, "relu", 0.5, 0, (("beta", 1),))


def test_the_grid_varies_each_family_along_its_own_axes(defaults):
    grid = {**defaults["grid"], "family": ["mlp", "vae"], "latent_dim": [8], "activation": ["relu"],
            "noise": [0.0, 0.5], "beta": [1.0, 4.0, 8.0], "seed": [0, 1]}
    names = [v.name for v in ae_variants({"grid": grid})]
    assert len(names) == 2 * 2 + 3 * 2  # mlp: noise x seed; vae: beta x seed
    assert "mlp_latent8_relu_noise0.5_seed1" in names and "vae_latent8_relu_beta8_seed0" in names
    assert not any(name.startswith("vae") and "noise" in name for name in names)


def test_a_config_without_the_axis_of_a_family_is_refused(defaults, schema):
    config = copy.deepcopy(defaults)
    config["grid"]["family"] = ["mlp", "vae"]
    del config["grid"]["beta"]
    with pytest.raises(ConfigError, match=r"grid\.beta: missing; the vae family varies it"):
        validate_config(config, schema)


@pytest.mark.parametrize("family", sorted(VARIANTS))
def test_the_whole_objective_passes_the_gradient_check(family):
    variant = VARIANTS[family]
    model = FAMILIES[family].build((2, 4), variant, SETTINGS[family], rng=0, dtype=np.float64)
    rng = np.random.default_rng(1)
    X = rng.random((5, 8))
    errors = check_gradient(model, X, loss=BCEWithLogitsLoss(), y=X)
    assert max(errors.values()) < 1e-6, errors
    model.forward(X)
    assert len(list(model.penalties())) == 1


def test_each_family_puts_its_module_at_the_code():
    build = {name: FAMILIES[name].build((2, 4), VARIANTS[name], SETTINGS[name], rng=0, dtype=np.float32)
             for name in VARIANTS}
    sample = build["vae"].encoder[-1]
    assert isinstance(sample, GaussianSample) and sample.beta == 4.0
    assert build["vae"].encoder[-2]._parameters["W"].shape == (6, 6)  # mean and log-variance of 3 units
    assert isinstance(build["sparse"].encoder[-1], KLSparsity) and build["sparse"].encoder[-1].weight == 0.5
    code = build["contractive"].encoder[-1]
    assert isinstance(code, Contractive) and code.weight == 0.7 and code.activation == "sigmoid"


def test_sparse_penalties_and_their_strength():
    def code_module(penalty, strength):
        variant = AEVariant("sparse", 4, "relu", seed=0, settings=(("sparsity", strength),))
        model = FAMILIES["sparse"].build((2, 4), variant, {**HIDDEN, "penalty": penalty, "rho": 0.05},
                                         rng=0, dtype=np.float32)
        return model.encoder[-1]

    assert isinstance(code_module("l1", 0.01), L1Penalty) and code_module("l1", 0.01).weight == 0.01
    assert isinstance(code_module("k_sparse", 2), KSparse) and code_module("k_sparse", 2).k == 2
    for bad in (2.5, 4):
        with pytest.raises(ValueError, match="grid.sparsity"):
            code_module("k_sparse", bad)


def test_a_vaes_codes_are_its_means():
    model = FAMILIES["vae"].build((2, 4), VARIANTS["vae"], SETTINGS["vae"], rng=0, dtype=np.float32).eval()
    X = np.random.default_rng(2).random((4, 8), dtype=np.float32)
    means = X
    for module in model.encoder.modules[:-1]:
        means = module.forward(means)
    np.testing.assert_array_equal(model.encode(X), means[:, :3])
    np.testing.assert_array_equal(model.encode(X), model.encode(X))
