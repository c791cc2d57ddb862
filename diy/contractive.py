"""The contractive penalty of Rifai et al. (2011), for a code layer in closed form."""
import numpy as np

from .checks import non_negative
from .linear import Linear
from .sequential import Sequential
from .sigmoid import Sigmoid
from .tanh import TanH


class Contractive(Sequential):
    """A code layer ``h = s(x W + b)``, (batch, d_in) -> (batch, k), adding
    ``weight * ||J(x)||_F^2`` per sample to the objective (``penalty_name = "contractive"``),
    where ``J = dh/dx`` is the layer's Jacobian.

    For an elementwise activation s the Jacobian is ``diag(g) W^T`` with ``g = s'(a)``,
    ``a = x W + b``, so its squared Frobenius norm is, in closed form::

        ||J||_F^2 = sum_j g_j^2 w_j,    w_j = sum_i W_ij^2

    (sigmoid: g = h (1 - h); tanh: g = 1 - h^2). It covers this layer only, the code layer:
    Rifai et al.'s encoder is one such layer, and for a deeper encoder the Jacobian of the
    whole is a product of one matrix per layer and per sample, with no such form (its norm
    costs a (d_in, k) product per sample). Placed last in a deeper encoder, the penalty
    makes the code insensitive to the last hidden layer. For a batch of B, with
    ``g' = dg/da`` (sigmoid: g (1 - 2h); tanh: -2 h g), the penalty's mean adds::

        dL/da_ij += 2 weight g_ij g'_ij w_j / B
        dL/dW_ij += 2 weight W_ij sum_n g_nj^2 / B

    and the input's gradient follows from a's through the Linear.

    Parameters
    ----------
    linear : Linear
        The code layer's affine map, (d_in, k).
    activation : Sigmoid or TanH
        The code layer's activation module.
    weight : float >= 0
        lambda, the penalty's weight.
    """

    penalty_name = "contractive"
    _ACTIVATIONS = {Sigmoid: "sigmoid", TanH: "tanh"}

    def __init__(self, linear, activation, weight=0.1):
        if not isinstance(linear, Linear) or type(activation) not in self._ACTIVATIONS:
            raise TypeError(f"Contractive: expected a Linear and a Sigmoid or TanH, got "
                            f"{type(linear).__name__} and {type(activation).__name__}")
        weight = non_negative("Contractive", "weight", weight)
        super().__init__(linear, activation)
        self.activation, self.weight = self._ACTIVATIONS[type(activation)], weight
        self._term = None

    @classmethod
    def build(cls, d_in, d_out, activation="sigmoid", weight=0.1, *, rng=None, dtype=np.float32, init="xavier"):
        """A new code layer: a fresh ``Linear(d_in, d_out)`` and the activation named."""
        modules = {name: module for module, name in cls._ACTIVATIONS.items()}
        if activation not in modules:
            raise ValueError(f"Contractive: activation must be sigmoid or tanh, got {activation!r}")
        return cls(Linear(d_in, d_out, rng=rng, dtype=dtype, init=init), modules[activation](), weight)

    def forward(self, X):
        h = super().forward(X)
        W = self.modules[0]._parameters["W"]
        if self.activation == "sigmoid":
            g = h * (1 - h)
            slope = g * (1 - 2 * h)
        else:
            g = 1 - np.square(h)
            slope = -2 * h * g
        self._w = np.einsum("ij,ij->j", W, W)
        self._g, self._slope = g, slope
        self._term = np.square(g) @ self._w * self.weight
        return h

    def penalty(self):
        return self._term

    def _pre_activation_delta(self, delta):
        """dL/da: the output delta through the activation, plus the penalty's term."""
        da = self.modules[1].backward_delta(self._inputs[1], delta)
        extra = self._g * self._slope
        extra *= self._w
        extra *= 2 * self.weight / len(delta)
        da += extra
        return da

    def _penalty_weight_gradient(self):
        linear = self.modules[0]
        W = linear._parameters["W"]
        linear._gradient["W"] += W * (np.square(self._g).sum(axis=0) * (2 * self.weight / len(self._g)))

    def backward_update_gradient(self, input, delta):
        self.modules[0].backward_update_gradient(input, self._pre_activation_delta(delta))
        self._penalty_weight_gradient()

    def backward_delta(self, input, delta):
        return self.modules[0].backward_delta(input, self._pre_activation_delta(delta))

    def backward(self, input, delta):
        da = self._pre_activation_delta(delta)
        self.modules[0].backward_update_gradient(input, da)
        self._penalty_weight_gradient()
        return self.modules[0].backward_delta(input, da)

    def get_config(self):
        return {"weight": self.weight}
