"""t-SNE maps of a seeded test subset, and how much of the structure they keep.

The subset is drawn once from the seed and shared by every representation, so the
maps of the autoencoder, of raw pixels and of PCA show the same images.

Rows (one per representation, ``"autoencoder"``, then the optional ``"pixels"``, ``"pca"``)::

    {"representation": str, "n_samples": int, "trustworthiness": float,
     "knn_accuracy": float, "kmeans_accuracy": float}

- ``trustworthiness``: ``sklearn.manifold.trustworthiness`` of the map against the
  representation it was computed from, ``n_neighbors`` neighbours;
- ``knn_accuracy``: leave-one-out k-NN accuracy in the map (each point classified by
  the majority label of its ``knn_k`` nearest other points; ties go to the smallest
  label), deterministic and without a train/test split of an already small subset;
- ``kmeans_accuracy``: k-means (k = number of classes) on the 2-D map, best
  one-to-one matching accuracy.

Arrays, for ``np.savez`` by the caller: ``indices`` (m,) into the test split, ``y``
(m,) their labels, and one (m, 2) float32 map per representation, keyed by its name.
"""
import numpy as np
from sklearn.manifold import TSNE, trustworthiness
from sklearn.neighbors import NearestNeighbors

from study.metrics import clustering_accuracy
from study.clustering import kmeans_labels
from study.pca import fit_pca, pca_codes


def subset_indices(n, size, seed):
    """Sorted indices of ``min(size, n)`` distinct samples among n, drawn from the seed."""
    if size >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=int(size), replace=False))


def tsne_map(Z, seed, perplexity=30.0, max_iter=1000):
    """(m, k) -> (m, 2) float32: ``TSNE(n_components=2, init="pca", random_state=seed)``."""
    tsne = TSNE(n_components=2, perplexity=float(perplexity), max_iter=int(max_iter),
                init="pca", random_state=int(seed))
    return tsne.fit_transform(np.asarray(Z, dtype=np.float64)).astype(np.float32)


def knn_loo_accuracy(Y, y, k=5):
    """(m, p) points, (m,) labels -> float: leave-one-out accuracy of majority-vote k-NN."""
    neighbours = NearestNeighbors(n_neighbors=int(k)).fit(Y).kneighbors(return_distance=False)
    labels, y_index = np.unique(y, return_inverse=True)
    votes = np.zeros((len(y), len(labels)), dtype=np.int64)
    np.add.at(votes, (np.repeat(np.arange(len(y)), k), y_index[neighbours].ravel()), 1)
    return float((votes.argmax(axis=1) == y_index).mean())


def map_scores(Z, Y, y, n_neighbors=5, knn_k=5, n_init=10, seed=0):
    """Scores of a map Y (m, 2) of the points Z (m, k) with labels y (m,) -> dict of floats."""
    return {
        "n_samples": int(len(y)),
        "trustworthiness": float(trustworthiness(Z, Y, n_neighbors=int(n_neighbors))),
        "knn_accuracy": knn_loo_accuracy(Y, y, knn_k),
        "kmeans_accuracy": clustering_accuracy(y, kmeans_labels(Y, len(np.unique(y)), n_init, seed)),
    }


def embedding(Z_test, y_test, size, seed=0, X_train=None, X_test=None, baselines=(),
              perplexity=30.0, max_iter=1000, n_neighbors=5, knn_k=5, n_init=10):
    """t-SNE of a seeded test subset of the codes (and optionally of baselines), scored.

    Z_test : ndarray of shape (n_test, latent_dim), the test codes.
    y_test : ndarray of shape (n_test,), integer labels.
    size : int, subset size (all of the test split if larger).
    seed : int; draws the subset, seeds t-SNE, k-means and PCA.
    X_train : ndarray of shape (n_train, d), needed for the ``"pca"`` baseline.
    X_test : ndarray of shape (n_test, d), needed for ``"pixels"`` and ``"pca"``.
    baselines : any of ``"pixels"``, ``"pca"``; off by default (each is one more t-SNE).
    perplexity, max_iter : t-SNE's; perplexity must be below the subset size.
    n_neighbors : trustworthiness' neighbourhood size (below size / 2).
    knn_k, n_init : k of the k-NN vote; k-means restarts.
    Returns ``(rows, arrays)``: a list of dicts and a dict of ndarrays, both laid out
    in the module docstring.
    """
    indices = subset_indices(len(y_test), size, seed)
    y = np.asarray(y_test)[indices]
    representations = {"autoencoder": np.asarray(Z_test)[indices]}
    for name in baselines:
        if name == "pixels":
            representations["pixels"] = np.asarray(X_test)[indices]
        elif name == "pca":
            pca = fit_pca(X_train, Z_test.shape[1], seed)
            representations["pca"] = pca_codes(pca, np.asarray(X_test)[indices])
        else:
            raise ValueError(f"unknown baseline {name!r}: expected 'pixels' or 'pca'")
    rows, arrays = [], {"indices": indices, "y": y}
    for name, Z in representations.items():
        Y = tsne_map(Z, seed, perplexity, max_iter)
        arrays[name] = Y
        rows.append({"representation": name, **map_scores(Z, Y, y, n_neighbors, knn_k, n_init, seed)})
    return rows, arrays
