"""Convolutional autoencoders: strided convolutions down to a linear code, and back up.

For ``channels = [c1, c2]`` on an (H, W) image (MNIST: 28 -> 14 -> 7, digits: 8 -> 4 -> 2)::

    encoder  Reshape(H, W, 1)  Conv2D(1, c1) act  Conv2D(c1, c2) act  Flatten
             Linear(h w c2, latent_dim) [latent_act]
    decoder  Linear(latent_dim, h w c2) act  Reshape(h, w, c2)  ConvTranspose2D(c2, c1) act
             ConvTranspose2D(c1, 1)  Flatten -> logits

Every Conv2D has the configured kernel and stride and padding ``(kernel - 1) // 2``, so with
an odd kernel a stride-s layer maps a side n to ceil(n / s); each ConvTranspose2D is the adjoint of
its mirror Conv2D, with the output padding that gives back that Conv2D's input size
exactly (odd sizes included: 7 -> 4 -> 7). The variant's activation follows every hidden
layer, the code layer has ``latent_activation`` (linear by default, for the reasons given
in :mod:`study.families.mlp`).

The way back up is ``ConvTranspose2D``, not nearest upsampling and a Conv2D: it mirrors
the encoder layer for layer, and for the same output it costs stride^2 times fewer
multiply-adds (an upsampled image repeats every pixel stride^2 times before the Conv2D
reads it).

The decoder ends in logits, (batch, prod(image_shape)), the last layer's linear output:
training (``training.loss: bce``) uses ``BCEWithLogitsLoss``, and a Sigmoid is appended
afterwards for pixels in [0, 1].
"""
import math

from diy.activations import ACTIVATIONS, init_for, with_activation
from diy.autoencoder import AutoEncoder
from diy.conv2d import Conv2D
from diy.conv_transpose2d import ConvTranspose2D
from diy.flatten import Flatten
from diy.linear import Linear
from diy.random import as_generator
from diy.reshape import Reshape
from diy.sequential import Sequential
from study.families import Family


def feature_sizes(size, n_layers, kernel, stride):
    """The side of the feature maps from the input's `size` through `n_layers` Conv2D of
    `kernel`, `stride` and padding ``(kernel - 1) // 2``: ``[size, ..., last]``."""
    sizes = [size]
    for _ in range(n_layers):
        sizes.append((sizes[-1] + 2 * ((kernel - 1) // 2) - kernel) // stride + 1)
    return sizes


def build(image_shape, variant, settings, rng, dtype):
    """The untrained ``AutoEncoder`` of `variant` for (H, W) images, on flat images:
    (batch, H W) -> (batch, latent_dim) -> (batch, H W) logits."""
    height, width = (int(size) for size in image_shape)
    channels, kernel, stride = [1, *settings["channels"]], settings["kernel"], settings["stride"]
    padding, act, rng = (kernel - 1) // 2, variant.activation, as_generator(rng)
    heights = feature_sizes(height, len(channels) - 1, kernel, stride)
    widths = feature_sizes(width, len(channels) - 1, kernel, stride)
    if min(heights + widths) < 1:
        raise ValueError(f"conv family: {len(channels) - 1} Conv2D of kernel {kernel} and stride "
                         f"{stride} leave nothing of a {height}x{width} image")
    code_shape = (heights[-1], widths[-1], channels[-1])

    encoder = [Reshape((height, width, 1))]
    for c_in, c_out in zip(channels[:-1], channels[1:]):
        encoder += with_activation(Conv2D(c_in, c_out, kernel, stride, padding, rng=rng, dtype=dtype,
                                          init=init_for(act)), act)
    latent_act = settings["latent_activation"]
    encoder += [Flatten(), *with_activation(Linear(math.prod(code_shape), variant.latent_dim, rng=rng,
                                                   dtype=dtype, init=init_for(latent_act)), latent_act)]

    decoder = with_activation(Linear(variant.latent_dim, math.prod(code_shape), rng=rng, dtype=dtype,
                                     init=init_for(act)), act) + [Reshape(code_shape)]
    for i in range(len(channels) - 1, 0, -1):
        # The sizes a stride-s Conv2D maps to one size differ by up to s - 1: the output
        # padding picks its input's.
        output_padding = [sides[i - 1] - ((sides[i] - 1) * stride - 2 * padding + kernel)
                          for sides in (heights, widths)]
        layer_act = act if i > 1 else "linear"  # the last layer gives the logits
        decoder += with_activation(
            ConvTranspose2D(channels[i], channels[i - 1], kernel, stride, padding, output_padding,
                            rng=rng, dtype=dtype, init=init_for(layer_act)), layer_act)
    decoder.append(Flatten())
    return AutoEncoder(Sequential(*encoder), Sequential(*decoder))


FAMILY = Family("conv", build, schema={
    "channels": {
        "description": "Output channels of each encoder Conv2D (the decoder mirrors them): one "
                       "list for every dataset, or one per dataset.",
        "type": ["array", "object"],
        "minItems": 1,
        "items": {"type": "integer", "minimum": 1},
        "propertyNames": {"$ref": "#/$defs/dataset"},
        "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1}},
    },
    "kernel": {"type": "integer", "minimum": 1,
               "description": "Side of every square Conv2D / ConvTranspose2D kernel."},
    "stride": {"type": "integer", "minimum": 1,
               "description": "Stride of every Conv2D (with an odd kernel, each divides the image side "
                              "by it, rounding up)."},
    "latent_activation": {"type": "string", "enum": list(ACTIVATIONS),
                          "description": "Activation of the code layer."},
})
