"""Decoder layer sharing (tying) the weight matrix of a `Linear`."""
import numpy as np

from .linear import Linear, check_input
from .module import Module


class TiedLinear(Module):
    """``Y = X @ W.T + b`` with ``W`` the weight of a source ``Linear(d_in, d_out)``:
    (batch, d_out) -> (batch, d_in), the mirror of the source layer.

    Only the bias ``b`` of shape ``(d_in,)`` is this layer's own parameter. The
    weight is looked up through the source module at every call, so it follows
    ``source.astype(...)``, and its gradient is *accumulated into the source's
    buffer*: dL/dW += delta.T @ X (the transpose of X.T @ delta). A model holding
    both layers therefore yields ``W`` once from ``parameters()``, with the sum of
    both uses' gradients. Other gradients: dL/db = delta.sum(0), dL/dX = delta @ W.

    Parameters
    ----------
    source : Linear
        The layer whose weight is shared; it must be part of the same model (it
        is not a child of this one, so its parameters are not walked twice).
    bias : bool
        Whether to learn a bias of shape ``(source.d_in,)``, initialised to zero.
    """

    def __init__(self, source, *, bias=True):
        super().__init__()
        if not isinstance(source, Linear):
            raise TypeError(f"TiedLinear: source must be the Linear it ties to, got {source!r}")
        self.source, self.bias = source, bias
        self.d_in, self.d_out = source.d_out, source.d_in
        if bias:
            self.register_parameter("b", np.zeros(self.d_out, dtype=source._parameters["W"].dtype))

    def forward(self, X):
        W = self.source._parameters["W"]
        check_input(self, X, W)
        Y = X @ W.T
        if self.bias:
            Y += self._parameters["b"]
        return Y

    def backward_update_gradient(self, input, delta):
        self.source._gradient["W"] += delta.T @ input
        if self.bias:
            self._gradient["b"] += delta.sum(axis=0)

    def backward_delta(self, input, delta):
        return delta @ self.source._parameters["W"]

    def get_config(self):
        # The source is a Module, not JSON: diy.serialization stores it as a reference
        # to its place in the model.
        return {"source": self.source, "bias": self.bias}

    def __repr__(self):
        return f"TiedLinear({self.d_in} -> {self.d_out}, tied to {self.source!r}, bias={self.bias})"
