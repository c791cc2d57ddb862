"""Input corruption for denoising autoencoders (Vincent et al., 2010).

Each function takes X of shape (n, n_features) (or (n_features,)) with values in [0, 1],
returns a new array of the same shape and dtype, never modifies X, and draws all its
randomness from the `rng` passed in. Level 0 returns an unchanged copy.
"""
import numpy as np

from .checks import in_unit_interval, non_negative, probability


def gaussian(X, sigma, rng):
    """``clip(X + sigma * N(0, 1), 0, 1)``, independent noise per entry."""
    X = _floating(X, "gaussian noise")
    if non_negative("gaussian noise", "sigma", sigma) == 0:
        return X.copy()
    out = rng.standard_normal(X.shape, dtype=X.dtype)
    out *= X.dtype.type(sigma)
    out += X
    return np.clip(out, 0, 1, out=out)


def masking(X, fraction, rng):
    """Set ``round(fraction * n_features)`` entries of each row, chosen at random, to 0."""
    out, index = _chosen_entries(X, fraction, rng, "masking")
    np.put_along_axis(out, index, 0, axis=-1)
    return out


def salt_and_pepper(X, fraction, rng):
    """Set ``round(fraction * n_features)`` entries of each row to 0 or 1 by a fair coin flip."""
    out, index = _chosen_entries(X, fraction, rng, "salt_and_pepper")
    values = rng.integers(0, 2, size=index.shape).astype(out.dtype)
    np.put_along_axis(out, index, values, axis=-1)
    return out


def binarize(X, rng):
    """Each pixel drawn as Bernoulli(X): 1 with probability X, else 0 (X's dtype).

    Drawn afresh for every batch this is *dynamic binarization* (Salakhutdinov & Murray
    2008), how binary likelihoods are usually measured on MNIST's grey pixels.
    """
    X = _floating(X, "binarize")
    out = rng.random(X.shape, dtype=X.dtype)
    np.less(out, X, out=out)
    return out


NOISE = {"gaussian": gaussian, "masking": masking, "salt_and_pepper": salt_and_pepper}


def corrupt(X, kind, level, rng):
    """Apply the noise named `kind` (a key of ``NOISE``) at `level` (sigma or fraction)."""
    try:
        noise = NOISE[kind]
    except KeyError:
        raise ValueError(f"unknown noise kind {kind!r}: expected one of {', '.join(NOISE)}") from None
    return noise(X, level, rng)


def _floating(X, name):
    """``X`` as an array, checked: floating-point pixels in [0, 1]."""
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.floating):
        raise TypeError(f"{name}: X must be a floating-point array, got {X.dtype}")
    return in_unit_interval(name, "X", X)


def _chosen_entries(X, fraction, rng, name):
    """A copy of X and, per row, the indices of ``round(fraction * n_features)`` random entries.

    Returns
    -------
    out : copy of X
    index : int ndarray of shape (..., k), distinct indices along the last axis per row
    """
    X = _floating(X, f"{name} noise")
    probability(f"{name} noise", "fraction", fraction)
    k = int(round(fraction * X.shape[-1]))
    out = X.copy()
    if k == 0:
        return out, np.empty(X.shape[:-1] + (0,), dtype=np.intp)
    # The k smallest of independent uniforms are a uniformly random k-subset of each row.
    keys = rng.random(X.shape, dtype=np.float32)
    return out, np.argpartition(keys, k - 1, axis=-1)[..., :k]
