"""Adam: adaptive moment estimation (Kingma & Ba, 2015)."""
import math

import numpy as np

from ..checks import number, positive
from .optimizer import Optimizer


class Adam(Optimizer):
    """The bias-corrected Adam update, in place, for every parameter ``p``::

        m = b1 * m + (1 - b1) * g            v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)              v_hat = v / (1 - b2**t)
        p -= lr * m_hat / (sqrt(v_hat) + eps)

    ``t`` counts the calls to ``step`` (from 1). The moments are stored scaled,
    ``M = m / (1 - b1)`` and ``V = v / (1 - b2)``, so that they update as
    ``M = b1 * M + g`` and ``V = b2 * V + g**2``: with the bias corrections, the
    scales fold into two scalars per step, and an update makes 10 passes over the
    parameter's size (the unscaled moments need two more). The moments and one
    scratch array per parameter are allocated on the first step and then reused, so
    a step allocates nothing and a float32 model stays float32.

    Parameters
    ----------
    module : Module
        The model to update.
    lr : float
        Learning rate.
    betas : (float, float)
        Decay rates ``(b1, b2)`` of the first and second moment estimates.
    eps : float
        Added to ``sqrt(v_hat)`` so that parameters with a vanishing gradient
        history take bounded steps.
    """

    def __init__(self, module, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(module, lr)
        b1, b2 = (number("Adam", "betas", b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"Adam: betas must be in [0, 1), got {betas!r}")
        self.betas = (float(b1), float(b2))
        self.eps = positive("Adam", "eps", eps)
        self.t = 0

    def step(self):
        self.t += 1
        b1, b2 = self.betas
        # m_hat / (sqrt(v_hat) + eps) == c * M / (sqrt(V) + eps / q), with
        # q = sqrt((1 - b2) / (1 - b2**t)) and c = (1 - b1) / ((1 - b1**t) q): the
        # bias corrections and the moments' scales become two scalars instead of
        # four passes over every array.
        q = math.sqrt((1.0 - b2) / (1.0 - b2**self.t))
        self._scaled_eps = self.eps / q
        self._step_size = self.lr * (1.0 - b1) / ((1.0 - b1**self.t) * q)
        super().step()

    def _update(self, name, parameter, gradient):
        b1, b2 = self.betas
        M, V, s = self._buffers(name, parameter, 3)
        M *= b1
        M += gradient
        V *= b2
        np.multiply(gradient, gradient, out=s)
        V += s
        np.sqrt(V, out=s)
        s += self._scaled_eps
        np.divide(M, s, out=s)
        s *= self._step_size
        parameter -= s

    def __repr__(self):
        return f"Adam(lr={self.lr!r}, betas={self.betas!r}, eps={self.eps!r})"
