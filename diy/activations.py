"""Activation modules by name, for the builders that take them as strings
(``AutoEncoder.build``, ``MLPClassifier``)."""
from .relu import ReLU
from .sigmoid import Sigmoid
from .tanh import TanH

# "linear" is the identity: no module at all.
ACTIVATIONS = {"tanh": TanH, "sigmoid": Sigmoid, "relu": ReLU, "linear": None}


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
