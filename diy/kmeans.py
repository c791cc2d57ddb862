"""k-means clustering: k-means++ seeding, Lloyd iterations, the best of several restarts."""
import math

import numpy as np

from .checks import array, non_negative, positive_int
from .random import as_generator


def kmeans(Z, k, *, n_init=10, max_iter=300, tol=1e-4, rng=None):
    """Partition the rows of ``Z`` into ``k`` clusters of minimal inertia.

    Each of ``n_init`` runs seeds its centroids by greedy k-means++ (Arthur &
    Vassilvitskii 2007, with 2 + floor(ln k) candidates per centroid, the one reducing
    the inertia most kept, as scikit-learn does), then alternates Lloyd's two steps:
    assign each point to its nearest centroid, move each centroid to the mean of its
    points. A run stops when the centroids move by at most ``tol`` times the mean
    per-feature variance of ``Z`` (sum of squared shifts), or after ``max_iter``
    iterations; a centroid left without points restarts at the point farthest from
    its own centroid. The run of lowest inertia is returned.

    Distances use ||z||^2 - 2 z.mu + ||mu||^2 (one matrix product, no per-sample loop),
    in float64: in float32 the cancellation would lose the small distances.

    Parameters
    ----------
    Z : ndarray of shape (n, d)
    k : int, 1 <= k <= n
    n_init : int
        Number of seeded restarts.
    max_iter : int
        Lloyd iterations per restart, at most.
    tol : float
        Convergence threshold, relative to the data's variance.
    rng : np.random.Generator, int or None
        Source of the seeding; the same seed gives the same result.

    Returns
    -------
    centroids : ndarray of shape (k, d), of Z's floating dtype (float64 for integer Z)
    labels : int ndarray of shape (n,)
        Index of each point's nearest centroid.
    inertia : float
        Sum over points of the squared distance to their centroid.
    """
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"kmeans: expected Z of shape (n, d), got {Z.shape}")
    array("kmeans", "Z", Z)
    if not np.isfinite(Z).all():  # NaN centroids and every point in cluster 0, else
        raise ValueError("kmeans: Z must be finite, got NaN or infinite values")
    k, n_init, max_iter = (positive_int("kmeans", name, value) for name, value in
                           (("k", k), ("n_init", n_init), ("max_iter", max_iter)))
    non_negative("kmeans", "tol", tol)
    if not 1 <= k <= len(Z):
        raise ValueError(f"kmeans: need 1 <= k <= n = {len(Z)}, got k = {k}")
    if n_init < 1 or max_iter < 1:
        raise ValueError(f"kmeans: n_init and max_iter must be >= 1, got {n_init} and {max_iter}")
    dtype = Z.dtype if np.issubdtype(Z.dtype, np.floating) else np.float64
    Z = Z.astype(np.float64)
    rng = as_generator(rng)
    squared_norms = np.einsum("ij,ij->i", Z, Z)
    threshold = tol * Z.var(axis=0).mean()
    best = None
    for _ in range(n_init):
        centroids = _lloyd(Z, squared_norms, _kmeans_plus_plus(Z, squared_norms, k, rng), max_iter, threshold)
        labels = _nearest(Z, squared_norms, centroids)[0]
        difference = Z - centroids[labels]
        inertia = float(np.einsum("ij,ij->", difference, difference))
        if best is None or inertia < best[2]:
            best = centroids, labels, inertia
    centroids, labels, inertia = best
    return centroids.astype(dtype), labels, inertia


def _squared_distances(Z, squared_norms, centroids):
    """(n, d), (n,) ||z||^2, (k, d) -> (n, k) squared distances, clipped at 0 (rounding)."""
    D = Z @ centroids.T
    D *= -2
    D += squared_norms[:, None]
    D += np.einsum("ij,ij->i", centroids, centroids)
    np.maximum(D, 0, out=D)
    return D


def _nearest(Z, squared_norms, centroids):
    """(n,) index of each point's nearest centroid and (n,) the squared distance to it."""
    D = _squared_distances(Z, squared_norms, centroids)
    labels = D.argmin(axis=1)
    return labels, D[np.arange(len(Z)), labels]


def _kmeans_plus_plus(Z, squared_norms, k, rng):
    """(k, d) initial centroids: each drawn with probability proportional to the squared
    distance to the nearest centroid so far, the best of a few candidates kept."""
    n = len(Z)
    n_candidates = 2 + int(math.log(k))
    centroids = np.empty((k, Z.shape[1]))
    centroids[0] = Z[rng.integers(n)]
    closest = _squared_distances(Z, squared_norms, centroids[:1])[:, 0]
    for c in range(1, k):
        # Drawing by inverse transform on the cumulative potential; min(.., n - 1) guards
        # against a draw that rounding puts past the last cumulative value.
        cumulative = np.cumsum(closest)
        candidates = np.minimum(np.searchsorted(cumulative, rng.random(n_candidates) * cumulative[-1]), n - 1)
        # (n, candidates): each point's squared distance to its nearest centroid if that
        # candidate were added; the candidate of least total potential wins.
        potentials = np.minimum(closest[:, None], _squared_distances(Z, squared_norms, Z[candidates]))
        best = int(potentials.sum(axis=0).argmin())
        centroids[c] = Z[candidates[best]]
        closest = potentials[:, best]
    return centroids


def _lloyd(Z, squared_norms, centroids, max_iter, threshold):
    """Lloyd iterations from ``centroids`` until they move by at most ``threshold``."""
    k = len(centroids)
    for _ in range(max_iter):
        labels, distances = _nearest(Z, squared_norms, centroids)
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, Z)
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            farthest = np.argsort(distances)[::-1][:len(empty)]
            sums[empty], counts[empty] = Z[farthest], 1
        updated = sums / counts[:, None]
        shift = float(((updated - centroids) ** 2).sum())
        centroids = updated
        if shift <= threshold:
            break
    return centroids
