"""Transposed 2-D convolution of channels-last images: the decoder's way back up."""
import numpy as np

from .checks import float_dtype, positive_int
from .im2col import (
    add_bias, check_init, check_input, col2im, column_sums, im2col, init_weight, pad, pair, scratch,
)
from .module import Module
from .random import as_generator


class ConvTranspose2D(Module):
    """The adjoint of ``Conv2D(chan_out, chan_in, kernel, stride, padding)``, plus a bias:
    (batch, H, W, chan_in) -> (batch, H_out, W_out, chan_out) with
    ``H_out = (H - 1) s_h - 2 p_h + k_h + op_h`` (``W_out`` likewise), and::

        Y_full[n, s_h y + i, s_w x + j, o] += sum_c X[n, y, x, c] W[i, j, o, c]
        Y = Y_full[:, p_h:p_h + H_out, p_w:p_w + W_out] + b

    Each input pixel stamps the kernel, scaled, onto a stride-spaced output grid, and
    overlapping stamps add up. W is stored ``(k_h, k_w, chan_out, chan_in)``, the layout
    of the adjoint Conv2D's weight, so with that weight the forward pass is exactly
    ``Conv2D.backward_delta`` (one GEMM ``X @ W.T``, then col2im) and the input gradient is
    exactly ``Conv2D.forward`` without bias (im2col of the padded delta, then one GEMM).
    A stride-s Conv2D maps s input sizes to the same output size; the output padding
    ``op`` (less than the stride, added at the bottom and right) picks the one its adjoint
    returns: with k=3, s=2, p=1, op=1 the output is exactly 2 H, the input size of the
    encoder's ``Conv2D(k=3, s=2, p=1)`` on even sizes (28 -> 14 -> 7 -> 14 -> 28).

    Chosen over nearest upsampling followed by a Conv2D: it is what convolutional
    autoencoders usually use, it mirrors the encoder's strided Conv2D layer for layer,
    it shares Conv2D's im2col/col2im code, and for the same output it costs s_h s_w times
    fewer multiply-adds (an upsampled image repeats every pixel s_h s_w times).

    Gradients: dL/dW = im2col(delta_pad).T @ X, dL/db = delta summed over batch and
    positions, dL/dX = im2col(delta_pad) @ W. ``backward`` computes the im2col matrix of
    the delta once for both. Forward caches nothing: backward needs only ``input``.

    Parameters
    ----------
    chan_in, chan_out : int
        Input and output channels.
    kernel, stride, padding, output_padding : int or (int, int)
        Those of the adjoint Conv2D, and the extra output rows/columns (each < stride).
    rng : np.random.Generator, int or None
        Source of the initial weights.
    dtype : numpy dtype
        float32 by default; float64 for gradient checks.
    init : {"xavier", "he"}
        As in Linear, with fan_out = k_h k_w chan_out (the outputs each input enters) and
        fan_in = k_h k_w chan_in / (s_h s_w), at least chan_in: the mean number of terms
        an output sums, as stamps at stride s overlap k/s deep. Use "he" before ReLU.
    """

    def __init__(self, chan_in, chan_out, kernel, stride=1, padding=0, output_padding=0, *,
                 rng=None, dtype=np.float32, init="xavier"):
        super().__init__()
        check_init(init, "ConvTranspose2D")
        self.chan_in, self.chan_out = positive_int("ConvTranspose2D", "chan_in", chan_in), positive_int("ConvTranspose2D", "chan_out", chan_out)
        self.init = init
        self.kernel = pair(kernel, "kernel", "ConvTranspose2D")
        self.stride = pair(stride, "stride", "ConvTranspose2D")
        self.padding = pair(padding, "padding", "ConvTranspose2D")
        self.output_padding = pair(output_padding, "output_padding", "ConvTranspose2D")
        if (min(self.kernel) < 1 or min(self.stride) < 1 or min(self.padding) < 0
                or min(self.output_padding) < 0
                or any(op >= s for op, s in zip(self.output_padding, self.stride))):
            raise ValueError(f"ConvTranspose2D: kernel and stride must be >= 1, padding >= 0 and "
                             f"0 <= output_padding < stride, got kernel {self.kernel}, stride "
                             f"{self.stride}, padding {self.padding}, output_padding {self.output_padding}")
        k, s = self.kernel[0] * self.kernel[1], self.stride[0] * self.stride[1]
        dtype = float_dtype("ConvTranspose2D", "dtype", dtype)
        W = init_weight(init, self.kernel + (self.chan_out, self.chan_in),
                        max(self.chan_in, k * self.chan_in / s), k * self.chan_out,
                        as_generator(rng), dtype)
        self.register_parameter("W", W)
        self.register_parameter("b", np.zeros(self.chan_out, dtype=dtype))

    def output_shape(self, input_shape):
        """(batch, H_out, W_out, chan_out) for an input of ``input_shape``."""
        batch, height, width, _ = input_shape
        return (batch,) + tuple(
            (size - 1) * s - 2 * p + k + op
            for size, k, s, p, op in zip((height, width), self.kernel, self.stride,
                                         self.padding, self.output_padding)
        ) + (self.chan_out,)

    def forward(self, X):
        W = self._parameters["W"]
        check_input(self, X, ("height", "width"), self.chan_in, dtype=W.dtype)
        shape = self.output_shape(X.shape)
        if min(shape[1:3]) < 1:
            raise ValueError(f"{self!r}: input {X.shape} gives an empty output {shape}")
        (p_h, p_w), (height, width) = self.padding, shape[1:3]
        cols = scratch(self, "cols", X.shape[:3] + W.shape[:3], W.dtype)
        np.matmul(X.reshape(-1, self.chan_in), W.reshape(-1, self.chan_in).T,
                  out=cols.reshape(-1, self.kernel[0] * self.kernel[1] * self.chan_out))
        full = col2im(cols, (len(X), height + 2 * p_h, width + 2 * p_w, self.chan_out), self.stride)
        # The bias goes on the whole contiguous array, whose fast path beats adding it to
        # the cropped view alone.
        add_bias(full.reshape(-1, self.chan_out), self._parameters["b"])
        return full[:, p_h:p_h + height, p_w:p_w + width]

    def _delta_cols(self, delta):
        """im2col of the zero-padded delta: (batch * H * W, k_h * k_w * chan_out), one row per
        input pixel, in the scratch array forward used for its GEMM (of that very shape)."""
        windows = im2col(pad(delta, self.padding, self), self.kernel, self.stride, self, "cols")
        return windows.reshape(-1, self.kernel[0] * self.kernel[1] * self.chan_out)

    def _update_gradient(self, input, delta, cols):
        self._gradient["W"] += (cols.T @ input.reshape(-1, self.chan_in)).reshape(self._gradient["W"].shape)
        self._gradient["b"] += column_sums(delta.reshape(-1, self.chan_out))

    def _delta(self, input, cols):
        return (cols @ self._parameters["W"].reshape(-1, self.chan_in)).reshape(input.shape)

    def backward_update_gradient(self, input, delta):
        self._update_gradient(input, delta, self._delta_cols(delta))

    def backward_delta(self, input, delta):
        return self._delta(input, self._delta_cols(delta))

    def backward(self, input, delta):
        cols = self._delta_cols(delta)
        self._update_gradient(input, delta, cols)
        return self._delta(input, cols)

    def get_config(self):
        return {"chan_in": self.chan_in, "chan_out": self.chan_out, "kernel": list(self.kernel),
                "stride": list(self.stride), "padding": list(self.padding),
                "output_padding": list(self.output_padding), "init": self.init}
