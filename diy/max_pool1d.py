"""1-D (temporal) max pooling of sequences."""
from .im2col import check_input, window_1d
from .max_pool2d import max_pool, max_unpool
from .module import Module


class MaxPool1D(Module):
    """Torch's ``TemporalMaxPooling``: (batch, length, C) -> (batch, L_out, C),
    ``L_out = (length - k_size) // stride + 1``, and::

        Y[n, t, c] = max_i X[n, stride t + i, c]

    Backward routes each delta to its window's maximum, the first one when several are
    equal (a tie never splits the gradient), as ``MaxPool2D`` does on a one-row image.
    Forward caches the argmax indices. No parameters.

    Parameters
    ----------
    k_size : int
        Window length.
    stride : int or None
        Step between windows; None (the default) means ``k_size``, disjoint windows.
    """

    def __init__(self, k_size, stride=None):
        super().__init__()
        self.k_size, self.stride = window_1d(k_size, stride, "MaxPool1D")
        self._argmax = None

    def forward(self, X):
        check_input(self, X, ("length",), None, kernel=(self.k_size,))
        Y, self._argmax = max_pool(X[:, None], (1, self.k_size), (1, self.stride))
        return Y[:, 0]

    def backward_delta(self, input, delta):
        return max_unpool(delta[:, None], self._argmax, input[:, None].shape,
                          (1, self.k_size), (1, self.stride))[:, 0]

    def get_config(self):
        return {"k_size": self.k_size, "stride": self.stride}
