"""Hyperbolic tangent activation."""
import numpy as np

from .module import Module


class TanH(Module):
    """Elementwise ``Y = tanh(X)``: (batch, ...) -> (batch, ...).

    The gradient comes from the cached output, dY/dX = 1 - Y**2, so backward needs
    no transcendental function.
    """

    def forward(self, X):
        self._output = np.tanh(X)
        return self._output

    def backward_delta(self, input, delta):
        grad = np.square(self._output)
        np.subtract(1, grad, out=grad)
        grad *= delta
        return grad
