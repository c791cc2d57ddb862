"""Fully connected autoencoders: ``n_features, *hidden, latent_dim``, mirrored by the decoder.

The variant's activation follows every hidden layer, the code layer has
``latent_activation`` (linear by default: a tanh or sigmoid code saturates and a ReLU code has
dead units, which in a 2- to 8-dimensional code distort or waste the very dimensions k-means,
t-SNE and the classifiers read), and the last layer gives the pixels' logits (training adds the
sigmoid: :mod:`study.train_autoencoder`).
"""
import math

from diy.activations import ACTIVATIONS
from diy.autoencoder import AutoEncoder
from study.families import Family

#: ``init``: "default" (He before ReLU, Xavier elsewhere), or one scheme for every layer.
INITS = ["default", "fan_in_uniform"]


def init_of(settings):
    """The ``init`` of ``AutoEncoder.build`` for a family's settings: None for "default"."""
    return None if settings.get("init", "default") == "default" else settings["init"]


def build(image_shape, variant, settings, rng, dtype):
    """The untrained ``AutoEncoder`` of `variant` for images of `image_shape`."""
    return AutoEncoder.build(
        [math.prod(image_shape), *settings["hidden"], variant.latent_dim], variant.activation,
        "linear", latent_activation=settings["latent_activation"], rng=rng, dtype=dtype,
        init=init_of(settings),
    )


def hidden_schema():
    """The schema of a fully connected family's ``hidden``: its encoder's hidden sizes."""
    return {
        "description": "Encoder hidden sizes (the decoder mirrors them): one list for every "
                       "dataset, or one per dataset.",
        "type": ["array", "object"],
        "items": {"type": "integer", "minimum": 1},
        "propertyNames": {"$ref": "#/$defs/dataset"},
        "additionalProperties": {"type": "array", "items": {"type": "integer", "minimum": 1}},
    }


FAMILY = Family("mlp", build, schema={
    "hidden": hidden_schema(),
    "latent_activation": {"type": "string", "enum": list(ACTIVATIONS),
                          "description": "Activation of the code layer."},
    "init": {"type": "string", "enum": INITS,
             "description": "Initial weights: default (He before ReLU, Xavier elsewhere), or "
                            "fan_in_uniform, U(+-1/sqrt(fan_in)) in every layer (Torch7's "
                            "nn.Linear, and DEC-keras' for MNIST)."},
})
