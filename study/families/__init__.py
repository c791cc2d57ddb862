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
class Family:
    """One family of autoencoders.

    name : str, as in ``grid.family`` and the first part of a variant's name.
    build : callable ``(image_shape, variant, settings, rng, dtype) -> diy.AutoEncoder``, with
        ``settings`` the family's config section for the variant's dataset (per-dataset values
        already resolved), mapping flat images (batch, n_features) to codes (batch, latent_dim)
        and codes to the pixels' logits (batch, n_features): no final sigmoid (training folds
        it into its loss, then appends it).
    schema : dict, the JSON Schema ``properties`` of ``families.{name}``.
    """

    name: str
    build: Callable
    schema: dict = field(default_factory=dict)


#: name -> Family, every module of this package.
FAMILIES = discover(sys.modules[__name__], "FAMILY", {})
