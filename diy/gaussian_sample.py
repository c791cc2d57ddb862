"""The reparameterisation trick of a variational autoencoder (Kingma & Welling 2014)."""
import numpy as np

from .checks import non_negative
from .module import Module
from .random import as_generator


class GaussianSample(Module):
    """A code drawn from the encoder's Gaussian: (batch, 2 d) -> (batch, d).

    The input holds the mean and the log-variance of q(z | x) side by side,
    ``[mu | logvar]``. In train mode ``z = mu + exp(logvar / 2) * eps`` with
    ``eps ~ N(0, I)`` drawn afresh at every forward from the module's generator, so z is a
    differentiable function of mu and logvar; in eval mode ``z = mu``, so a VAE's codes
    are its means.

    Its penalty (``penalty_name = "kl"``) is ``beta * KL(N(mu, sigma^2) || N(0, I))`` per
    sample, summed over the code::

        KL = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - logvar_j),   sigma_j^2 = exp(logvar_j)

    (beta = 1: the VAE's ELBO with the reconstruction term as the loss; beta > 1: the
    beta-VAE of Higgins et al. 2017). Gradients, for delta = dL/dz and a batch of B::

        dL/dmu     = delta + beta mu / B
        dL/dlogvar = delta * eps * sigma / 2 + beta (sigma^2 - 1) / (2 B)   (train mode)

    and ``beta (sigma^2 - 1) / (2 B)`` alone in eval mode, where z does not depend on logvar.

    Parameters
    ----------
    beta : float >= 0
        Weight of the KL term.
    rng : np.random.Generator, int or None
        Source of eps.
    """

    penalty_name = "kl"

    def __init__(self, beta=1.0, *, rng=None):
        super().__init__()
        self.beta = non_negative("GaussianSample", "beta", beta)
        self.rng = as_generator(rng)
        self._eps = self._sigma = self._kl = None

    def forward(self, X):
        if X.ndim != 2 or X.shape[1] % 2:
            raise ValueError(f"{self!r}: expected input (batch, 2 * latent_dim) = [mu | logvar], got {X.shape}")
        d = X.shape[1] // 2
        mu, logvar = X[:, :d], X[:, d:]
        self._sigma = np.exp(logvar / 2)
        variance = np.square(self._sigma)
        kl = np.square(mu)
        kl += variance
        kl -= 1
        kl -= logvar
        self._kl = kl.sum(axis=1) * (self.beta / 2)
        if not self.training:
            self._eps = None
            return mu.copy()
        self._eps = self.rng.standard_normal(mu.shape, dtype=X.dtype)
        z = self._eps * self._sigma
        z += mu
        return z

    def penalty(self):
        return self._kl

    def backward_delta(self, input, delta):
        d = input.shape[1] // 2
        mu, scale = input[:, :d], self.beta / len(input)
        grad = np.empty_like(input)
        np.multiply(mu, scale, out=grad[:, :d])
        grad[:, :d] += delta
        np.square(self._sigma, out=grad[:, d:])
        grad[:, d:] -= 1
        grad[:, d:] *= scale / 2
        if self._eps is not None:
            grad[:, d:] += delta * self._eps * self._sigma / 2
        return grad

    def get_config(self):
        return {"beta": self.beta}
