"""Softmax cross-entropy loss on logits."""
import numpy as np

from .log_softmax import log_softmax
from .loss import Loss
from .nll_loss import class_targets, log_likelihood


class CrossEntropyLoss(Loss):
    """Cross-entropy of softmax(yhat) against the classes y, computed from logits:
    ``l_i = log sum_k exp(yhat_ik) - yhat_{i, y_i}``.

    yhat : ndarray of shape (batch, C), unnormalised scores (a Linear's output).
    y : int ndarray of shape (batch,) of class indices, or one-hot (batch, C)
    (rows of probabilities summing to 1 work too: the gradient below assumes that sum).

    The log-sum-exp is max-shifted, so logits of any finite magnitude (1e4 and
    beyond) give a finite loss. backward: (softmax(yhat) - onehot(y)) / batch, of
    yhat's dtype. Equivalent to ``LogSoftmax`` followed by ``NLLLoss``, in one step.
    """

    def forward(self, y, yhat):
        y, yhat = class_targets(self, y, yhat)
        log_p, _ = log_softmax(yhat)
        return -log_likelihood(y, log_p)

    def backward(self, y, yhat):
        y, yhat = class_targets(self, y, yhat)
        _, grad = log_softmax(yhat)
        if y.ndim == 1:
            grad[np.arange(len(y)), y] -= 1
        else:
            grad -= y
        grad *= 1 / len(y)
        return grad
