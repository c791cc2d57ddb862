"""Variational autoencoders (Kingma & Welling 2014) and beta-VAEs (Higgins et al. 2017).

The encoder is the mlp family's, ``n_features, *hidden``, then a linear layer to the mean and
log-variance of q(z | x) and ``diy.GaussianSample``: in training the code is drawn by the
reparameterisation trick and the objective adds ``beta * KL(q(z | x) || N(0, I))`` to the
loss of the decoder's logits (with ``training.loss: bce``, the negative ELBO for beta = 1).
In eval mode the code is the mean, so every analysis reads a VAE's means. ``beta`` is the
family's axis (``grid.beta``): ``vae_latent16_relu_beta4_seed0``.
"""
import math

from diy.vae import build_vae
from study.families import Axis, Family
from study.families.mlp import INITS, hidden_schema, init_of

BETA = Axis("beta", "Weight of a VAE's KL term (family vae): 1 is the VAE, above 1 a beta-VAE.",
            {"type": "number", "minimum": 0})


def build(image_shape, variant, settings, rng, dtype):
    """The untrained VAE of `variant` for images of `image_shape`."""
    return build_vae(
        [math.prod(image_shape), *settings["hidden"], variant.latent_dim], variant.activation,
        beta=variant.setting("beta"), rng=rng, dtype=dtype,
        init=init_of(settings),
    )


FAMILY = Family("vae", build, axes=(BETA,), schema={
    "hidden": hidden_schema(),
    "init": {"type": "string", "enum": INITS,
             "description": "Initial weights, as the mlp family's."},
})
