"""Fully connected layer."""
import numpy as np

from .checks import float_dtype, positive_int
from .init import INITIALISERS
from .module import Module
from .random import as_generator


class Linear(Module):
    """Affine map ``Y = X @ W + b``: (batch, d_in) -> (batch, d_out).

    ``W`` is stored ``(d_in, d_out)`` so the forward pass is one GEMM and the bias is
    added by broadcasting. Gradients: dL/dW = X.T @ delta, dL/db = delta.sum(0),
    dL/dX = delta @ W.T.

    Parameters
    ----------
    d_in, d_out : int
        Input and output sizes.
    rng : np.random.Generator, int or None
        Source of the initial weights.
    dtype : numpy dtype
        float32 by default (half the memory traffic of float64, and float32 GEMM is
        about twice as fast); float64 for gradient checks.
    init : {"xavier", "he", "fan_in_uniform"}
        Xavier (the default) keeps activations and deltas at constant variance for
        tanh and sigmoid, the activations of most of this study; use "he" before ReLU;
        "fan_in_uniform" is Torch7's default (``diy.init``).
    bias : bool
        Whether to learn a bias ``b`` of shape ``(d_out,)``.
    """

    def __init__(self, d_in, d_out, *, rng=None, dtype=np.float32, init="xavier", bias=True):
        super().__init__()
        if init not in INITIALISERS:
            raise ValueError(f"Linear: unknown init {init!r}; choose one of {sorted(INITIALISERS)}")
        self.d_in, self.d_out = positive_int("Linear", "d_in", d_in), positive_int("Linear", "d_out", d_out)
        self.init, self.bias = init, bias
        dtype = float_dtype("Linear", "dtype", dtype)
        W = INITIALISERS[init](self.d_in, self.d_out, as_generator(rng), dtype)
        self.register_parameter("W", W)
        if bias:
            self.register_parameter("b", np.zeros(self.d_out, dtype=dtype))

    def forward(self, X):
        W = self._parameters["W"]
        check_input(self, X, W)
        Y = X @ W
        if self.bias:
            Y += self._parameters["b"]
        return Y

    def backward_update_gradient(self, input, delta):
        self._gradient["W"] += input.T @ delta
        if self.bias:
            self._gradient["b"] += delta.sum(axis=0)

    def backward_delta(self, input, delta):
        return delta @ self._parameters["W"].T

    def get_config(self):
        return {"d_in": self.d_in, "d_out": self.d_out, "init": self.init, "bias": self.bias}


def check_input(layer, X, W):
    """Refuse an ``X`` that is not (batch, layer.d_in) or not of ``W``'s dtype.

    A float64 input would silently make a float32 layer compute in float64; a clear
    error is cheaper than the slowdown nobody notices.
    """
    if X.ndim != 2 or X.shape[1] != layer.d_in:
        raise ValueError(f"{layer!r}: expected input of shape (batch, {layer.d_in}), got {X.shape}")
    if X.dtype != W.dtype:
        raise TypeError(
            f"{layer!r}: input is {X.dtype} but parameters are {W.dtype}; "
            f"convert the input, or the module with .astype({X.dtype})"
        )
