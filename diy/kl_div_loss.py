"""Kullback-Leibler divergence between distributions over the last axis."""
import numpy as np

from .loss import Loss


class KLDivLoss(Loss):
    """KL(P || Q) per sample: ``l_i = sum_j p_ij log(p_ij / q_ij)``, with 0 log 0 = 0.

    y = P, the target distribution, and yhat = Q, the prediction: ndarrays of shape
    (batch, k), the same shape, rows of probabilities (Q a ``Softmax`` or
    ``ClusteringLayer`` output); the result has yhat's dtype. A q_ij = 0 where
    p_ij > 0 gives an infinite loss and gradient. backward: -P / Q / batch, and 0
    where p_ij = 0 (those terms are constant 0), so a q_ij = 0 there gives no 0 / 0.

    Unlike PyTorch's ``KLDivLoss``, yhat holds probabilities, not log-probabilities.
    """

    def forward(self, y, yhat):
        P, Q = self._check(y, yhat)
        terms = np.zeros(Q.shape, dtype=Q.dtype)
        present = P > 0
        p = P[present]
        with np.errstate(divide="ignore"):
            terms[present] = p * (np.log(p) - np.log(Q[present]))
        return terms.sum(axis=1)

    def backward(self, y, yhat):
        P, Q = self._check(y, yhat)
        grad = np.zeros(Q.shape, dtype=Q.dtype)
        with np.errstate(divide="ignore"):  # q = 0 < p: the loss is inf, its gradient -inf
            np.divide(P, Q, out=grad, where=P > 0)
        grad *= -1 / len(Q)
        return grad

    def _check(self, y, yhat):
        y, yhat = np.asarray(y), np.asarray(yhat)
        if y.shape != yhat.shape or yhat.ndim != 2:
            raise ValueError(f"{self!r}: y and yhat must both be (batch, k), got {y.shape} and {yhat.shape}")
        return y, yhat
