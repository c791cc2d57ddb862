"""DEC: a copy of a representation's encoder fine-tuned to cluster (Xie et al. 2016), scored
against the labels; the shared code of IDEC (:mod:`study.analyses.idec`) too.

:func:`diy.fit_dec` trains a copy of the encoder and a ``ClusteringLayer`` (centroids from
k-means of the train codes, k = number of classes) so that the soft assignments Q of the
train split's images approach their sharpened target P = ``target_distribution(Q)``, refreshed
every ``update_interval`` batches, until fewer than a share ``tol`` of the assignments change
between two refreshes or after ``max_iter`` batches. IDEC keeps a copy of the decoder too and
minimises ``L_r + gamma * KL(P || Q)``, L_r the squared error of the decoder's output image
averaged over its pixels, as Guo et al.'s (:func:`reconstruction_objective`).
The labels never enter training: they only score the history's records and the splits. The
model is trained once, on the train split, and then assigns the validation and the test
split (``splits_itself``); the representation's model file is only read.

Rows (one per split)::

    {"split": "val" | "test", "accuracy": float, "accuracy_low": float, "accuracy_high": float,
     "nmi": float, "ari": float, "steps": int, "converged": bool}

- ``accuracy`` (with its bootstrap interval over the split's images, conditional on the matching
  of clusters to labels of the whole split: :func:`study.analyses.kmeans.accuracy_interval`),
  ``nmi``, ``ari``: the clusters ``Q.argmax(1)`` of the split against its labels, as k-means'
  (:mod:`study.analyses.kmeans`);
- ``steps``: batches trained; ``converged``: whether training stopped on ``tol`` rather than
  at ``max_iter`` (the same in both rows: one training).

Arrays: the training history, one entry per refresh of the target (the first at step 0, the
k-means initialisation): ``step`` (m,) int, ``loss`` (m,) the mean KL(P || Q) per image since
the previous refresh, ``reconstruction`` (m,) the same for L_r (IDEC), ``changed`` (m,) the share
of train images whose cluster changed, ``accuracy`` (m,) the train split's clustering accuracy
(monitoring only); NaN where a record has no value (step 0; ``reconstruction`` for DEC).

Baselines: ``pca``, whose model is a ``Linear`` encoder and decoder (:mod:`study.pca`): DEC
fine-tunes that linear map like any encoder, and IDEC its back-projection too. Raw pixels
have no encoder.
"""
import copy
import math

import numpy as np

from diy.dec import fit_dec
from diy.mse_loss import MSELoss
from diy.train import predict
from study.analyses import SPLITS, Analysis, Metric, analysis_settings
from study.analyses.kmeans import scored_clusters
from study.optimizers import SCHEMA as OPTIMIZER_SCHEMA
from study.optimizers import optimizer_factory


def reconstruction_objective(decoder, n_features, gamma):
    """IDEC's ``{"decoder", "reconstruction_loss", "gamma"}`` for :func:`diy.fit_dec`, from a
    copy of the representation's `decoder` (its output: images of `n_features` pixels).

    Guo et al. minimise ``L_r + gamma * KL(P || Q)`` with L_r the squared error of the output
    image averaged over its pixels (Keras' ``mse``); ``MSELoss`` sums over them, d times that
    L_r, so the clustering loss's weight is ``gamma * d`` for the same objective. Their
    balance is what matters: with the sum and gamma = 0.1, the KL term (~0.2 per image)
    weighed ~1/3000 of L_r, and the clusters drifted with the reconstruction instead of
    sharpening. The decoder keeps its Sigmoid (PCA's back-projection has none): L_r compares
    images, as the paper's.
    """
    return {"decoder": decoder, "reconstruction_loss": MSELoss(), "gamma": float(gamma) * int(n_features)}


def parameter_dtype(module):
    """The dtype of `module`'s first parameter (a representation's model is of one dtype)."""
    return next(module.parameters())[1].dtype


def history_arrays(history):
    """:attr:`diy.DECResult.history` -> ``{"step", "loss", "reconstruction", "changed",
    "accuracy"}``, each (m,): ``step`` int64, the others float64 with NaN for None."""
    float_column = lambda key: np.array([np.nan if r[key] is None else r[key] for r in history], np.float64)
    return {"step": np.array([r["step"] for r in history], dtype=np.int64),
            **{key: float_column(key) for key in ("loss", "reconstruction", "changed", "accuracy")}}


def fit_clusters(model, X, y_monitor, settings, reconstruct=False):
    """DEC (IDEC with `reconstruct`) of copies of the autoencoder `model`'s encoder (and
    decoder) on the images X (n, d) -> :class:`diy.DECResult`; `model` is left as it was.

    settings : ``n_clusters``, ``n_init``, ``update_interval``, ``tol``, ``max_iter``,
    ``batch_size``, ``optimizer``, ``lr``, ``momentum``, ``alpha``, ``seed`` (and ``gamma``
    with `reconstruct`). y_monitor (n,) only scores the history's records.
    """
    encoder = copy.deepcopy(model.encoder)
    X = np.asarray(X).astype(parameter_dtype(encoder), copy=False)
    idec = reconstruction_objective(copy.deepcopy(model.decoder), X.shape[1], settings["gamma"]) if reconstruct else {}
    return fit_dec(encoder, X, int(settings["n_clusters"]), alpha=float(settings["alpha"]),
                   optimizer=optimizer_factory(settings["optimizer"], settings["lr"], settings["momentum"],
                                               "analysis.dec/idec"),
                   update_interval=int(settings["update_interval"]), tol=float(settings["tol"]),
                   max_iter=int(settings["max_iter"]), batch_size=int(settings["batch_size"]),
                   n_init=int(settings["n_init"]), rng=np.random.default_rng(int(settings["seed"])),
                   y_monitor=y_monitor, **idec)


