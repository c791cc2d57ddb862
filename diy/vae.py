"""A variational autoencoder (Kingma & Welling 2014) built from diy's modules."""
import numpy as np

from .activations import check_activation, dense_layers
from .checks import non_negative, positive_int
from .autoencoder import AutoEncoder
from .gaussian_sample import GaussianSample
from .linear import Linear
from .random import as_generator
from .sequential import Sequential


def build_vae(sizes, activation="relu", *, beta=1.0, rng=None, dtype=np.float32, init=None):
    """A fully connected VAE: an ``AutoEncoder`` whose encoder ends in ``GaussianSample``.

    ``sizes=[784, 400, 40]`` gives the encoder 784-400-80 (the mean and log-variance of
    q(z | x), side by side) and the decoder 40-400-784::

        encoder: Linear, act, ..., Linear(400, 2 * 40), GaussianSample(beta)
        decoder: Linear, act, ..., Linear(400, 784)

    The decoder gives the pixels' logits (a Bernoulli decoder: train with
    ``BCEWithLogitsLoss``, whose value is -log p(x | z)), so with ``beta = 1`` the
    objective is the negative ELBO per image. In eval mode the encoder gives the means.

    Parameters
    ----------
    sizes : sequence of int, length >= 2
        Input size, hidden sizes, latent size.
    activation : {"tanh", "sigmoid", "relu", "linear"}
        After every hidden layer.
    beta : float >= 0
        Weight of the KL term (``GaussianSample``).
    rng : np.random.Generator, int or None
        Source of the initial weights, then of GaussianSample's eps (its own stream).
    dtype : numpy dtype
    init : str or None
        As in ``AutoEncoder.build``.
    """
    sizes = [int(s) for s in sizes]
    sizes = [positive_int("build_vae", "sizes", size) for size in sizes]
    non_negative("build_vae", "beta", beta)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"build_vae: need >= 2 positive sizes, got {sizes}")
    check_activation(activation, "build_vae")
    rng = as_generator(rng)
    weights_rng, sample_rng = rng.spawn(2)
    hidden = [activation] * (len(sizes) - 2)
    encoder, _ = dense_layers(sizes[:-1], hidden, rng=weights_rng, dtype=dtype, init=init)
    encoder.append(Linear(sizes[-2], 2 * sizes[-1], rng=weights_rng, dtype=dtype, init=init or "xavier"))
    encoder.append(GaussianSample(beta, rng=sample_rng))
    decoder, _ = dense_layers(sizes[::-1], hidden + ["linear"], rng=weights_rng, dtype=dtype, init=init)
    return AutoEncoder(Sequential(*encoder), Sequential(*decoder))
