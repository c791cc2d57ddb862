"""Rectified linear unit."""
import numpy as np

from .module import Module


class ReLU(Module):
    """Elementwise ``Y = max(X, 0)``: (batch, ...) -> (batch, ...).

    dY/dX = 1 where Y > 0, else 0 (the subgradient 0 is taken at X = 0, as in Torch).
    Use ``Linear(..., init="he")`` before it.
    """

    def forward(self, X):
        self._output = np.maximum(X, 0)
        return self._output

    def backward_delta(self, input, delta):
        return delta * (self._output > 0)
