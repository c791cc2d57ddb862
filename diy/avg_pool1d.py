"""1-D (temporal) average pooling of sequences."""
import numpy as np

from .im2col import check_input, col2im, window_1d, windows
from .module import Module


class AvgPool1D(Module):
    """Window mean per channel: (batch, length, C) -> (batch, L_out, C),
    ``L_out = (length - k_size) // stride + 1``, and::

        Y[n, t, c] = (1 / k_size) sum_i X[n, stride t + i, c]

    Backward spreads each delta evenly, ``delta / k_size`` to every position of its
    window (overlapping windows add). Caches nothing. No parameters.

    Parameters
    ----------
    k_size : int
        Window length.
    stride : int or None
        Step between windows; None (the default) means ``k_size``, disjoint windows.
    """

    def __init__(self, k_size, stride=None):
        super().__init__()
        self.k_size, self.stride = window_1d(k_size, stride, "AvgPool1D")

    def forward(self, X):
        check_input(self, X, ("length",), None, kernel=(self.k_size,))
        # A sequence is a one-row image; the mean reads the window view, no copy.
        view = windows(X[:, None], (1, self.k_size), (1, self.stride))
        return view.mean(axis=(3, 4))[:, 0]

    def backward_delta(self, input, delta):
        batch, out_length, channels = delta.shape
        share = (delta / self.k_size)[:, None, :, None, None, :]
        cols = np.broadcast_to(share, (batch, 1, out_length, 1, self.k_size, channels))
        return col2im(cols, input[:, None].shape, (1, self.stride))[:, 0]

    def get_config(self):
        return {"k_size": self.k_size, "stride": self.stride}
