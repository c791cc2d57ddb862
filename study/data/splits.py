"""Seeded stratified splits: every class is held out in the same proportion."""
import numpy as np


def stratified_split(y, fraction, rng):
    """Split sample indices into a kept part and a held-out part of about ``fraction * n``.

    Each class ``c`` with ``n_c`` samples gives ``floor(fraction * n_c)`` samples, and the
    remaining ``round(fraction * n) - sum(floor)`` are given one each to the classes with the
    largest remainders, so the held-out size is exactly ``round(fraction * n)``.

    Parameters
    ----------
    y : ndarray of shape (n,)
        Class labels.
    fraction : float in [0, 1]
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    kept, held_out : ndarrays of int64, sorted, disjoint, together ``arange(n)``.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be in [0, 1], got {fraction}")
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    share = fraction * counts
    take = np.floor(share).astype(np.int64)
    missing = int(round(fraction * len(y))) - int(take.sum())
    # Stable sort so ties go to the smaller class label, independent of the rng.
    take[np.argsort(-(share - take), kind="stable")[:missing]] += 1
    held_out = [
        rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, take)
    ]
    held_out = np.sort(np.concatenate(held_out)) if held_out else np.empty(0, np.int64)
    kept = np.setdiff1d(np.arange(len(y)), held_out)
    return kept.astype(np.int64), held_out.astype(np.int64)
