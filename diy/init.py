"""Weight initialisation schemes, as functions of (fan_in, fan_out).

Each returns an array of shape ``(fan_in, fan_out)`` drawn from ``rng``.
"""
import numpy as np

from .checks import float_dtype, positive_int


def _checked(where, fan_in, fan_out, rng, dtype):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{where}: rng must be a numpy Generator (diy.random.as_generator), got {rng!r}")
    return positive_int(where, "fan_in", fan_in), positive_int(where, "fan_out", fan_out), float_dtype(where, "dtype", dtype)


def xavier_uniform(fan_in, fan_out, rng, dtype=np.float32):
    """Glorot & Bengio (2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)).

    Keeps the variance of activations *and* of back-propagated deltas roughly
    constant across layers for activations that are linear around 0 (tanh,
    sigmoid's centre, the identity).
    """
    fan_in, fan_out, dtype = _checked("xavier_uniform", fan_in, fan_out, rng, dtype)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)


def he_normal(fan_in, fan_out, rng, dtype=np.float32):
    """He et al. (2015): N(0, 2 / fan_in).

    ReLU zeroes half of its inputs on average, halving the variance; the factor 2
    restores it, so deep ReLU stacks neither vanish nor explode at the start.
    """
    fan_in, fan_out, dtype = _checked("he_normal", fan_in, fan_out, rng, dtype)
    return (rng.standard_normal(size=(fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)


def fan_in_uniform(fan_in, fan_out, rng, dtype=np.float32):
    """U(-a, a), a = 1 / sqrt(fan_in): Torch7's ``nn.Linear:reset()``, variance 1 / (3 fan_in).

    A sixth of He's variance. Guo's DEC-keras pretrains DEC's autoencoder on MNIST from this
    distribution (``VarianceScaling(1/3, "fan_in", "uniform")``), with SGD at a large step;
    the clustering config does the same.
    """
    fan_in, fan_out, dtype = _checked("fan_in_uniform", fan_in, fan_out, rng, dtype)
    a = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)


INITIALISERS = {"xavier": xavier_uniform, "he": he_normal, "fan_in_uniform": fan_in_uniform}
