"""2-D convolution of channels-last images."""
import math

import numpy as np

from .checks import float_dtype, positive_int
from .im2col import (
    add_bias, check_init, check_input, col2im, column_sums, im2col, init_weight, pad, pair, scratch,
)
from .module import Module
from .random import as_generator


class Conv2D(Module):
    """Filter bank with bias: (batch, H, W, chan_in) -> (batch, H_out, W_out, chan_out),
    ``H_out = (H + 2 p_h - k_h) // s_h + 1`` (``W_out`` likewise), and::

        Y[n, y, x, o] = b[o] + sum_{i, j, c} X_pad[n, s_h y + i, s_w x + j, c] W[i, j, c, o]

    where ``X_pad`` is X with ``p_h`` zero rows and ``p_w`` zero columns on each side
    (a cross-correlation, as in Torch and every deep-learning library).

    Computed as one GEMM, ``cols @ W.reshape(-1, chan_out)``, with ``cols`` the im2col
    matrix of X_pad (one window a row): W, stored ``(k_h, k_w, chan_in, chan_out)``, plays
    the part of Linear's ``(d_in, d_out)``. Gradients: dL/dW = cols.T @ delta, dL/db =
    delta summed over batch and positions, dL/dX = col2im(delta @ W.T) without the
    padding. ``cols`` is what forward caches; ``backward`` (dL/dW, then dL/dX) reuses its
    memory for the GEMM of dL/dX.

    Parameters
    ----------
    chan_in, chan_out : int
        Input and output channels.
    kernel, stride, padding : int or (int, int)
        Window size, step between windows, zeros added on each side; an int is used for
        both the rows and the columns.
    rng : np.random.Generator, int or None
        Source of the initial weights.
    dtype : numpy dtype
        float32 by default; float64 for gradient checks.
    init : {"xavier", "he"}
        As in Linear, with fan_in = k_h k_w chan_in (the terms each output sums) and
        fan_out = k_h k_w chan_out (the outputs each input enters, at stride 1); use "he"
        before ReLU.
    """

    def __init__(self, chan_in, chan_out, kernel, stride=1, padding=0, *, rng=None,
                 dtype=np.float32, init="xavier"):
        super().__init__()
        check_init(init, "Conv2D")
        self.chan_in, self.chan_out = positive_int("Conv2D", "chan_in", chan_in), positive_int("Conv2D", "chan_out", chan_out)
        self.init = init
        self.kernel = pair(kernel, "kernel", "Conv2D")
        self.stride = pair(stride, "stride", "Conv2D")
        self.padding = pair(padding, "padding", "Conv2D")
        if min(self.kernel) < 1 or min(self.stride) < 1 or min(self.padding) < 0:
            raise ValueError(f"Conv2D: kernel and stride must be >= 1 and padding >= 0, got "
                             f"{self.kernel}, {self.stride}, {self.padding}")
        k = self.kernel[0] * self.kernel[1]
        dtype = float_dtype("Conv2D", "dtype", dtype)
        W = init_weight(init, self.kernel + (self.chan_in, self.chan_out), k * self.chan_in,
                        k * self.chan_out, as_generator(rng), dtype)
        self.register_parameter("W", W)
        self.register_parameter("b", np.zeros(self.chan_out, dtype=dtype))
        self._cols = None

    def forward(self, X):
        W = self._parameters["W"]
        check_input(self, X, ("height", "width"), self.chan_in, dtype=W.dtype, kernel=self.kernel,
                    padding=self.padding)
        out_shape = self._cache_cols(X)
        Y = self._cols @ W.reshape(-1, self.chan_out)
        add_bias(Y, self._parameters["b"])
        return Y.reshape(out_shape + (self.chan_out,))

    def _cache_cols(self, X):
        """Keep the im2col matrix of X_pad (scratch "cols") as ``_cols``; return (batch, H_out, W_out)."""
        windows = im2col(pad(X, self.padding, self), self.kernel, self.stride, self, "cols")
        self._cols = windows.reshape(-1, self.kernel[0] * self.kernel[1] * self.chan_in)
        return windows.shape[:3]

    def backward_update_gradient(self, input, delta):
        if self._cols is None:  # backward() has written dL/dX over them
            self._cache_cols(input)
        delta = delta.reshape(-1, self.chan_out)
        self._gradient["W"] += (self._cols.T @ delta).reshape(self._gradient["W"].shape)
        self._gradient["b"] += column_sums(delta)

    def backward_delta(self, input, delta):
        # Its own scratch array: the forward's cols stay valid for backward_update_gradient.
        shape = (math.prod(delta.shape[:3]), self.kernel[0] * self.kernel[1] * self.chan_in)
        return self._delta(input, delta, scratch(self, "delta_cols", shape, self._parameters["W"].dtype))

    def backward(self, input, delta):
        self.backward_update_gradient(input, delta)
        # That was the forward's cols' last use in a training step: dL/dX's GEMM writes over
        # them, one im2col matrix less to keep in cache (training steps of
        # bench/train_conv_autoencoder.py 6% faster). A further weight gradient without a
        # new forward computes them again.
        cols, self._cols = self._cols, None
        return self._delta(input, delta, cols)

    def _delta(self, input, delta, cols):
        """dL/dX, with ``delta @ W.T`` written into ``cols`` (batch * H_out * W_out, k_h k_w chan_in)."""
        W = self._parameters["W"]
        batch, height, width, _ = input.shape
        (p_h, p_w), (out_h, out_w) = self.padding, delta.shape[1:3]
        np.matmul(delta.reshape(-1, self.chan_out), W.reshape(-1, self.chan_out).T, out=cols)
        padded = col2im(cols.reshape((batch, out_h, out_w) + W.shape[:3]),
                        (batch, height + 2 * p_h, width + 2 * p_w, self.chan_in), self.stride)
        return padded[:, p_h:p_h + height, p_w:p_w + width]

    def get_config(self):
        return {"chan_in": self.chan_in, "chan_out": self.chan_out, "kernel": list(self.kernel),
                "stride": list(self.stride), "padding": list(self.padding), "init": self.init}