def assign(result, X):
    """(n, d) images -> (n,) clusters of the trained model: the argmax of its soft assignments."""
    X = np.asarray(X).astype(parameter_dtype(result.model), copy=False)
    return predict(result.model, X).argmax(axis=1)


def cluster_splits(data, source, settings, reconstruct=False):
    """Train on ``data["X_train"]`` (:func:`fit_clusters`, k = the train split's number of
    classes), then score each of :data:`SPLITS` -> (rows, history arrays) of the module docstring."""
    settings = {**settings, "n_clusters": len(np.unique(data["y_train"]))}
    result = fit_clusters(source.model, data["X_train"], data["y_train"], settings, reconstruct)
    training = {"steps": int(result.history[-1]["step"]), "converged": bool(result.converged)}
    rows = []
    for split in SPLITS:
        y, clusters = data[f"y_{split}"], assign(result, data[f"X_{split}"])
        rows.append({"split": split, **scored_clusters(y, clusters, settings), **training})
    return rows, history_arrays(result.history)


def run(data, source, settings):
    return cluster_splits(data, source, settings)


#: Bytes a refresh of the target leaves in the histories (DEC's record and ``diy.fit``'s epoch
#: record; measured: about 540 at the peak), and an index array of a batch holds besides its
#: indices (:func:`diy.dec.update_intervals` lists an update interval's batches at once).
REFRESH_BYTES, BATCH_BYTES = 1024, 128


def settings_problems(section, dataset, sizes, n_classes, name="dec"):
    """Why the settings `section` (``analysis.dec`` or, with `name`, ``analysis.idec``) cannot
    train on `dataset`'s train split of ``sizes["train"]`` images: the batches of one update
    interval (listed at once) and a record per refresh of the target must fit in the machine's
    memory."""
    from study.config_checks import memory_problem

    batches = min(section["update_interval"], section["max_iter"])
    listed = batches * (8 * min(section["batch_size"], sizes["train"]) + BATCH_BYTES)
    recorded = (math.ceil(section["max_iter"] / section["update_interval"]) + 1) * REFRESH_BYTES
    # The key that makes most of it: the batches listed at once, or the refreshes' records.
    key = "update_interval" if listed > recorded and batches == section["update_interval"] else "max_iter"
    problem = memory_problem(f"analysis.{name}.{key}", section[key], listed + recorded)
    others = " and ".join(f"{other} {section[other]}" for other in ("update_interval", "max_iter", "batch_size")
                          if other != key)
    return [f"{problem} (with {others} on {dataset})"] if problem else []


def metrics(name, label):
    """The accuracy, NMI and ARI of the analysis `name` (``dec``, ``idec``), `label` its name in
    the summary and the figures."""
    return {
        f"{name}_accuracy": Metric("accuracy", f"{label} accuracy", versus_pca=f"{label} acc.",
                                   unit_interval=True),
        f"{name}_nmi": Metric("nmi", f"{label} NMI", unit_interval=True),
        f"{name}_ari": Metric("ari", f"{label} ARI", lines=False, unit_interval=True),
    }


#: The config section of DEC; IDEC's adds ``gamma``.
SCHEMA = {
    "n_init": {"type": "integer", "minimum": 1,
               "description": "k-means++ restarts of the initial centroids (k = number of classes)."},
    "update_interval": {"type": "integer", "minimum": 1,
                        "description": "Batches between two refreshes of the target distribution P."},
    "tol": {"type": "number", "minimum": 0, "maximum": 1,
            "description": "Stop at a refresh where fewer than this share of the train split's "
                           "clusters changed since the previous one."},
    "max_iter": {"type": "integer", "minimum": 0, "description": "Batches at most."},
    "batch_size": {"type": "integer", "minimum": 1},
    **OPTIMIZER_SCHEMA,
    "lr": {"type": "number", "exclusiveMinimum": 0},
    # Beyond these the float32 kernel breaks: 1 / alpha overflows below (alpha = 1e-300 ends in
    # NaN), and above, 1 + d^2 / alpha rounds to 1 and every image gets the same cluster
    # (alpha = 1e10: accuracy 0.10, "converged"); long before 1000 the kernel is a Gaussian's.
    "alpha": {"type": "number", "minimum": 0.001, "maximum": 1000,
              "description": "Degrees of freedom of the Student's t soft assignment."},
}

CAPTION = """\
{label} with k = number of classes, trained once on the train split's images from a copy of the
representation's encoder{decoder} (the centroids initialised by k-means of its codes), then
assigning the validation and the test split (``split``): ``accuracy`` under the best one-to-one
matching of clusters to labels, with ``accuracy_low``, ``accuracy_high`` its 95% bootstrap
interval over the split's images, ``nmi`` and ``ari`` (chance: about 0.1, 0 and 0). Higher is
better. ``steps``: batches trained; ``converged``: stopped because fewer than ``tol`` of the
assignments changed between two refreshes of the target (else at ``max_iter``). PCA: the same
fine-tuning of its linear projection."""

ANALYSIS = Analysis(
    "dec", reads="model", run=run,
    settings=lambda config: analysis_settings(config, "dec", bootstrap=True),
    baselines=("pca",), metrics=metrics("dec", "DEC"), versus_kmeans="dec_accuracy", schema=SCHEMA,
    check=settings_problems,
    category="8. Clustering beyond k-means",
    # A few matrix products per batch, up to max_iter batches: BLAS-bound, so two threads.
    threads=lambda representation: 2,
    splits_itself=True,
    caption=CAPTION.format(label="DEC (Xie et al. 2016: KL divergence of the soft assignments from "
                                 "their sharpened target)", decoder=""),
)
