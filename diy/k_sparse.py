"""The k-sparse layer of Makhzani & Frey (2014)."""
import numpy as np

from .checks import number
from .module import Module


class KSparse(Module):
    """Keep the k largest units of each sample, zero the others: (batch, d) -> (batch, d).

    After a linear code layer this is the k-sparse autoencoder: each code has at most k
    non-zero units, and the gradient flows through those only (the mask of the last
    forward). Exactly k units are kept even when several tie at the k-th value.
    Makhzani & Frey encode test data with a larger alpha k; here train and eval modes keep
    the same k, so a code is what the decoder was trained to read.

    Parameters
    ----------
    k : int, 1 <= k
        Units kept per sample (all of them if k >= d).
    """

    def __init__(self, k):
        super().__init__()
        if number("KSparse", "k", k) != int(k) or k < 1:
            raise ValueError(f"KSparse: k must be an integer >= 1, got {k!r}")
        self.k = int(k)
        self._mask = None

    def forward(self, X):
        if X.ndim != 2:
            raise ValueError(f"{self!r}: expected input (batch, units), got {X.shape}")
        if self.k >= X.shape[1]:
            self._mask = None
            return X
        keep = np.argpartition(X, X.shape[1] - self.k, axis=1)[:, -self.k:]
        mask = np.zeros(X.shape, dtype=X.dtype)
        np.put_along_axis(mask, keep, 1, axis=1)
        self._mask = mask
        return X * mask

    def backward_delta(self, input, delta):
        return delta if self._mask is None else delta * self._mask

    def get_config(self):
        return {"k": self.k}
