"""Reshape the features of each sample."""
import math

from .checks import positive_int
from .module import Module


class Reshape(Module):
    """(batch, prod(shape)) -> (batch, *shape), row-major (C order), a view when the input
    is contiguous; backward reshapes the delta back. Joins a Linear to a convolutional
    stack (a decoder's Linear to a ConvTranspose2D), the inverse of ``Flatten``.
    No parameters.

    Parameters
    ----------
    shape : sequence of int
        The shape of one sample, e.g. ``(7, 7, 32)`` for a channels-last image.
    """

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(positive_int("Reshape", "shape", d) for d in shape)
        if not self.shape or min(self.shape) < 1:
            raise ValueError(f"Reshape: shape must be a non-empty sequence of positive ints, got {shape!r}")

    def forward(self, X):
        if X.ndim != 2 or X.shape[1] != math.prod(self.shape):
            raise ValueError(f"{self!r}: expected input of shape (batch, {math.prod(self.shape)}), "
                             f"got {X.shape}")
        return X.reshape((len(X),) + self.shape)

    def backward_delta(self, input, delta):
        return delta.reshape(input.shape)

    def get_config(self):
        return {"shape": list(self.shape)}
