"""Stochastic gradient descent, with optional (heavy-ball) momentum."""
import numpy as np

from ..checks import number
from .optimizer import Optimizer


class SGD(Optimizer):
    """``v = momentum * v + g;  p -= lr * v``, in place, for every parameter ``p``.

    With ``momentum=0`` this is the plain step ``p -= lr * g``. The velocity ``v``
    starts at zero, so the first step of any momentum is a plain step.

    Parameters
    ----------
    module : Module
        The model to update.
    lr : float
        Learning rate.
    momentum : float in [0, 1)
        Fraction of the previous velocity kept.
    """

    def __init__(self, module, lr, momentum=0.0):
        super().__init__(module, lr)
        if not 0.0 <= number("SGD", "momentum", momentum) < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)

    def _update(self, name, parameter, gradient):
        velocity, scratch = self._buffers(name, parameter, 2)
        velocity *= self.momentum
        velocity += gradient
        np.multiply(velocity, self.lr, out=scratch)
        parameter -= scratch

    def __repr__(self):
        return f"SGD(lr={self.lr!r}, momentum={self.momentum!r})"
