"""Soft assignment of codes to learnable centroids (the clustering layer of DEC)."""
import numpy as np

from .checks import float_dtype, positive, positive_int
from .linear import check_input
from .module import Module
from .random import as_generator


class ClusteringLayer(Module):
    """Student's t soft assignment: (batch, latent_dim) -> (batch, n_clusters).

    ``q_ij = t_ij / sum_l t_il`` with ``t_ij = s_ij^(-(alpha + 1) / 2)``,
    ``s_ij = 1 + D_ij / alpha``, ``D_ij = ||z_i - mu_j||^2`` (Xie et al. 2016, eq. 1):
    the probability that code ``z_i`` belongs to cluster ``j``, heavy-tailed so that
    far codes still pull on a centroid. Each row of the output sums to 1; its argmax
    is the nearest centroid. The centroids ``mu`` (n_clusters, latent_dim) are the one
    parameter, ``"mu"``.

    Gradients, with ``G = dL/dq`` and ``E_ij = dL/dD_ij``::

        E_ij = -(alpha + 1) / (2 alpha) * q_ij (G_ij - sum_l G_il q_il) / s_ij
        dL/dz_i  =  2 sum_j E_ij (z_i - mu_j)  =  2 (E.sum(1)[:, None] * Z - E @ mu)
        dL/dmu_j = -2 sum_i E_ij (z_i - mu_j)  = -2 (E.T @ Z - E.sum(0)[:, None] * mu)

    (the softmax-like normalisation gives ``q (G - <G, q>)`` with respect to
    ``log t``, and ``d log t_ij / dD_ij = -(alpha + 1) / (2 alpha s_ij)``).

    Parameters
    ----------
    n_clusters, latent_dim : int
        Number of centroids and size of a code.
    alpha : float > 0
        Degrees of freedom of the Student's t; DEC uses 1.
    centroids : array-like of shape (n_clusters, latent_dim), optional
        Initial centroids, typically k-means centroids of the codes (``diy.kmeans``).
        Without them the centroids are standard normal draws from ``rng``, placeholders
        to overwrite.
    rng : np.random.Generator, int or None
        Source of the placeholder centroids.
    dtype : numpy dtype
        Of the centroids; the input must have the same dtype.
    """

    def __init__(self, n_clusters, latent_dim, alpha=1.0, *, centroids=None, rng=None, dtype=np.float32):
        super().__init__()
        self.n_clusters = positive_int("ClusteringLayer", "n_clusters", n_clusters)
        self.latent_dim = positive_int("ClusteringLayer", "latent_dim", latent_dim)
        self.alpha = positive("ClusteringLayer", "alpha", alpha)
        dtype = float_dtype("ClusteringLayer", "dtype", dtype)
        shape = (self.n_clusters, self.latent_dim)
        if centroids is None:
            mu = as_generator(rng).standard_normal(shape).astype(dtype)
        else:
            mu = np.array(centroids, dtype=dtype)
            if mu.shape != shape:
                raise ValueError(f"ClusteringLayer: centroids of shape {mu.shape}, expected {shape}")
        self.register_parameter("mu", mu)

    @property
    def d_in(self):
        """The input size, ``latent_dim`` (the name ``linear.check_input`` reads)."""
        return self.latent_dim

    def forward(self, X):
        mu = self._parameters["mu"]
        check_input(self, X, mu)
        # s = 1 + (||z||^2 - 2 z.mu + ||mu||^2) / alpha, clipped at 1 against rounding.
        s = X @ mu.T
        s *= -2
        s += np.einsum("ij,ij->i", X, X)[:, None]
        s += np.einsum("ij,ij->i", mu, mu)
        s *= 1 / self.alpha
        s += 1
        np.maximum(s, 1, out=s)
        # Normalised in log space, relative to the nearest centroid: the largest t of a
        # row becomes 1, so no row can underflow to 0 / 0 however far its code lies.
        q = np.log(s)
        q *= -(self.alpha + 1) / 2
        q -= q.max(axis=1, keepdims=True)
        np.exp(q, out=q)
        q /= q.sum(axis=1, keepdims=True)
        self._s, self._q = s, q
        return q

    def _distance_delta(self, delta):
        """E = dL/dD, (batch, n_clusters), from delta = dL/dq and the forward's cache."""
        q = self._q
        E = delta - np.einsum("ij,ij->i", delta, q)[:, None]
        E *= q
        E /= self._s
        E *= -(self.alpha + 1) / (2 * self.alpha)
        return E

    def _update_gradient(self, input, E):
        mu = self._parameters["mu"]
        grad = E.T @ input
        grad -= E.sum(axis=0)[:, None] * mu
        grad *= -2
        self._gradient["mu"] += grad

    def _delta(self, input, E):
        grad = E.sum(axis=1)[:, None] * input
        grad -= E @ self._parameters["mu"]
        grad *= 2
        return grad

    def backward_update_gradient(self, input, delta):
        self._update_gradient(input, self._distance_delta(delta))

    def backward_delta(self, input, delta):
        return self._delta(input, self._distance_delta(delta))

    def backward(self, input, delta):
        # E is shared by both gradients: computed once.
        E = self._distance_delta(delta)
        self._update_gradient(input, E)
        return self._delta(input, E)

    def get_config(self):
        return {"n_clusters": self.n_clusters, "latent_dim": self.latent_dim, "alpha": self.alpha}
