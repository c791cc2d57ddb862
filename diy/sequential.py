"""Sequential container: modules applied one after the other."""
from .module import Module


class Sequential(Module):
    """``Sequential(m1, m2, ..., mk)`` computes mk(...m2(m1(X))) and back-propagates
    through any depth.

    ``forward`` caches each module's input; the backward methods walk the modules in
    reverse, feeding each one the delta of the module after it. The delta with
    respect to the container's own input is computed only by ``backward_delta`` (and
    ``backward``): accumulating parameter gradients needs a module's input delta only
    if a module before it has parameters, which saves the first layer's largest
    matrix product during training (and, behind a ``Reshape``, a convolution's col2im).
    """

    def __init__(self, *modules):
        super().__init__()
        for module in modules:
            if not isinstance(module, Module):
                raise TypeError(f"{type(self).__name__}: modules must be diy Modules, got {module!r} "
                                f"({type(module).__name__})")
        self.modules = list(modules)
        self._inputs = []

    def children(self):
        return self.modules

    def append(self, module):
        self.modules.append(module)
        return self

    def __len__(self):
        return len(self.modules)

    def __getitem__(self, i):
        return self.modules[i]

    def forward(self, X):
        self._inputs = []
        for module in self.modules:
            self._inputs.append(X)
            X = module.forward(X)
        return X

    def _backward(self, delta, update_gradient, input_delta):
        last = len(self.modules) - 1
        # The first module with parameters: no delta below it reaches a gradient.
        first = next((i for i, m in enumerate(self.modules) if next(m.parameters(), None)), last + 1)
        for i in range(last, -1, -1):
            module, inp = self.modules[i], self._inputs[i]
            need_delta = i > first or input_delta
            # One backward() call when both are needed: a nested container (the
            # encoder and decoder of an AutoEncoder) then walks its modules once.
            if update_gradient and need_delta:
                delta = module.backward(inp, delta)
            elif update_gradient:
                module.backward_update_gradient(inp, delta)
            elif need_delta:
                delta = module.backward_delta(inp, delta)
        return delta

    def backward_update_gradient(self, input, delta):
        self._backward(delta, update_gradient=True, input_delta=False)

    def backward_delta(self, input, delta):
        return self._backward(delta, update_gradient=False, input_delta=True)

    def backward(self, input, delta):
        return self._backward(delta, update_gradient=True, input_delta=True)

    def __repr__(self):
        inner = "\n".join(f"  ({k}): {m!r}".replace("\n", "\n  ") for k, m in self._named_children())
        return f"{type(self).__name__}(\n{inner}\n)"
