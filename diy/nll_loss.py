"""Negative log-likelihood loss on log-probabilities, and the target handling it shares
with CrossEntropyLoss."""
import numpy as np

from .loss import Loss


def class_targets(loss, y, yhat):
    """Validate classification targets against scores of shape (batch, C).

    Returns ``(y, yhat)`` as arrays: y either as class indices, integers of shape
    (batch,) in [0, C), or as one-hot rows of shape (batch, C) converted to yhat's
    dtype. Any other y is rejected with a message naming ``loss``.
    """
    y, yhat = np.asarray(y), np.asarray(yhat)
    if yhat.ndim != 2:
        raise ValueError(f"{loss!r}: expected yhat of shape (batch, C), got {yhat.shape}")
    batch, classes = yhat.shape
    if y.shape == (batch,):
        if not np.issubdtype(y.dtype, np.integer):
            raise TypeError(
                f"{loss!r}: class indices must be integers, got {y.dtype}; "
                f"pass integer labels of shape ({batch},) or one-hot rows of shape {yhat.shape}"
            )
        if batch and (y.min() < 0 or y.max() >= classes):
            raise ValueError(
                f"{loss!r}: class indices must lie in [0, {classes}), got [{y.min()}, {y.max()}]"
            )
        return y, yhat
    if y.shape == yhat.shape:
        return y.astype(yhat.dtype, copy=False), yhat
    raise ValueError(
        f"{loss!r}: y must be class indices of shape ({batch},) or one-hot rows of shape "
        f"{yhat.shape}, got {y.shape}"
    )


def log_likelihood(y, log_p):
    """Per-sample ``sum_k onehot(y)_ik log_p_ik``, shape (batch,), for targets
    returned by ``class_targets``: a gather for indices, a row-wise dot for one-hot rows.
    """
    if y.ndim == 1:
        return log_p[np.arange(len(y)), y]
    return np.einsum("ij,ij->i", y, log_p)


class NLLLoss(Loss):
    """Negative log-likelihood: ``l_i = -yhat_{i, y_i}``, or ``-sum_k y_ik yhat_ik`` for
    one-hot y.

    yhat : ndarray of shape (batch, C), log-probabilities (a LogSoftmax's output;
    the pair is the two-step form of ``CrossEntropyLoss``).
    y : int ndarray of shape (batch,) of class indices, or one-hot (batch, C)
    (any rows of probabilities, in fact).
    backward: -onehot(y) / batch, of yhat's dtype.
    """

    def forward(self, y, yhat):
        return -log_likelihood(*class_targets(self, y, yhat))

    def backward(self, y, yhat):
        y, yhat = class_targets(self, y, yhat)
        if y.ndim == 1:
            grad = np.zeros_like(yhat)
            grad[np.arange(len(y)), y] = -1 / len(y)
            return grad
        return y * (-1 / len(y))
