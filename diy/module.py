"""The `Module` base class: the contract every layer keeps.

A module maps a batch of inputs to a batch of outputs. Back-propagation is split in
two, as in Lua Torch `nn`:

* ``backward_update_gradient(input, delta)`` *accumulates* dL/dparameters into
  ``_gradient`` (Torch's ``accGradParameters``);
* ``backward_delta(input, delta)`` returns dL/dinput and never touches parameters
  (Torch's ``updateGradInput``).

``delta`` is always dL/doutput, of the output's shape. Both methods read what the
last ``forward(input)`` cached, so they must follow a forward on the same input.
Everything that only walks the parameters (``zero_grad``, ``update_parameters``,
``parameters``, ``astype``, ``train``/``eval``) is written once, here.

A module may add a *penalty* to the objective (Torch's ``nn.L1Penalty``; a VAE's KL term): it
computes the term's value per sample in ``forward`` (``penalty()`` returns it) and adds the
gradient of its batch mean to what its backward methods compute. The objective trained is then
``loss(y, net(x)).mean() + sum of every penalty's mean``; ``penalties()`` walks the tree for
them as ``parameters()`` walks it for parameters (``diy.objective``).
"""
import numpy as np

from .checks import number


class Module:
    """Base class of every layer and container.

    Every subclass registers itself by its class name in ``Module.registry`` when it is
    defined, so ``diy.load`` can rebuild it from the name a file stores (and nothing else:
    a name that no imported subclass holds is refused). Two subclasses may not share a name.

    Attributes
    ----------
    _parameters : dict of str -> ndarray
        The learnable arrays, e.g. ``{"W": (d_in, d_out), "b": (d_out,)}``; empty
        for modules without parameters.
    _gradient : dict of str -> ndarray
        Accumulated dL/dparameter, same keys, shapes and dtypes as ``_parameters``.
    training : bool
        True in train mode (the default), False in eval mode.
    """

    #: Class name -> Module subclass, filled by ``__init_subclass__``; a name defined by two
    #: different classes maps to None (ambiguous: neither can be saved or loaded by it).
    registry = {}
    #: What a module adding a penalty calls its term (a history column: ``train_kl``).
    penalty_name = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        known = Module.registry.get(cls.__name__, cls)
        # The same class defined again (a module reloaded, a test's local class re-created)
        # replaces itself; a different class of the same name makes the name ambiguous.
        same = known is not None and (known.__module__, known.__qualname__) == (cls.__module__, cls.__qualname__)
        Module.registry[cls.__name__] = cls if same else None

    def __init__(self):
        self._parameters = {}
        self._gradient = {}
        self.training = True

    def register_parameter(self, name, array):
        """Make `array` the learnable parameter `name`, with a zero gradient buffer beside it."""
        self._parameters[name] = array
        self._gradient[name] = np.zeros_like(array)

    # -- the three methods a layer writes ------------------------------------
    def forward(self, X):
        """(batch, ...) -> (batch, ...). Caches what backward needs."""
        raise NotImplementedError

    def backward_update_gradient(self, input, delta):
        """Accumulate dL/dparameters into ``_gradient``; a no-op without parameters."""

    def backward_delta(self, input, delta):
        """Return dL/dinput, shape of ``input``, from ``delta`` = dL/doutput."""
        raise NotImplementedError

    def __call__(self, X):
        return self.forward(X)

    def backward(self, input, delta):
        """Accumulate the parameter gradient and return dL/dinput, in one call."""
        self.backward_update_gradient(input, delta)
        return self.backward_delta(input, delta)

    # -- sub-modules and the one parameter walk -----------------------------
    def children(self):
        """The direct sub-modules, in order; none for a leaf layer."""
        return []

    def parameters(self):
        """Yield ``(name, parameter, gradient)`` for this module and its children.

        Names are dotted paths (``"0.W"``, ``"encoder.2.b"``), stable across runs,
        so they key saved files and optimizer state. An array shared by several
        modules (tied weights) is yielded once only.
        """
        seen = set()
        for name, parameter, gradient in self._named_parameters(""):
            if id(parameter) not in seen:
                seen.add(id(parameter))
                yield name, parameter, gradient

    def _named_parameters(self, prefix):
        for key, parameter in self._parameters.items():
            yield prefix + key, parameter, self._gradient[key]
        for key, child in self._named_children():
            yield from child._named_parameters(f"{prefix}{key}.")

    def _named_children(self):
        return [(str(i), child) for i, child in enumerate(self.children())]

    def penalty(self):
        """This module's own term of the objective at the last forward, per sample, (batch,),
        or None for a module that adds none (the default)."""
        return None

    def penalties(self):
        """Yield ``(name, term)`` for every module of the tree whose ``penalty()`` is not None.

        ``term`` is the per-sample value (batch,) of the last forward. ``name`` is the module's
        ``penalty_name`` ("kl", "l1", ...), prefixed by the module's dotted path when two
        modules of the tree have the same one.
        """
        found = [(path, module) for path, module in self._named_modules("") if module.penalty() is not None]
        counts = {}
        for _, module in found:
            counts[module.penalty_name] = counts.get(module.penalty_name, 0) + 1
        for path, module in found:
            unique = counts[module.penalty_name] == 1
            yield (module.penalty_name if unique else f"{path}{module.penalty_name}"), module.penalty()

    def _named_modules(self, prefix):
        yield prefix, self
        for key, child in self._named_children():
            yield from child._named_modules(f"{prefix}{key}.")

    def zero_grad(self):
        """Set every accumulated gradient to zero, in place."""
        for _, _, gradient in self.parameters():
            gradient.fill(0)

    def update_parameters(self, gradient_step=1e-3):
        """Plain gradient step, in place: p -= gradient_step * dL/dp."""
        number(f"{type(self).__name__}.update_parameters", "gradient_step", gradient_step)
        for _, parameter, gradient in self.parameters():
            parameter -= gradient_step * gradient

    # -- modes and dtype -----------------------------------------------------
    def train(self, mode=True):
        """Set train mode (``mode=True``) or eval mode on this module and its children."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        """Set eval mode: Dropout becomes the identity."""
        return self.train(False)

    def astype(self, dtype):
        """Convert every parameter and gradient to ``dtype``, in this module and below.

        An array shared by several modules (tied weights, their common gradient
        buffer) is converted once and stays shared. Arrays already of ``dtype`` are
        kept as they are.
        """
        self._astype(dtype, {})
        return self

    def _astype(self, dtype, converted):
        # converted: id(original) -> (original, converted); holding the original keeps
        # its id from being reused by a new array during the walk.
        for arrays in (self._parameters, self._gradient):
            for key, array in arrays.items():
                if id(array) not in converted:
                    converted[id(array)] = (array, array.astype(dtype, copy=False))
                arrays[key] = converted[id(array)][1]
        for child in self.children():
            child._astype(dtype, converted)

    # -- architecture as data --------------------------------------------------
    def get_config(self):
        """The constructor's keyword arguments, as JSON-able values (for saving)."""
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
