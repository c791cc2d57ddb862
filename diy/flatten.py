"""Flatten every axis but the batch axis."""
import math

from .module import Module


class Flatten(Module):
    """(batch, d1, ..., dk) -> (batch, d1 * ... * dk), row-major (C order), a view when
    the input is contiguous; backward reshapes the delta back to the input's shape.
    Joins a convolutional stack to a Linear. No parameters."""

    def forward(self, X):
        if X.ndim < 2:
            raise ValueError(f"{self!r}: expected input of shape (batch, ...), got {X.shape}")
        return X.reshape(X.shape[0], math.prod(X.shape[1:]))

    def backward_delta(self, input, delta):
        return delta.reshape(input.shape)
