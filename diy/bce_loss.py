"""Binary cross-entropy loss on probabilities."""
import numpy as np

from .loss import Loss


class BCELoss(Loss):
    """Binary cross-entropy summed over features:
    ``l_i = -sum_j [y_ij log(yhat_ij) + (1 - y_ij) log(1 - yhat_ij)]``.

    y, yhat : ndarray of shape (batch, ...), the same shape, values in [0, 1]
    (yhat typically a Sigmoid's output); the result has yhat's dtype.

    Each log is clamped at -100, as in Torch and PyTorch, so yhat in {0, 1} gives a
    finite loss. backward: (yhat - y) / max(yhat (1 - yhat), 1e-12) / batch. The
    floor keeps the gradient finite at yhat in {0, 1}; it is active only where
    yhat (1 - yhat) < 1e-12, and wherever it is not, both logs are above -28, far
    from the clamp, so the gradient is the exact derivative of the loss.
    """

    def forward(self, y, yhat):
        y, yhat = self.same_shape(y, yhat)
        with np.errstate(divide="ignore"):
            log_p = np.log(yhat)
            log_q = np.subtract(1, yhat)
            np.log(log_q, out=log_q)
        # Logs below -100 are rare; a masked copy costs a fifth of np.maximum against
        # a scalar (NumPy 2.4), which does not vectorise.
        np.copyto(log_p, -100, where=log_p < -100)
        np.copyto(log_q, -100, where=log_q < -100)
        # y log p + (1 - y) log q = log q + y (log p - log q): one product fewer.
        log_p -= log_q
        log_p *= y
        log_p += log_q
        return -log_p.reshape(len(yhat), -1).sum(axis=1)

    def backward(self, y, yhat):
        y, yhat = self.same_shape(y, yhat)
        denominator = np.subtract(1, yhat)
        denominator *= yhat
        np.copyto(denominator, 1e-12, where=denominator < 1e-12)
        denominator *= len(yhat)
        grad = np.subtract(yhat, y, dtype=yhat.dtype)
        grad /= denominator
        return grad
