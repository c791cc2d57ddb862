"""Inverted dropout."""
import numpy as np

from .checks import number
from .module import Module
from .random import as_generator


class Dropout(Module):
    """Inverted dropout: (batch, ...) -> (batch, ...).

    In train mode ``Y = X * M / (1 - p)`` with each M_ij ~ Bernoulli(1 - p) drawn
    afresh at every forward, so E[Y] = X and eval mode is the plain identity (no
    rescaling at prediction time). Backward multiplies by the mask of the last
    forward.

    Parameters
    ----------
    p : float in [0, 1)
        Probability of zeroing each element.
    rng : np.random.Generator, int or None
        Source of the masks.
    """

    def __init__(self, p=0.5, *, rng=None):
        super().__init__()
        if not 0 <= number("Dropout", "p", p) < 1:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self.rng = as_generator(rng)
        self._mask = None

    def forward(self, X):
        if not self.training or self.p == 0:
            self._mask = None
            return X
        mask = self.rng.random(X.shape, dtype=X.dtype)
        # The comparison writes 0.0 / 1.0 over the uniform draws: no boolean temporary.
        np.greater_equal(mask, self.p, out=mask)
        mask *= 1 / (1 - self.p)
        self._mask = mask
        return X * mask

    def backward_delta(self, input, delta):
        return delta if self._mask is None else delta * self._mask

    def get_config(self):
        return {"p": self.p}
