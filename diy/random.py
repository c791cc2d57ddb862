"""The one place that turns a seed into a random generator."""
import numpy as np


def as_generator(rng):
    """Return an ``np.random.Generator`` from a Generator, an int seed, or None.

    Every random draw in ``diy`` goes through a generator obtained here and passed
    down explicitly; global NumPy state is never used. ``None`` gives a fresh,
    unseeded generator: results are then not reproducible, so pass a seed.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng < 0:
        raise ValueError(f"rng must be a seed >= 0, got {rng!r}")
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {rng!r} "
                    f"({type(rng).__name__})")
