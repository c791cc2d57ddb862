"""The PCA baseline every analysis compares the autoencoder to.

PCA with as many components as the latent size is the linear autoencoder: its codes
are the projections on the top principal axes of the *train* split, its
reconstructions the back-projections. It is always fitted on clean train images.
"""
import numpy as np
from sklearn.decomposition import PCA


def fit_pca(X_train, n_components, seed):
    """Fit PCA on the train split.

    X_train : ndarray of shape (n_train, d).
    n_components : int, the latent size being compared to.
    seed : int, ``random_state`` of the (possibly randomised) SVD solver.
    Returns a fitted ``sklearn.decomposition.PCA``.
    """
    return PCA(n_components=int(n_components), random_state=int(seed)).fit(X_train)


def pca_codes(pca, X):
    """(n, d) -> (n, n_components) float32: the coordinates on the principal axes."""
    return pca.transform(X).astype(np.float32)


def pca_reconstruct(pca, X):
    """(n, d) -> (n, d) float32: project, back-project, clip to [0, 1].

    Clipping is a projection onto the pixel box, which holds every clean image,
    so it can only lower PCA's error; it also makes PCA's BCE defined.
    """
    X_hat = pca.inverse_transform(pca.transform(X))
    return np.clip(X_hat, 0.0, 1.0).astype(np.float32)
