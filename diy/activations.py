"""Activation modules by name, and the one loop that stacks ``Linear`` layers with them, for
the builders that take activations as strings (``AutoEncoder.build``, ``MLPClassifier``)."""
from .dropout import Dropout
from .linear import Linear
from .relu import ReLU
from .sigmoid import Sigmoid
from .tanh import TanH

# "linear" is the identity: no module at all.
ACTIVATIONS = {"linear": None, "tanh": TanH, "relu": ReLU, "sigmoid": Sigmoid}


def check_activation(name, owner):
    """Raise a ValueError naming ``owner`` unless ``name`` is a key of ACTIVATIONS."""
    if name not in ACTIVATIONS:
        raise ValueError(f"{owner}: unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")


def init_for(name):
    """The Linear init for a layer followed by activation ``name``: He before ReLU
    (which halves the variance), Xavier otherwise (see ``Linear``)."""
    return "he" if name == "relu" else "xavier"


def with_activation(layer, name):
    """``[layer]`` followed by a new activation module ``name`` unless it is "linear"."""
    return [layer] if ACTIVATIONS[name] is None else [layer, ACTIVATIONS[name]()]


def dense_layers(sizes, activations, *, rng, dtype, dropout=0.0, init=None):
    """``Linear(sizes[i], sizes[i + 1])`` each followed by ``activations[i]`` (and, if `dropout`
    > 0, by Dropout, except after the last layer): ``(layers, linears)``, the flat list of
    modules and the Linear layers among them, in order.

    Each Linear is initialised by `init` (a key of ``diy.init.INITIALISERS``) or, if None, for
    the activation after it (``init_for``), drawing from `rng` in the order of the layers.
    """
    layers, linears = [], []
    for i, (d_in, d_out, act) in enumerate(zip(sizes[:-1], sizes[1:], activations)):
        linears.append(Linear(d_in, d_out, rng=rng, dtype=dtype, init=init or init_for(act)))
        layers += with_activation(linears[-1], act)
        if dropout > 0 and i < len(sizes) - 2:
            layers.append(Dropout(dropout, rng=rng))
    return layers, linears
