"""2-D max pooling of channels-last images."""
import numpy as np

from .im2col import check_input, col2im, pair, windows
from .module import Module


class MaxPool2D(Module):
    """Window maximum per channel: (batch, H, W, C) -> (batch, H_out, W_out, C),
    ``H_out = (H - k_h) // s_h + 1`` (``W_out`` likewise; no padding), and::

        Y[n, y, x, c] = max_{i, j} X[n, s_h y + i, s_w x + j, c]

    Backward routes each delta to the position of its window's maximum, the first one
    in row-major window order when several are equal, so a tie never splits the gradient
    (max is not differentiable there; this is the subgradient Torch picks). Overlapping
    windows (stride < kernel) that share a maximum add their deltas there. Forward caches
    the argmax indices, nothing else. No parameters.

    Parameters
    ----------
    kernel : int or (int, int)
        Window size; an int is used for both rows and columns.
    stride : int, (int, int) or None
        Step between windows; None (the default) means the kernel size, disjoint windows.
    """

    def __init__(self, kernel, stride=None):
        super().__init__()
        self.kernel = pair(kernel, "kernel", "MaxPool2D")
        self.stride = self.kernel if stride is None else pair(stride, "stride", "MaxPool2D")
        if min(self.kernel) < 1 or min(self.stride) < 1:
            raise ValueError(f"MaxPool2D: kernel and stride must be >= 1, got {self.kernel}, {self.stride}")
        self._argmax = None

    def forward(self, X):
        check_input(self, X, ("height", "width"), None, kernel=self.kernel)
        Y, self._argmax = max_pool(X, self.kernel, self.stride)
        return Y

    def backward_delta(self, input, delta):
        return max_unpool(delta, self._argmax, input.shape, self.kernel, self.stride)

    def get_config(self):
        return {"kernel": list(self.kernel), "stride": list(self.stride)}


def max_pool(X, kernel, stride):
    """(batch, H, W, C) -> window maxima (batch, H_out, W_out, C) and, for ``max_unpool``,
    the flat index in its window of each maximum's first occurrence (batch, H_out, W_out, 1, C)."""
    view = windows(X, kernel, stride)
    batch, out_h, out_w, k_h, k_w, channels = view.shape
    flat = view.reshape(batch, out_h, out_w, k_h * k_w, channels)
    argmax = flat.argmax(axis=3)[:, :, :, None]  # argmax returns the first of equal maxima
    return np.take_along_axis(flat, argmax, axis=3)[:, :, :, 0], argmax


def max_unpool(delta, argmax, shape, kernel, stride):
    """dL/dX of ``shape`` from delta (batch, H_out, W_out, C): each delta added at its argmax."""
    batch, out_h, out_w, channels = delta.shape
    cols = np.zeros((batch, out_h, out_w, kernel[0] * kernel[1], channels), dtype=delta.dtype)
    np.put_along_axis(cols, argmax, delta[:, :, :, None], axis=3)
    return col2im(cols.reshape(batch, out_h, out_w, kernel[0], kernel[1], channels), shape, stride)
