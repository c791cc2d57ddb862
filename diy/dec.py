"""Deep Embedded Clustering (DEC, Xie et al. 2016) and its improved form with a
reconstruction term (IDEC, Guo et al. 2017)."""
import itertools
import math
from dataclasses import dataclass

import numpy as np

from .assignment import clustering_accuracy
from .checks import integer, number, positive, positive_int, probability
from .bce_loss import BCELoss
from .clustering_layer import ClusteringLayer
from .clustering_penalty import ClusteringPenalty
from .kl_div_loss import KLDivLoss
from .kmeans import kmeans
from .optim import SGD, Optimizer
from .random import as_generator
from .sequential import Sequential
from .train import fit, predict, shuffled_epochs


def target_distribution(Q):
    """DEC's auxiliary target: ``p_ij = (q_ij^2 / f_j) / sum_l (q_il^2 / f_l)``, ``f_j = sum_i q_ij``.

    Q : ndarray of shape (n, k), soft assignments (rows summing to 1) of the whole data
    set. Squaring sharpens each row towards its confident assignments; dividing by the
    cluster frequency f_j keeps large clusters from absorbing the others. Returns P of
    Q's shape and dtype, rows summing to 1.
    """
    if np.ndim(Q) != 2:
        raise ValueError(f"target_distribution: Q must be of shape (n, k), got shape {np.shape(Q)}")
    if np.asarray(Q).dtype.kind not in "biuf":
        raise TypeError(f"target_distribution: Q must be an array of numbers, got dtype {np.asarray(Q).dtype}")
    # Soft assignments are never negative (NaN, of a diverged run, is left to the divergence check).
    if (Q < 0).any():
        raise ValueError(f"target_distribution: Q must hold soft assignments (>= 0), got values down to {np.min(Q):g}")
    weight = np.square(Q)
    weight /= Q.sum(axis=0)
    weight /= weight.sum(axis=1, keepdims=True)
    return weight


@dataclass
class DECResult:
    """What ``fit_dec`` returns.

    Attributes
    ----------
    labels : int ndarray of shape (n,)
        Cluster of each sample, ``Q.argmax(1)``.
    Q : ndarray of shape (n, n_clusters)
        Soft assignments of the trained model (eval mode).
    history : list of dict
        One record per refresh of the target (the first at step 0, before training,
        where the labels are those of k-means): ``step`` (batches trained so far),
        ``loss`` (mean KL(P || Q) per sample over the batches since the previous
        record; None at step 0), ``reconstruction`` (the same for the reconstruction
        loss, IDEC only, else None), ``changed`` (share of samples whose label changed
        since the previous record; at step 0, against the k-means labels) and
        ``accuracy`` (against ``y_monitor`` by the best cluster-to-label matching, or None).
    model : Sequential
        The encoder followed by the trained ``ClusteringLayer``, in eval mode:
        ``model.forward(X)`` gives Q for new data.
    converged : bool
        True if training stopped on ``tol``, False if at ``max_iter``.
    """

    labels: np.ndarray
    Q: np.ndarray
    history: list
    model: Sequential
    converged: bool


