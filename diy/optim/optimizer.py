"""The `Optimizer` base class: the one walk over a module's parameters."""
import numpy as np

from ..checks import positive
from ..module import Module


class Optimizer:
    """Updates a module's parameters, in place, from the gradients accumulated in it.

    A subclass writes ``_update(name, parameter, gradient)``; ``step`` calls it once
    per parameter yielded by ``module.parameters()`` (tied arrays once only). State
    (velocities, moments) is allocated on first use and keyed by the parameter's
    dotted name, so it does not depend on array identity.

    Parameters
    ----------
    module : Module
        The model whose parameters are updated: the network itself (``Adam(net)``), not
        ``net.parameters()``, which yields once only, and without the names the state is
        keyed by.
    lr : float
        Learning rate (step size), > 0.
    """

    def __init__(self, module, lr):
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}: module must be the network to train, a diy Module "
                            f"(e.g. {type(self).__name__}(net, lr=0.01)), got {type(module).__name__}; pass the "
                            f"module itself, not net.parameters()")
        self.module = module
        self.lr = positive(type(self).__name__, "lr", lr)
        self.state = {}

    def step(self):
        """Apply one update to every parameter, from its accumulated gradient."""
        for name, parameter, gradient in self.module.parameters():
            self._update(name, parameter, gradient)

    def zero_grad(self):
        """Zero the module's accumulated gradients (call before each backward pass)."""
        self.module.zero_grad()

    def _update(self, name, parameter, gradient):
        raise NotImplementedError

    def _buffers(self, name, parameter, count):
        """``count`` arrays shaped and typed like ``parameter``, zero on first use.

        Allocated once per name, so updates run in place; converted (not reset) if
        the module was cast with ``astype`` after the optimizer was made.
        """
        buffers = self.state.get(name)
        if buffers is None:
            buffers = self.state[name] = [np.zeros_like(parameter) for _ in range(count)]
        elif buffers[0].dtype != parameter.dtype:
            buffers = self.state[name] = [b.astype(parameter.dtype) for b in buffers]
        return buffers

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr!r})"
