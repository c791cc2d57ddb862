"""Squared-error loss."""
import numpy as np

from .loss import Loss


class MSELoss(Loss):
    """Squared error summed over features: ``l_i = sum_j (yhat_ij - y_ij)**2``.

    y, yhat : ndarray of shape (batch, ...), the same shape; the result has yhat's
    dtype. backward: 2 (yhat - y) / batch.
    """

    def forward(self, y, yhat):
        diff = self._difference(y, yhat).reshape(len(yhat), -1)
        return np.einsum("ij,ij->i", diff, diff)

    def backward(self, y, yhat):
        grad = self._difference(y, yhat)
        grad *= 2 / len(grad)
        return grad

    def _difference(self, y, yhat):
        y, yhat = self.same_shape(y, yhat)
        return np.subtract(yhat, y, dtype=yhat.dtype)
