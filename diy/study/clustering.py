"""k-means on the test split's representations, scored against the labels.

k-means (k = number of classes, ``n_init`` k-means++ restarts, the best inertia kept)
is fitted on the test representations themselves and its clusters compared with the
test labels; the labels never reach the fit. Baselines: raw pixels, and PCA codes
of the latent size (PCA fitted on the train split).

Rows (one per representation, ``"autoencoder"``, ``"pixels"``, ``"pca"``)::

    {"representation": str, "accuracy": float, "nmi": float, "ari": float}

- ``accuracy``: best one-to-one cluster-to-label matching (``diy.metrics.clustering_accuracy``);
- ``nmi``, ``ari``: ``sklearn.metrics.normalized_mutual_info_score`` and
  ``adjusted_rand_score``.
"""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from diy.metrics import clustering_accuracy
from diy.study.pca import fit_pca, pca_codes


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


def clustering(Z_test, y_test, X_train=None, X_test=None, baselines=("pixels", "pca"),
               n_init=10, seed=0):
    """Rows of k-means scores: the autoencoder's codes, then the requested baselines.

    Z_test : ndarray of shape (n_test, latent_dim), the test codes.
    y_test : ndarray of shape (n_test,), integer labels.
    X_train : ndarray of shape (n_train, d), needed for ``"pca"`` (fitted on it).
    X_test : ndarray of shape (n_test, d), needed for ``"pixels"`` and ``"pca"``.
    baselines : any of ``"pixels"``, ``"pca"``; ``()`` for the autoencoder row only
        (the pixel row does not depend on the variant, a caller may compute it once
        per dataset with :func:`cluster`).
    n_init, seed : k-means restarts and ``random_state``; ``seed`` is also PCA's.
    Returns a list of dicts, layout in the module docstring.
    """
    representations = {"autoencoder": Z_test}
    for name in baselines:
        if name == "pixels":
            representations["pixels"] = X_test
        elif name == "pca":
            representations["pca"] = pca_codes(fit_pca(X_train, Z_test.shape[1], seed), X_test)
        else:
            raise ValueError(f"unknown baseline {name!r}: expected 'pixels' or 'pca'")
    return [{"representation": name, **cluster(Z, y_test, n_init, seed)}
            for name, Z in representations.items()]
