"""k-means on the test split's representations, scored against the labels.

k-means (k = number of classes, ``n_init`` k-means++ restarts, the best inertia kept)
is fitted on the test representations themselves and its clusters compared with the
test labels; the labels never reach the fit. Baselines: raw pixels, and PCA codes
of the latent size (PCA fitted on the train split).

Codes are clustered as they are and, when their train split is given, also whitened
(:func:`fit_whitening`). k-means measures plain Euclidean distances, but a linear code
layer is free to stretch and shear its code by any invertible matrix (the decoder's
first layer undoes it), so the raw distances partly reflect an arbitrary choice of
training; whitening with the train codes' own mean and covariance removes that choice
(k-means on whitened codes is the same for every invertible linear map of the code).
Raw pixels are not whitened: there the smallest-variance directions are noise that
whitening would blow up to the size of the digit strokes.

Rows (one per representation and preprocessing: ``"autoencoder"``, ``"pixels"``,
``"pca"`` with ``"none"``, then ``"whitened"`` where it applies)::

    {"representation": str, "preprocessing": str, "accuracy": float, "nmi": float, "ari": float}

- ``accuracy``: best one-to-one cluster-to-label matching (``study.metrics.clustering_accuracy``);
- ``nmi``, ``ari``: ``sklearn.metrics.normalized_mutual_info_score`` and
  ``adjusted_rand_score``.
"""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from study.metrics import clustering_accuracy
from study.pca import fit_pca, pca_codes


#: Directions whose variance is below this fraction of the largest are dropped by the
#: whitening: a constant code unit (a dead ReLU) has no direction to scale up.
RELATIVE_VARIANCE_FLOOR = 1e-10


def fit_whitening(Z):
    """PCA whitening fitted on codes Z (n, k) -> ``(mean (k,), projection (k, r))``.

    ``(Z - mean) @ projection`` has zero mean and identity covariance on Z itself;
    r <= k keeps the directions of non-negligible variance.
    """
    Z = np.asarray(Z, dtype=np.float64)
    mean = Z.mean(axis=0)
    variances, directions = np.linalg.eigh(np.cov(Z - mean, rowvar=False).reshape(Z.shape[1], -1))
    keep = variances > RELATIVE_VARIANCE_FLOOR * max(variances.max(), 0.0)
    if not keep.any():
        raise ValueError("the codes are constant: there is no direction to whiten")
    return mean, directions[:, keep] / np.sqrt(variances[keep])


def whiten(Z, whitening):
    """(n, k) codes, a :func:`fit_whitening` result -> (n, r) whitened codes."""
    mean, projection = whitening
    return (np.asarray(Z, dtype=np.float64) - mean) @ projection


def kmeans_labels(Z, n_clusters, n_init=10, seed=0):
    """(n, k) -> (n,) int cluster ids: k-means with ``n_init`` seeded restarts."""
    kmeans = KMeans(n_clusters=int(n_clusters), n_init=int(n_init), random_state=int(seed))
    return kmeans.fit_predict(np.asarray(Z, dtype=np.float64))


def cluster_scores(y, clusters):
    """(n,) labels, (n,) cluster ids -> {"accuracy", "nmi", "ari"} (floats)."""
    return {
        "accuracy": clustering_accuracy(y, clusters),
        "nmi": float(normalized_mutual_info_score(y, clusters)),
        "ari": float(adjusted_rand_score(y, clusters)),
    }


def cluster(Z, y, n_init=10, seed=0, n_clusters=None):
    """k-means on one representation, scored: (n, k), (n,) -> {"accuracy", "nmi", "ari"}.

    n_clusters defaults to the number of distinct labels in ``y``.
    """
    n_clusters = len(np.unique(y)) if n_clusters is None else n_clusters
    return cluster_scores(y, kmeans_labels(Z, n_clusters, n_init, seed))


def cluster_rows(representation, Z_test, y_test, Z_train=None, n_init=10, seed=0):
    """k-means on one representation as it is and, given its train split, whitened.

    Z_test : ndarray of shape (n_test, k), clustered and scored against y_test (n_test,).
    Z_train : ndarray of shape (n_train, k) or None; fits the whitening (no whitened row
        without it).
    Returns one or two rows, laid out in the module docstring.
    """
    rows = [{"representation": representation, "preprocessing": "none",
             **cluster(Z_test, y_test, n_init, seed)}]
    if Z_train is not None:
        rows.append({"representation": representation, "preprocessing": "whitened",
                     **cluster(whiten(Z_test, fit_whitening(Z_train)), y_test, n_init, seed)})
    return rows


def clustering(Z_test, y_test, X_train=None, X_test=None, baselines=("pixels", "pca"),
               n_init=10, seed=0, Z_train=None):
    """Rows of k-means scores: the autoencoder's codes, then the requested baselines.

    Z_test : ndarray of shape (n_test, latent_dim), the test codes.
    y_test : ndarray of shape (n_test,), integer labels.
    X_train : ndarray of shape (n_train, d), needed for ``"pca"`` (fitted on it).
    X_test : ndarray of shape (n_test, d), needed for ``"pixels"`` and ``"pca"``.
    baselines : any of ``"pixels"``, ``"pca"``; ``()`` for the autoencoder row only
        (the pixel row does not depend on the variant, a caller may compute it once
        per dataset with :func:`cluster`).
    n_init, seed : k-means restarts and ``random_state``; ``seed`` is also PCA's.
    Z_train : ndarray of shape (n_train, latent_dim) or None, the train codes: with them,
        the codes are also clustered whitened (PCA's codes always are).
    Returns a list of dicts, layout in the module docstring.
    """
    rows = cluster_rows("autoencoder", Z_test, y_test, Z_train, n_init, seed)
    for name in baselines:
        if name == "pixels":
            rows += cluster_rows("pixels", X_test, y_test, None, n_init, seed)
        elif name == "pca":
            pca = fit_pca(X_train, Z_test.shape[1], seed)
            rows += cluster_rows("pca", pca_codes(pca, X_test), y_test, pca_codes(pca, X_train),
                                 n_init, seed)
        else:
            raise ValueError(f"unknown baseline {name!r}: expected 'pixels' or 'pca'")
    return rows
