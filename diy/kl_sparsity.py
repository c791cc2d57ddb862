"""The KL-divergence sparsity penalty of a sparse autoencoder (Ng, "Sparse autoencoder", CS294A)."""
import numpy as np

from .checks import non_negative, number
from .module import Module


class KLSparsity(Module):
    """The identity on sigmoid units, (batch, k) -> (batch, k), adding
    ``weight * sum_j KL(rho || rho_hat_j)`` to the objective (``penalty_name = "sparsity"``).

    ``rho_hat_j`` is unit j's mean activation over the batch and
    ``KL(rho || r) = rho log(rho / r) + (1 - rho) log((1 - rho) / (1 - r))``, the divergence
    of a Bernoulli of mean r from the target mean rho: small rho asks each unit to be
    active for few samples. The term is a property of the batch, not of a sample: the
    per-sample value is that batch term for every sample, so its mean is the term itself.
    backward adds, for a batch of B::

        d/dx_ij = weight * (-rho / rho_hat_j + (1 - rho) / (1 - rho_hat_j)) / B

    rho_hat is clipped to [1e-7, 1 - 1e-7] (a unit on or off for the whole batch would give
    an infinite term).

    Parameters
    ----------
    rho : float in (0, 1)
        Target mean activation.
    weight : float >= 0
        The penalty's weight (Ng's beta).
    """

    penalty_name = "sparsity"
    _CLIP = 1e-7

    def __init__(self, rho=0.05, weight=1.0):
        super().__init__()
        self.rho, self.weight = number("KLSparsity", "rho", rho, 0.0, strict=True), non_negative("KLSparsity", "weight", weight)
        if not self.rho < 1:
            raise ValueError(f"KLSparsity: rho must be < 1, got {rho!r}")
        self._rho_hat = self._term = None

    def forward(self, X):
        if X.ndim != 2:
            raise ValueError(f"{self!r}: expected input (batch, units), got {X.shape}")
        r = np.clip(X.mean(axis=0), self._CLIP, 1 - self._CLIP)
        rho = self.rho
        kl = rho * np.log(rho / r) + (1 - rho) * np.log((1 - rho) / (1 - r))
        self._rho_hat = r
        self._term = np.full(len(X), self.weight * kl.sum(), dtype=X.dtype)
        return X

    def penalty(self):
        return self._term

    def backward_delta(self, input, delta):
        r, rho = self._rho_hat, self.rho
        unit = (-rho / r + (1 - rho) / (1 - r)) * (self.weight / len(input))
        return delta + unit.astype(delta.dtype)

    def get_config(self):
        return {"rho": self.rho, "weight": self.weight}
