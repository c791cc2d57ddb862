"""The PCA representation: the linear autoencoder every analysis compares the autoencoders to.

PCA with as many components as a latent size, fitted on the clean *train* split: its codes
are the projections on the top principal axes, its reconstructions the back-projections.
Its model is a ``diy`` autoencoder of two ``Linear`` layers holding that projection and
back-projection, so the analyses that need images read it like any autoencoder's.
"""
import numpy as np

from diy.autoencoder import AutoEncoder
from diy.linear import Linear
from diy.sequential import Sequential
from study.data.dataset import SPLITS


def fit_pca(X_train, n_components, seed):
    """A ``sklearn.decomposition.PCA`` fitted on X_train (n_train, d); `seed` is the
    ``random_state`` of its (possibly randomised) SVD solver."""
    from sklearn.decomposition import PCA

    return PCA(n_components=int(n_components), random_state=int(seed)).fit(X_train)


def pca_codes(pca, X):
    """(n, d) -> (n, n_components) float32: the coordinates on the principal axes."""
    return pca.transform(X).astype(np.float32)


def pca_model(pca, dtype=np.float32):
    """The fitted PCA as ``AutoEncoder(Linear(d, k), Linear(k, d))``: codes
    ``(X - mean) @ C.T = X @ C.T - mean @ C.T``, reconstructions ``Z @ C + mean``."""
    C, mean = pca.components_.astype(np.float64), pca.mean_.astype(np.float64)
    k, d = C.shape
    encoder, decoder = Linear(d, k, dtype=dtype), Linear(k, d, dtype=dtype)
    for layer, W, b in ((encoder, C.T, -mean @ C.T), (decoder, C, mean)):
        layer._parameters["W"][...] = W
        layer._parameters["b"][...] = b
    model = AutoEncoder(Sequential(encoder), Sequential(decoder))
    model.eval()
    return model


def pca_representation(data, n_components, seed):
    """``(model, codes)`` of PCA with `n_components` fitted on ``data["X_train"]``."""
    pca = fit_pca(data["X_train"], n_components, seed)
    return pca_model(pca), {f"Z_{split}": pca_codes(pca, data[f"X_{split}"]) for split in SPLITS}
