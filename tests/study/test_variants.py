"""Variant names: stable number formatting, parsing back, the grid of a config."""
import re

import numpy as np
import pytest

from study.config import validate_config
from study.variants import (
    AE_VARIANT_REGEX,
    CLASSIFIER_VARIANT_REGEX,
    AEVariant,
    ClassifierVariant,
    ae_variants,
    classifier_variants,
    format_number,
)


@pytest.mark.parametrize("value, text", [
    (0.25, "0.25"), (0.1 + 0.15000000000000002, "0.25"), (0.25000000000000006, "0.25"),
    (np.float32(0.1), "0.1"), (0.0, "0"), (0, "0"), (1.0, "1"), (2.0, "2"), (np.int64(32), "32"),
    (0.5, "0.5"), (1e-5, "1e-05"), (0.123456789, "0.1234568"),
])
def test_format_number(value, text):
    assert format_number(value) == text


def test_ae_variant_name_and_parse_round_trip():
    variant = AEVariant("mlp", 16, "tanh", 0.25, 0)
    assert variant.name == "mlp_latent16_tanh_noise0.25_seed0"
    assert variant.configuration == "mlp_latent16_tanh_noise0.25"
    assert AEVariant.parse(variant.name) == variant
    assert AEVariant("mlp", 2.0, "relu", 0.0, np.int64(3)).name == "mlp_latent2_relu_noise0_seed3"
    odd = AEVariant("conv2", 8, "leaky_relu", 0.123456789, 1)
    assert odd.noise == 0.1234568 and odd.name == "conv2_latent8_leaky_relu_noise0.1234568_seed1"
    assert AEVariant.parse(odd.name) == odd and re.fullmatch(AE_VARIANT_REGEX, odd.name)


@pytest.mark.parametrize("name", [
    "mlp_latent16_tanh_noise0.0_seed0",    # not canonical: noise0
    "mlp_latent016_tanh_noise0_seed0",     # not canonical: latent16
    "mlp_latent16_tanh_noise0.25",         # seed missing
    "mlp_latent16_noise0.25_seed0",        # activation missing
    "latent16_tanh_noise0.25_seed0",       # family missing (the names before families)
    "MLP_latent16_tanh_noise0.25_seed0",   # a family is lower case
    "hidden256_relu_dropout0_seed0",       # a classifier
])
def test_ae_parse_refuses_other_names(name):
    with pytest.raises(ValueError, match=re.escape(repr(name))):
        AEVariant.parse(name)


def test_invalid_parameters_are_refused():
    with pytest.raises(ValueError, match="latent_dim must be an integer >= 1"):
        AEVariant("mlp", 0, "tanh", 0.0, 0)
    with pytest.raises(ValueError, match="latent_dim must be an integer >= 1"):
        AEVariant("mlp", 2.5, "tanh", 0.0, 0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        AEVariant("mlp", 2, "tanh", 0.0, -1)
    with pytest.raises(ValueError, match="hidden must list"):
        ClassifierVariant((), "relu", 0.0, 0)


def test_classifier_variant_name_and_parse_round_trip():
    variant = ClassifierVariant([512, 256], "relu", 0.2, 0)
    assert variant.name == "hidden512-256_relu_dropout0.2_seed0"
    assert ClassifierVariant.parse(variant.name) == variant
    assert ClassifierVariant([256], "tanh", 0.0, 1).name == "hidden256_tanh_dropout0_seed1"
    with pytest.raises(ValueError, match="canonical"):
        ClassifierVariant.parse("hidden256_relu_dropout0.20_seed0")


def test_grid_of_the_default_config(schema, defaults):
    config = validate_config({}, schema, defaults=defaults)
    variants = ae_variants(config)
    names = [v.name for v in variants]
    grid = config["grid"]
    assert grid["seed"] == [0, 1, 2]  # three training seeds by default: intervals over seeds
    assert len(names) == len(set(names)) == (len(grid["family"]) * len(grid["latent_dim"]) * len(grid["activation"])
                                             * len(grid["noise"]) * len(grid["seed"]))
    # The seeds of one configuration side by side, the configurations in the grid's order.
    first = f"{grid['family'][0]}_latent2_tanh"
    seeds = [v.name for v in ae_variants(validate_config({"grid": {"seed": [0, 1, 2]}}, schema, defaults=defaults))]
    assert seeds[:4] == [f"{first}_noise0_seed0", f"{first}_noise0_seed1", f"{first}_noise0_seed2",
                         f"{first}_noise0.25_seed0"]
    assert all(re.fullmatch(AE_VARIANT_REGEX, n) for n in names)
    assert [AEVariant.parse(n) for n in names] == variants
    classifiers = [v.name for v in classifier_variants(config)]
    assert classifiers == [f"{hidden}_relu_{dropout}_seed{seed}"
                           for hidden in ("hidden256", "hidden512-256")
                           for dropout in ("dropout0", "dropout0.2") for seed in (0, 1, 2)]
    assert all(re.fullmatch(CLASSIFIER_VARIANT_REGEX, n) for n in classifiers)
    assert not any(re.fullmatch(AE_VARIANT_REGEX, n) for n in classifiers)
    assert not any(re.fullmatch(CLASSIFIER_VARIANT_REGEX, n) for n in names)


def test_the_family_comes_first_in_the_grid():
    grid = {"family": ["mlp", "conv"], "latent_dim": [2], "activation": ["tanh"], "noise": [0.0], "seed": [0, 1]}
    assert [v.name for v in ae_variants({"grid": grid})] == [
        "mlp_latent2_tanh_noise0_seed0", "mlp_latent2_tanh_noise0_seed1",
        "conv_latent2_tanh_noise0_seed0", "conv_latent2_tanh_noise0_seed1"]


def test_values_that_would_share_a_name_are_refused(schema, defaults):
    config = validate_config({"grid": {"noise": [0.1, 0.100000001]},
                              "classifiers": {"dropout": [0.5, 0.50000001]}}, schema, defaults=defaults)
    with pytest.raises(ValueError, match=r"config: grid.noise = \[0.1, 0.100000001\]: .* \(0.1\)"):
        ae_variants(config)
    with pytest.raises(ValueError, match=r"config: classifiers.dropout = .* \(0.5\)"):
        classifier_variants(config)
