"""1-D (temporal) convolution of sequences."""
import numpy as np

from .checks import float_dtype, positive_int
from .im2col import (
    add_bias, check_init, check_input, col2im, column_sums, im2col, init_weight, scratch, window_1d,
)
from .module import Module
from .random import as_generator


class Conv1D(Module):
    """Torch's ``TemporalConvolution``: (batch, length, chan_in) -> (batch, L_out, chan_out),
    ``L_out = (length - k_size) // stride + 1`` (no padding), and::

        Y[n, t, o] = b[o] + sum_{i, c} X[n, stride t + i, c] W[i, c, o]

    Computed as one GEMM, ``cols @ W.reshape(-1, chan_out)``, with ``cols`` the im2col
    matrix (batch * L_out, k_size * chan_in) of the windows, which forward caches.
    W is stored ``(k_size, chan_in, chan_out)``: each axis says what it indexes, the
    input side comes first as in Linear's ``(d_in, d_out)``, and the reshape to the GEMM's
    ``(k_size * chan_in, chan_out)`` is a free view whose row order (offset, then channel)
    is that of the im2col columns. (Torch stores the transpose, ``(chan_out, k_size *
    chan_in)``, for its ``X @ W.T``.) Gradients: dL/dW = cols.T @ delta, dL/db = delta
    summed over batch and time, dL/dX = col2im(delta @ W.T).

    Parameters
    ----------
    k_size : int
        Window length.
    chan_in, chan_out : int
        Input and output channels (Torch's inputFrameSize, outputFrameSize).
    stride : int
        Step between windows (Torch's dW).
    rng : np.random.Generator, int or None
        Source of the initial weights.
    dtype : numpy dtype
        float32 by default; float64 for gradient checks.
    init : {"xavier", "he"}
        As in Linear, with fan_in = k_size chan_in and fan_out = k_size chan_out; use
        "he" before ReLU.
    """

    def __init__(self, k_size, chan_in, chan_out, stride=1, *, rng=None, dtype=np.float32,
                 init="xavier"):
        super().__init__()
        check_init(init, "Conv1D")
        self.k_size, self.stride = window_1d(k_size, stride, "Conv1D")
        self.chan_in, self.chan_out = positive_int("Conv1D", "chan_in", chan_in), positive_int("Conv1D", "chan_out", chan_out)
        self.init = init
        dtype = float_dtype("Conv1D", "dtype", dtype)
        W = init_weight(init, (self.k_size, self.chan_in, self.chan_out), self.k_size * self.chan_in,
                        self.k_size * self.chan_out, as_generator(rng), dtype)
        self.register_parameter("W", W)
        self.register_parameter("b", np.zeros(self.chan_out, dtype=dtype))
        self._cols = None

    def forward(self, X):
        W = self._parameters["W"]
        check_input(self, X, ("length",), self.chan_in, dtype=W.dtype, kernel=(self.k_size,))
        # A sequence is a one-row image: the 2-D im2col with a (1, k_size) kernel.
        windows = im2col(X[:, None], (1, self.k_size), (1, self.stride), self, "cols")
        self._cols = windows.reshape(-1, self.k_size * self.chan_in)
        Y = self._cols @ W.reshape(-1, self.chan_out)
        add_bias(Y, self._parameters["b"])
        return Y.reshape(len(X), windows.shape[2], self.chan_out)

    def backward_update_gradient(self, input, delta):
        delta = delta.reshape(-1, self.chan_out)
        self._gradient["W"] += (self._cols.T @ delta).reshape(self._gradient["W"].shape)
        self._gradient["b"] += column_sums(delta)

    def backward_delta(self, input, delta):
        W = self._parameters["W"]
        batch, out_length, _ = delta.shape
        # Its own scratch array: the forward's cols stay valid for backward_update_gradient.
        cols = scratch(self, "delta_cols", (batch, 1, out_length, 1, self.k_size, self.chan_in), W.dtype)
        np.matmul(delta.reshape(-1, self.chan_out), W.reshape(-1, self.chan_out).T,
                  out=cols.reshape(-1, self.k_size * self.chan_in))
        return col2im(cols, input[:, None].shape, (1, self.stride))[:, 0]

    def get_config(self):
        return {"k_size": self.k_size, "chan_in": self.chan_in, "chan_out": self.chan_out,
                "stride": self.stride, "init": self.init}
