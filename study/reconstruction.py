"""Reconstruction quality on the test split: the autoencoder beside PCA of the same size.

Rows (one per method, ``"autoencoder"`` then ``"pca"``)::

    {"method": str, "bce": float, "mse": float,
     "squared_error_per_image": float, "psnr": float}

- ``bce``: binary cross-entropy summed over pixels, averaged over images, with the
  reconstruction clipped to [1e-7, 1 - 1e-7] (``study.metrics.binary_cross_entropy``);
- ``mse``: squared error averaged over pixels and images;
- ``squared_error_per_image``: squared error summed over pixels, averaged over images;
- ``psnr``: 10 log10(1 / mse), in dB.

The PCA reconstruction is clipped to [0, 1] before every metric (see
:func:`study.pca.pca_reconstruct`); that only helps PCA.
"""
import numpy as np

from study.metrics import binary_cross_entropy, mean_squared_error, psnr, squared_error_per_image
from study.pca import fit_pca, pca_reconstruct
from diy.train import predict


def reconstruct(model, X, batch_size=1024):
    """The model's output for X, in eval mode, batch by batch.

    model : a ``diy`` module mapping (batch, d) to (batch, d), e.g. an ``AutoEncoder``;
        it is left in eval mode.
    X : ndarray of shape (n, d).
    Returns an ndarray of shape (n, d), float32.
    """
    model.eval()
    return predict(model, np.asarray(X, dtype=np.float32), batch_size=batch_size).astype(np.float32, copy=False)


def reconstruction_metrics(X, X_hat):
    """(n, d) clean images, (n, d) reconstructions -> dict of the four metrics (floats)."""
    return {
        "bce": binary_cross_entropy(X, X_hat),
        "mse": mean_squared_error(X, X_hat),
        "squared_error_per_image": squared_error_per_image(X, X_hat),
        "psnr": psnr(X, X_hat),
    }


def reconstruction(X_test, X_hat_test, X_train=None, n_components=None, seed=0):
    """Rows of reconstruction metrics: the autoencoder, then PCA if ``X_train`` is given.

    X_test : ndarray of shape (n_test, d), clean test images in [0, 1].
    X_hat_test : ndarray of shape (n_test, d), the autoencoder's reconstructions
        (``reconstruct(model, X_test)``).
    X_train : ndarray of shape (n_train, d) or None; PCA is fitted on it.
    n_components : int, PCA's size, the autoencoder's latent size.
    seed : int, PCA's ``random_state``.
    Returns a list of dicts, layout in the module docstring.
    """
    rows = [{"method": "autoencoder", **reconstruction_metrics(X_test, X_hat_test)}]
    if X_train is not None:
        if n_components is None:
            raise ValueError("n_components (the latent size) is needed for the PCA baseline")
        pca = fit_pca(X_train, n_components, seed)
        rows.append({"method": "pca", **reconstruction_metrics(X_test, pca_reconstruct(pca, X_test))})
    return rows