def fit_dec(encoder, X, n_clusters, *, decoder=None, alpha=1.0, gamma=0.1, reconstruction_loss=None,
            optimizer=None, update_interval=140, tol=1e-3, max_iter=20000, batch_size=256, n_init=10,
            rng=None, y_monitor=None, callback=None):
    """Cluster ``X`` by DEC (or IDEC, with ``decoder``): train ``encoder`` and the
    centroids so that the soft assignments Q approach their sharpened target P.

    1. The centroids are the k-means centroids (``n_init`` k-means++ restarts) of the
       codes ``encoder(X)`` (eval mode); the model is the encoder followed by a
       ``ClusteringLayer`` holding them.
    2. Every ``update_interval`` batches, Q is computed on the whole of X in eval mode,
       P = ``target_distribution(Q)`` is fixed for the next batches, and a record is
       added to the history. Training stops at a refresh where fewer than a share
       ``tol`` of the hard assignments changed since the previous one (0.1 % by default,
       as in the authors' code), or after ``max_iter`` batches (then Q is refreshed
       once more, so the result describes the final model).
    3. Each batch minimises KL(P || Q) (``KLDivLoss``), by mini-batches drawn from
       consecutive passes over the samples, each in a fresh order, in train mode: ``diy.fit``
       with an epoch of ``update_interval`` batches (``update_intervals``), the target
       refreshed at each epoch's end.
       IDEC minimises ``L_r + gamma * KL(P || Q)`` (Guo et al. 2017, eq. 5, gamma = 0.1:
       gamma weighs the clustering loss), with L_r = ``reconstruction_loss(X,
       decoder(encoder(X)))`` the loss and the clustering term a ``ClusteringPenalty`` on
       the code; the encoder receives the sum of both deltas, so the reconstruction keeps
       the code from distorting the data's local structure.

    The labels ``y_monitor`` only score the records; they never enter training. The
    encoder (and decoder) are trained in place: pass copies (``copy.deepcopy``) to keep
    the originals. The same ``rng`` gives the same result, bit for bit.

    Parameters
    ----------
    encoder : Module
        Maps (batch, d) -> (batch, latent_dim), typically a pretrained autoencoder's encoder.
    X : ndarray of shape (n, d)
        The data, of the encoder's dtype.
    n_clusters : int
    decoder : Module, optional
        Maps (batch, latent_dim) -> (batch, d): given, the training is IDEC's.
    alpha : float
        Degrees of freedom of the Student's t (``ClusteringLayer``).
    gamma : float > 0
        IDEC: weight of the clustering loss against the reconstruction loss.
    reconstruction_loss : Loss, optional
        IDEC: compares X with the decoder's output. ``BCELoss()`` by default, for a
        decoder ending in a Sigmoid and data in [0, 1]; ``BCEWithLogitsLoss()`` for the
        same data and a decoder ending in a Linear, ``MSELoss()`` for unbounded data.
    optimizer : callable ``(Module) -> Optimizer``, optional
        Builds the optimizer of the network trained (encoder, centroids and, for IDEC,
        decoder). By default DEC's ``SGD(module, lr=0.01, momentum=0.9)``.
    update_interval : int
        Batches between two refreshes of P (140 in the authors' code for MNIST, 30 for USPS).
    tol : float
        Stopping threshold on the share of changed assignments.
    max_iter : int
        Maximum number of batches.
    batch_size : int
    n_init : int
        k-means restarts.
    rng : np.random.Generator, int or None
        Source of the k-means seeding and of the batch order (independent streams).
    y_monitor : ndarray of shape (n,), optional
        Labels to score the records with.
    callback : callable ``(record) -> None``, optional
        Called with each history record as it is made.

    Returns
    -------
    DECResult

    Raises
    ------
    TrainingDiverged
        If a batch loss is inf or nan.
    """
    for key, value in (("n_clusters", n_clusters), ("update_interval", update_interval),
                       ("batch_size", batch_size), ("n_init", n_init)):
        positive_int("fit_dec", key, value)
    integer("fit_dec", "max_iter", max_iter, minimum=0)
    positive("fit_dec", "alpha", alpha)
    number("fit_dec", "gamma", gamma)
    probability("fit_dec", "tol", tol)
    if y_monitor is not None and len(y_monitor) != len(X):
        raise ValueError(f"fit_dec: X has {len(X)} samples but y_monitor has {len(y_monitor)}")
    if decoder is not None and not gamma > 0:
        raise ValueError(f"fit_dec: IDEC needs gamma > 0 (gamma = 0 is the autoencoder alone), got {gamma!r}")
    if optimizer is not None and (not callable(optimizer) or isinstance(optimizer, Optimizer)):
        raise TypeError(f"fit_dec: optimizer must build one from the network, e.g. lambda net: SGD(net, 0.01), "
                        f"got {optimizer!r}")
    make_optimizer = optimizer or (lambda module: SGD(module, lr=0.01, momentum=0.9))
    if decoder is not None and reconstruction_loss is None:
        reconstruction_loss = BCELoss()
    kmeans_rng, order_rng = as_generator(rng).spawn(2)

    encoder.eval()
    Z = predict(encoder, X)
    centroids, labels, _ = kmeans(Z, n_clusters, n_init=n_init, rng=kmeans_rng)
    layer = ClusteringLayer(n_clusters, Z.shape[1], alpha, centroids=centroids, dtype=Z.dtype)
    model = Sequential(encoder, layer)
    history = []
    state = {"labels": labels, "converged": False}

    def refresh(step, loss, reconstruction):
        """Q on the whole of X (eval mode), its record, and the new target P in place."""
        model.eval()
        Q = predict(model, X)
        labels = Q.argmax(axis=1)
        record = {
            "step": step, "loss": loss, "reconstruction": reconstruction,
            "changed": float(np.mean(labels != state["labels"])),
            "accuracy": None if y_monitor is None else clustering_accuracy(y_monitor, labels),
        }
        history.append(record)
        if callback is not None:
            callback(record)
        state.update(labels=labels, Q=Q, converged=step > 0 and record["changed"] < tol)
        P[...] = target_distribution(Q)
        return state["converged"]

    P = np.empty((len(X), n_clusters), dtype=Z.dtype)
    refresh(0, None, None)
    if decoder is None:
        # DEC: KL(P || Q) is the loss of the encoder followed by the clustering layer.
        net, loss, targets, before_batch = model, KLDivLoss(), P, None
    else:
        # IDEC: the reconstruction is the loss, gamma KL(P || Q) a penalty on the code, which
        # compares each batch's Q with the batch's rows of P.
        clustering = ClusteringPenalty(layer, gamma)
        net, loss, targets = Sequential(encoder, clustering, decoder), reconstruction_loss, None

        def before_batch(index):
            clustering.target = P[index]

    def epoch_end(record):
        step = min(record["epoch"] * update_interval, max_iter)
        if decoder is None:
            return refresh(step, record["train_loss"], None)
        return refresh(step, record["train_clustering"] / gamma, record["train_output"])

    if max_iter > 0:
        fit(net, loss, make_optimizer(net), X, targets, epochs=math.ceil(max_iter / update_interval),
            batches=update_intervals(len(X), batch_size, update_interval, max_iter, order_rng),
            before_batch=before_batch, callback=epoch_end, name="DEC" if decoder is None else "IDEC")
    if decoder is not None:
        clustering.target = None  # the last batch's rows: prediction runs without them
    net.eval()
    return DECResult(labels=state["labels"], Q=state["Q"], history=history, model=model,
                     converged=state["converged"])


def update_intervals(n, batch_size, update_interval, max_iter, rng):
    """DEC's epochs for ``diy.fit``'s ``batches``: lists of ``update_interval`` batches of
    indices into ``range(n)``, ``max_iter`` batches in all (the last epoch holds the rest),
    cut from consecutive passes over the data, each pass in a fresh order drawn from ``rng``
    (``diy.train.shuffled_epochs``): an update interval may end within a pass."""
    batches = itertools.chain.from_iterable(shuffled_epochs(n, batch_size, rng))
    for done in range(0, max_iter, update_interval):
        yield [next(batches) for _ in range(min(update_interval, max_iter - done))]
