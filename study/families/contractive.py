"""Contractive autoencoders (Rifai et al. 2011): the mlp family's network with a contractive
code layer.

The code layer is ``diy.Contractive``: ``latent_activation`` (sigmoid or tanh) of a linear
map, adding ``contraction * ||J||_F^2`` to the objective, J the code's Jacobian with respect
to the last hidden layer (the closed form covers that layer only; see ``diy.Contractive``).
``contraction`` is the family's axis (``grid.contraction``):
``contractive_latent8_relu_contraction0.1_seed0``.
"""
import math

from diy.autoencoder import AutoEncoder
from diy.contractive import Contractive
from study.families import Axis, Family
from study.families.mlp import hidden_schema

CONTRACTION = Axis("contraction", "Weight of a contractive AE's Jacobian penalty (family contractive).",
                   {"type": "number", "minimum": 0})


def build(image_shape, variant, settings, rng, dtype):
    """The untrained contractive autoencoder of `variant` for images of `image_shape`."""
    model = AutoEncoder.build([math.prod(image_shape), *settings["hidden"], variant.latent_dim],
                              variant.activation, "linear",
                              latent_activation=settings["latent_activation"], rng=rng, dtype=dtype)
    encoder = model.encoder.modules
    encoder[-2:] = [Contractive(encoder[-2], encoder[-1], variant.setting("contraction"))]
    return model


FAMILY = Family("contractive", build, axes=(CONTRACTION,), schema={
    "hidden": hidden_schema(),
    "latent_activation": {"type": "string", "enum": ["sigmoid", "tanh"],
                          "description": "Activation of the contractive code layer."},
})
