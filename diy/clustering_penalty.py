"""DEC's clustering term as a penalty on the code (IDEC, Guo et al. 2017)."""
from .checks import non_negative
from .clustering_layer import ClusteringLayer
from .kl_div_loss import KLDivLoss
from .module import Module


class ClusteringPenalty(Module):
    """The identity on the codes, (batch, latent_dim) -> (batch, latent_dim), adding
    ``gamma * KL(P || Q)`` per sample to the objective (``penalty_name = "clustering"``).

    Q is its ``ClusteringLayer``'s soft assignment of the codes, P the batch's rows of DEC's
    target distribution, which the training loop sets as ``target`` before each batch
    (``fit_dec``, through ``diy.fit``'s ``before_batch``). Placed between an encoder and a decoder it gives
    IDEC's objective ``L_r + gamma * KL(P || Q)`` with the reconstruction loss L_r as the
    loss. backward adds ``ClusteringLayer``'s delta of ``gamma * dKL/dQ`` to the code's delta
    and accumulates the centroids' gradient. Without a target (prediction) it adds nothing.

    Parameters
    ----------
    layer : ClusteringLayer
        Holds the centroids, the one parameter.
    gamma : float >= 0
        Weight of the clustering term.
    """

    penalty_name = "clustering"

    def __init__(self, layer, gamma=0.1):
        super().__init__()
        if not isinstance(layer, ClusteringLayer):
            raise TypeError(f"ClusteringPenalty: expected a ClusteringLayer, got {type(layer).__name__}")
        self.layer, self.gamma = layer, non_negative("ClusteringPenalty", "gamma", gamma)
        self.target = None
        self._kl, self._q, self._term = KLDivLoss(), None, None

    def children(self):
        return [self.layer]

    def _named_children(self):
        return [("layer", self.layer)]

    def forward(self, X):
        if self.target is None:
            self._q = self._term = None
            return X
        self._q = self.layer.forward(X)
        self._term = self._kl.forward(self.target, self._q) * self.gamma
        return X

    def penalty(self):
        return self._term

    def _q_delta(self):
        dq = self._kl.backward(self.target, self._q)
        dq *= self.gamma
        return dq

    def backward_update_gradient(self, input, delta):
        if self._q is not None:
            self.layer.backward_update_gradient(input, self._q_delta())

    def backward_delta(self, input, delta):
        return delta if self._q is None else delta + self.layer.backward_delta(input, self._q_delta())

    def backward(self, input, delta):
        return delta if self._q is None else delta + self.layer.backward(input, self._q_delta())

    def get_config(self):
        return {"gamma": self.gamma}
