"""k-means on the test split's codes, scored against the labels.

k-means (k = number of classes, ``n_init`` k-means++ restarts, the best inertia kept) is
fitted on the test codes themselves and its clusters compared with the test labels; the
labels never reach the fit.

Codes are clustered as they are and, except raw pixels, also whitened (:func:`fit_whitening`).
k-means measures plain Euclidean distances, but a linear code layer is free to stretch and
shear its code by any invertible matrix (the decoder's first layer undoes it), so the raw
distances partly reflect an arbitrary choice of training; whitening with the train codes' own
mean and covariance removes that choice (k-means on whitened codes is the same for every
invertible linear map of the code). Raw pixels are not whitened: there the smallest-variance
directions are noise that whitening would blow up to the size of the digit strokes.

Rows (``preprocessing`` ``"none"``, then ``"whitened"`` where it applies)::

    {"preprocessing": str, "accuracy": float, "accuracy_low": float, "accuracy_high": float,
     "nmi": float, "ari": float}

- ``accuracy``: best one-to-one cluster-to-label matching (:func:`study.metrics.clustering_accuracy`),
  with ``accuracy_low``, ``accuracy_high`` its bootstrap interval over the test samples
  (:func:`accuracy_interval`): conditional on the clusters and on their matching to the labels
  of all the samples, the percentile bootstrap of the proportion of samples that matching gets
  right. The matching's own variability is not in it (it is an interval for the accuracy of
  this clustering with this matching), and that is what centres it on the estimate;
- ``nmi``, ``ari``: scikit-learn's normalized mutual information and adjusted Rand index.
"""
import numpy as np

from diy.assignment import matched_correctly
from study.analyses import Analysis, Metric, analysis_settings
from study.metrics import clustering_accuracy

#: Directions whose variance is below this fraction of the largest are dropped by the
#: whitening: a constant code unit (a dead ReLU) has no direction to scale up.
RELATIVE_VARIANCE_FLOOR = 1e-10


def fit_whitening(Z):
    """PCA whitening fitted on codes Z (n, k) -> ``(mean (k,), projection (k, r))``.

    ``(Z - mean) @ projection`` has zero mean and identity covariance on Z itself;
    r <= k keeps the directions of non-negligible variance.
    """
    Z = np.asarray(Z, dtype=np.float64)
    mean = Z.mean(axis=0)
    variances, directions = np.linalg.eigh(np.cov(Z - mean, rowvar=False).reshape(Z.shape[1], -1))
    keep = variances > RELATIVE_VARIANCE_FLOOR * max(variances.max(), 0.0)
    if not keep.any():
        raise ValueError("the codes are constant: there is no direction to whiten")
    return mean, directions[:, keep] / np.sqrt(variances[keep])


def whiten(Z, whitening):
    """(n, k) codes, a :func:`fit_whitening` result -> (n, r) whitened codes."""
    mean, projection = whitening
    return (np.asarray(Z, dtype=np.float64) - mean) @ projection


def kmeans_labels(Z, n_clusters, n_init=10, seed=0):
    """(n, k) -> (n,) int cluster ids: k-means with ``n_init`` seeded restarts."""
    from sklearn.cluster import KMeans

    kmeans = KMeans(n_clusters=int(n_clusters), n_init=int(n_init), random_state=int(seed))
    return kmeans.fit_predict(np.asarray(Z, dtype=np.float64))


def cluster_scores(y, clusters):
    """(n,) labels, (n,) cluster ids -> {"accuracy", "nmi", "ari"} (floats)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "accuracy": clustering_accuracy(y, clusters),
        "nmi": float(normalized_mutual_info_score(y, clusters)),
        "ari": float(adjusted_rand_score(y, clusters)),
    }


def accuracy_interval(y, clusters, settings):
    """``{"accuracy_low", "accuracy_high"}``: the bootstrap interval of the clustering accuracy
    over the samples (``settings``: ``resamples``, ``confidence``, ``seed``).

    Conditional on the matching of clusters to labels of all n samples: the percentile
    bootstrap of the proportion of samples it gets right (:func:`diy.assignment.matched_correctly`),
    an interval for the accuracy of this clustering with this matching; the matching's own
    variability is not in it. Matching each resample anew would take the best of all matchings
    on every resample, which fits the resample's noise and pushes the interval above the
    estimate (on the kmeans table the estimate sat a median 0.32 of the way up); kept fixed, the
    interval is a proportion's, centred on it.
    """
    from study.bootstrap import bootstrap_interval

    interval = bootstrap_interval(matched_correctly(y, clusters), settings["resamples"],
                                  settings["confidence"], settings["seed"])
    return {"accuracy_low": float(interval.low), "accuracy_high": float(interval.high)}


def scored_clusters(y, clusters, settings):
    """(n,) labels, (n,) cluster ids -> {"accuracy", "accuracy_low", "accuracy_high", "nmi", "ari"}:
    :func:`cluster_scores` with the accuracy's bootstrap interval (:func:`accuracy_interval`);
    the row of every clustering analysis."""
    scores = cluster_scores(y, clusters)
    return {"accuracy": scores.pop("accuracy"), **accuracy_interval(y, clusters, settings), **scores}


def cluster(Z, y, settings):
    """k-means (k = number of distinct labels, ``n_init`` restarts) on one representation
    Z (n, k), scored against y (n,) -> {"accuracy", "accuracy_low", "accuracy_high", "nmi", "ari"}."""
    clusters = kmeans_labels(Z, len(np.unique(y)), settings["n_init"], settings["seed"])
    return scored_clusters(y, clusters, settings)


def run(data, source, settings):
    codes, y = source.codes, data["y_test"]
    rows = [{"preprocessing": "none", **cluster(codes["Z_test"], y, settings)}]
    if source.kind != "pixels":
        Z = whiten(codes["Z_test"], fit_whitening(codes["Z_train"]))
        rows.append({"preprocessing": "whitened", **cluster(Z, y, settings)})
    return rows, {}


_RAW = (("preprocessing", "none"),)

ANALYSIS = Analysis(
    "kmeans", reads="codes", run=run,
    settings=lambda config: analysis_settings(config, "kmeans", bootstrap=True),
    baselines=("pixels", "pca"), keys=("preprocessing",),
    metrics={
        "kmeans_accuracy": Metric("accuracy", "k-means accuracy", where=_RAW, heatmap=True,
                                  versus_pca="k-means acc.", unit_interval=True, margin=0.02),
        "kmeans_nmi": Metric("nmi", "k-means NMI", where=_RAW, unit_interval=True),
        "kmeans_ari": Metric("ari", "k-means ARI", where=_RAW, lines=False, unit_interval=True),
        "kmeans_whitened_accuracy": Metric("accuracy", "k-means accuracy on whitened codes",
                                           where=(("preprocessing", "whitened"),), heatmap=True,
                                           versus_pca="whitened k-means acc.", unit_interval=True),
    },
    schema={"n_init": {"type": "integer", "minimum": 1,
                       "description": "k-means++ restarts (k = number of classes), the best "
                                      "inertia kept; also used on the t-SNE maps."}},
    category="3. k-means",
    caption="""\
k-means with k = number of classes on the test representations: ``accuracy`` under the best
one-to-one matching of clusters to labels, ``nmi`` and ``ari`` (1 = the labels exactly; chance: about
0.1, 0 and 0). Higher is better. ``preprocessing`` is ``none`` for the codes as they are and
``whitened`` for the codes shifted and rotated by the train codes' mean and covariance and scaled to
unit variance per direction, which undoes any stretch or shear a linear code layer happened to learn
(raw pixels are not whitened).""",
)
