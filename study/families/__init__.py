"""The model-family registry: one module per autoencoder family, each declaring
``FAMILY = Family(...)``.

A family builds the untrained autoencoder of a variant (``grid.family``) from the variant, the
dataset's image shape and its config section ``families.{name}``, whose JSON Schema it
declares. Training, codes and every analysis are the same for all families.
"""
import sys
from dataclasses import dataclass, field
from typing import Callable

from study.registry import discover


@dataclass(frozen=True)
class Axis:
    """A setting of a family that a study varies: a grid key (``grid.{name}``), a part of
    each variant's name (``_{name}{value}``) and a column of the tables.

    name : str, lower-case letters (``noise``, ``beta``).
    description : str, what a value means (the grid key's schema description).
    items : dict, the JSON Schema of one value (a number).
    """

    name: str
    description: str
    items: dict


#: The training noise of a denoising autoencoder: the axis of the mlp and conv families.
NOISE = Axis("noise", "Input-noise level of a denoising AE (sigma or fraction, see noise_type); "
             "0 = plain AE.", {"type": "number", "minimum": 0, "maximum": 1})


@dataclass(frozen=True)
class Family:
    """One family of autoencoders.

    name : str, as in ``grid.family`` and the first part of a variant's name.
    build : callable ``(image_shape, variant, settings, rng, dtype) -> diy.AutoEncoder``, with
        ``settings`` the family's config section for the variant's dataset (per-dataset values
        already resolved), mapping flat images (batch, n_features) to codes (batch, latent_dim)
        and codes to the pixels' logits (batch, n_features): no final sigmoid (training folds
        it into its loss, then appends it).
    schema : dict, the JSON Schema ``properties`` of ``families.{name}``.
    axes : tuple of Axis, the settings the grid varies for this family, in the order of the
        variant's name (``vae_latent16_relu_beta4_seed0``); a variant holds one value of each.
    check : callable ``(variant, settings) -> str or None`` or None, why a variant the schema
        allows cannot be built with `settings` (as for `build`), naming the config keys: called
        by the config check for every variant of the grid and on each requested target, before
        any job.
    """

    name: str
    build: Callable
    schema: dict = field(default_factory=dict)
    axes: tuple = (NOISE,)
    check: Callable = None


#: name -> Family, every module of this package.
FAMILIES = discover(sys.modules[__name__], "FAMILY", {})
