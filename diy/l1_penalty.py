"""An L1 penalty on the activations that pass through (Torch7's ``nn.L1Penalty``)."""
import numpy as np

from .checks import non_negative
from .module import Module


class L1Penalty(Module):
    """The identity, (batch, ...) -> (batch, ...), adding ``weight * sum |x|`` per sample to
    the objective (``penalty_name = "l1"``): placed after the code layer, a sparse autoencoder.

    backward adds the penalty's subgradient to the delta, ``weight * sign(x) / B`` for a batch
    of B (0 at x = 0).

    Parameters
    ----------
    weight : float >= 0
        lambda, the penalty's weight.
    """

    penalty_name = "l1"

    def __init__(self, weight):
        super().__init__()
        self.weight = non_negative("L1Penalty", "weight", weight)
        self._term = None

    def forward(self, X):
        self._term = np.abs(X).reshape(len(X), -1).sum(axis=1) * self.weight
        return X

    def penalty(self):
        return self._term

    def backward_delta(self, input, delta):
        grad = np.sign(input)
        grad *= self.weight / len(input)
        grad += delta
        return grad

    def get_config(self):
        return {"weight": self.weight}
