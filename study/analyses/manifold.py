"""Manifold clustering: UMAP of the split's codes, then a Gaussian mixture (N2D, McConville
et al. 2020), scored against the labels.

UMAP (umap-learn, Euclidean metric, ``n_neighbors``, ``min_dist``, ``n_components``: N2D's 20,
0.0 and the number of classes) maps the codes to a space where the classes' manifolds are
compact blobs, which a full-covariance ``GaussianMixture`` with k = number of classes then
clusters (the likeliest of ``n_init`` EM starts: one, N2D's, can end in a worse optimum). Like k-means (:mod:`study.analyses.kmeans`), both are fitted on the split's codes
themselves and the labels never reach the fit. Both are seeded by the analysis seed, so a
re-run gives the same clusters bit for bit: a seeded UMAP runs on one thread (umap-learn does
not parallelise a seeded fit), which is what that costs.

Rows (one per split)::

    {"split": "val" | "test", "accuracy": float, "accuracy_low": float, "accuracy_high": float,
     "nmi": float, "ari": float}

as k-means' (the accuracy's bootstrap interval over the split's images, conditional on the
clusters and on their matching to the labels of the whole split:
:func:`study.analyses.kmeans.accuracy_interval`).
Baselines: raw pixels and PCA, as for k-means.
"""
import numpy as np

from study.analyses import SPLITS, Analysis, Metric, analysis_settings
from study.analyses.kmeans import scored_clusters


def umap_embedding(Z, n_components, n_neighbors, min_dist, seed):
    """(n, k) codes -> (n, n_components) float64: a seeded, single-threaded UMAP, Euclidean."""
    import umap

    reducer = umap.UMAP(n_components=int(n_components), n_neighbors=int(n_neighbors),
                        min_dist=float(min_dist), metric="euclidean", random_state=int(seed), n_jobs=1)
    return reducer.fit_transform(np.asarray(Z, dtype=np.float32)).astype(np.float64)


def mixture_labels(E, n_clusters, n_init, seed):
    """(n, c) -> (n,) int: the components of a full-covariance Gaussian mixture fitted on E, the
    fit of highest likelihood of `n_init` seeded EM starts."""
    from sklearn.mixture import GaussianMixture

    mixture = GaussianMixture(n_components=int(n_clusters), covariance_type="full", n_init=int(n_init),
                              random_state=int(seed))
    return mixture.fit_predict(E)


def manifold_clusters(Z, n_clusters, settings):
    """(n, k) codes -> (n,) clusters: UMAP (``n_components``, None for `n_clusters`;
    ``n_neighbors``, ``min_dist``, ``seed`` of `settings`) then the Gaussian mixture (``n_init``)."""
    n_components = settings["n_components"] or n_clusters
    E = umap_embedding(Z, n_components, settings["n_neighbors"], settings["min_dist"], settings["seed"])
    return mixture_labels(E, n_clusters, settings["n_init"], settings["seed"])


def run(data, source, settings):
    y = data["y_test"]
    clusters = manifold_clusters(source.codes["Z_test"], len(np.unique(y)), settings)
    return [scored_clusters(y, clusters, settings)], {}


def settings_problems(section, dataset, sizes, n_classes):
    """Why the settings `section` (``analysis.manifold``) cannot cluster `dataset`'s codes of each
    of :data:`SPLITS` (``sizes``: image counts): UMAP's spectral start needs fewer dimensions than
    images less one, and its neighbourhood fewer points than the split (umap-learn would shrink
    it without a word)."""
    split = min(SPLITS, key=lambda split: sizes[split])
    n, problems = sizes[split], []
    n_components = section["n_components"] or n_classes
    if n_components >= n - 1:
        problems.append(f"analysis.manifold.n_components = {section['n_components']}: {n_components} dimensions, "
                        f"must be below the {n} {split} images of {dataset} less one")
    if section["n_neighbors"] >= n:
        problems.append(f"analysis.manifold.n_neighbors = {section['n_neighbors']}: must be below the {n} "
                        f"{split} images of {dataset}")
    return problems


ANALYSIS = Analysis(
    "manifold", reads="codes", run=run,
    settings=lambda config: analysis_settings(config, "manifold", bootstrap=True),
    baselines=("pixels", "pca"), versus_kmeans="manifold_accuracy", check=settings_problems,
    metrics={
        "manifold_accuracy": Metric("accuracy", "UMAP + GMM accuracy", versus_pca="UMAP+GMM acc.",
                                    unit_interval=True),
        "manifold_nmi": Metric("nmi", "UMAP + GMM NMI", unit_interval=True),
        "manifold_ari": Metric("ari", "UMAP + GMM ARI", lines=False, unit_interval=True),
    },
    schema={
        "n_components": {"type": ["integer", "null"], "minimum": 1,
                         "description": "UMAP's dimensions; null: the number of classes (N2D)."},
        "n_neighbors": {"type": "integer", "minimum": 2,
                        "description": "UMAP's neighbourhood size: larger keeps more global structure."},
        "n_init": {"type": "integer", "minimum": 1,
                   "description": "EM starts of the Gaussian mixture; the fit of highest likelihood is kept."},
        # umap-learn refuses a min_dist above its spread, 1.
        "min_dist": {"type": "number", "minimum": 0, "maximum": 1,
                     "description": "UMAP's smallest distance between embedded points: 0 packs "
                                    "each cluster tight (at most 1, UMAP's spread)."},
    },
    category="8. Clustering beyond k-means",
    caption="""\
Manifold clustering (N2D): UMAP of the representation of each split (``split``) to as many
dimensions as classes, then a full-covariance Gaussian mixture with k = number of classes, both
fitted on that split's codes and seeded: ``accuracy`` under the best one-to-one matching of
clusters to labels, with ``accuracy_low``, ``accuracy_high`` its 95% bootstrap interval over the
split's images, ``nmi`` and ``ari`` (chance: about 0.1, 0 and 0). Higher is better.""",
)
