"""Log-softmax over the last axis, and the function CrossEntropyLoss shares with it."""
import numpy as np

from .module import Module


def log_softmax(X):
    """Return ``(log softmax(X), softmax(X))`` over the last axis, both of X's shape.

    log softmax(X)_ik = Z_ik - log sum_j exp(Z_ij) with Z = X - max_j X_ij: after the
    shift every exponent is <= 0 and the sum lies in [1, C], so neither ``exp`` nor
    ``log`` can overflow, whatever the magnitude of X.
    """
    Z = np.subtract(X, X.max(axis=-1, keepdims=True))
    P = np.exp(Z)
    total = P.sum(axis=-1, keepdims=True)
    P /= total
    Z -= np.log(total)
    return Z, P


class LogSoftmax(Module):
    """``Y = log softmax(X)`` over the last axis, max-shifted: (batch, C) -> (batch, C).

    Feed it to ``NLLLoss`` for the two-step form of ``CrossEntropyLoss``. Backward:
    dL/dX = delta - softmax(X) * sum_j delta_j, with softmax(X) cached by forward.
    """

    def forward(self, X):
        self._output, self._softmax = log_softmax(X)
        return self._output

    def backward_delta(self, input, delta):
        grad = self._softmax * delta.sum(axis=-1, keepdims=True)
        np.subtract(delta, grad, out=grad)
        return grad
