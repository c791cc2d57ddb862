"""Softmax over the last axis."""
import numpy as np

from .module import Module


class Softmax(Module):
    """``Y_ik = exp(X_ik) / sum_j exp(X_ij)`` over the last axis: (batch, C) -> (batch, C).

    The row maximum is subtracted before ``exp`` (the ratio is unchanged) so large
    logits cannot overflow. Backward is the Jacobian-vector product of the whole
    batch at once, dL/dX = Y * (delta - sum_j delta_j Y_j); no per-row Jacobian is
    built.
    """

    def forward(self, X):
        Y = np.subtract(X, X.max(axis=-1, keepdims=True))
        np.exp(Y, out=Y)
        Y /= Y.sum(axis=-1, keepdims=True)
        self._output = Y
        return Y

    def backward_delta(self, input, delta):
        Y = self._output
        grad = np.subtract(delta, np.einsum("...j,...j->...", delta, Y)[..., None])
        grad *= Y
        return grad
