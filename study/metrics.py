"""Metrics of the study that scikit-learn does not provide.

NMI, ARI, trustworthiness and accuracy come from scikit-learn; what is here is the maths
specific to reconstructions, and the accuracy of a clustering without label names (diy's,
whose Hungarian matching DEC shares).
"""
import numpy as np

from diy.assignment import clustering_accuracy  # noqa: F401 (the study's metric, re-exported)


def squared_error_per_image(X, X_hat):
    """(n, d), (n, d) -> float: sum over pixels of (x - x_hat)^2, averaged over images."""
    return float(((X.astype(np.float64) - X_hat) ** 2).sum(axis=1).mean())


def psnr(X, X_hat, data_range=1.0):
    """Peak signal-to-noise ratio in dB, 10 log10(range^2 / MSE), with MSE over all pixels.

    X, X_hat : ndarray of shape (n, d), pixels in [0, data_range].
    Identical images give +inf.
    """
    mse = float(((X.astype(np.float64) - X_hat) ** 2).mean())
    return float("inf") if mse == 0 else float(10 * np.log10(data_range**2 / mse))


def binary_cross_entropy(X, X_hat, eps=1e-7):
    """(n, d), (n, d) -> float: -sum_j [x log x_hat + (1 - x) log(1 - x_hat)], averaged over images.

    X_hat is clipped to [eps, 1 - eps] first, so a reconstruction of exactly 0 or 1
    (a saturated sigmoid, a clipped PCA projection) costs at most -log(eps) per pixel.
    """
    X = X.astype(np.float64)
    X_hat = np.clip(X_hat.astype(np.float64), eps, 1 - eps)
    return float(-(X * np.log(X_hat) + (1 - X) * np.log1p(-X_hat)).sum(axis=1).mean())


def mean_squared_error(X, X_hat):
    """(n, d), (n, d) -> float: (x - x_hat)^2 averaged over all pixels of all images."""
    return float(((X.astype(np.float64) - X_hat) ** 2).mean())
