"""t-SNE maps of a seeded test subset, and how much of the structure they keep.

The subset is drawn from the analysis seed alone and shared by every representation, so the
maps of the autoencoders, of raw pixels and of PCA show the same images.

Rows (one per split)::

    {"split": "val" | "test", "n_samples": int, "trustworthiness": float,
     "knn_accuracy": float, "knn_accuracy_low": float, "knn_accuracy_high": float,
     "kmeans_accuracy": float, "kmeans_accuracy_low": float, "kmeans_accuracy_high": float}

- ``trustworthiness``: ``sklearn.manifold.trustworthiness`` of the map against the input
  images it shows (``n_neighbors`` neighbours): how far the map's neighbourhoods are the
  images' own. Against the representation itself a 2-D code would trivially score 1 on its
  own map (t-SNE of two dimensions keeps them), so every representation is judged against
  the same pixels;
- ``knn_accuracy``: leave-one-out k-NN accuracy in the map (each point classified by the
  majority label of its ``knn_k`` nearest other points; ties go to the smallest label),
  deterministic and without a train/test split of an already small subset;
- ``kmeans_accuracy``: k-means (k = number of classes) on the 2-D map, best one-to-one
  matching accuracy;
- ``*_low``, ``*_high``: bootstrap intervals over the subset's images (:mod:`study.bootstrap`;
  the map and clusters fixed), k-means' conditional on the matching of all the subset's clusters
  to its labels: the proportion of images that matching gets right, centred on the estimate
  (:func:`study.analyses.kmeans.accuracy_interval`).

Arrays: ``indices`` (m,) into the test split, ``y`` (m,) their labels, ``map`` (m, 2) float32
and, for a 2-dimensional code, ``codes`` (m, 2): the code itself, drawn beside the maps.
"""
import numpy as np

from study.analyses import SPLITS, Analysis, Figure, Metric, analysis_settings
from study.analyses.kmeans import accuracy_interval, kmeans_labels
from study.metrics import clustering_accuracy
from study.analyses.reconstruction import figure_representatives


def subset_indices(n, size, seed):
    """Sorted indices of ``min(size, n)`` distinct samples among n, drawn from the seed."""
    if size >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=int(size), replace=False))


# Iterations with early exaggeration at the start of a map, as in scikit-learn and openTSNE.
EXAGGERATION_ITER = 250


def tsne_map(Z, seed, perplexity=30.0, max_iter=500, gradient="bh"):
    """(m, k) -> (m, 2) float32: openTSNE's Barnes-Hut t-SNE from a PCA initialisation, exact
    neighbours, one thread; ``max_iter`` iterations in all, the first 250 with early
    exaggeration 12, at openTSNE's learning rate (m / exaggeration; Belkina et al. 2019).

    openTSNE rather than scikit-learn's ``TSNE``: the same Barnes-Hut approximation, run faster.
    On 3,000 MNIST test codes at 500 iterations a map takes 3.9 s against scikit-learn's 5.3, at
    the same trustworthiness (0.9840), and 2.5 times less than scikit-learn's defaults (1,000
    iterations at m / 48: 9.7 s, 0.9838). openTSNE's FFT-interpolated gradient, built for large
    maps (``gradient="fft"``), takes 4.3 s at this size (0.9838). ``bench/tsne_map.py`` measures
    all four.
    """
    from openTSNE import TSNE

    if max_iter < EXAGGERATION_ITER:
        raise ValueError(f"t-SNE max_iter = {max_iter}: must be at least {EXAGGERATION_ITER}, "
                         "the early-exaggeration phase")
    tsne = TSNE(n_components=2, perplexity=float(perplexity), early_exaggeration_iter=EXAGGERATION_ITER,
                n_iter=int(max_iter) - EXAGGERATION_ITER, initialization="pca", neighbors="exact",
                negative_gradient_method=gradient, n_jobs=1, random_state=int(seed))
    return np.asarray(tsne.fit(np.asarray(Z, dtype=np.float64)), dtype=np.float32)


def knn_loo_correct(Y, y, k=5):
    """(m, p) points, (m,) labels -> (m,) float 0/1: whether majority-vote k-NN over each point's
    k nearest other points gives its label (the mean is the leave-one-out accuracy)."""
    from sklearn.neighbors import NearestNeighbors

    neighbours = NearestNeighbors(n_neighbors=int(k)).fit(Y).kneighbors(return_distance=False)
    labels, y_index = np.unique(y, return_inverse=True)
    votes = np.zeros((len(y), len(labels)), dtype=np.int64)
    np.add.at(votes, (np.repeat(np.arange(len(y)), k), y_index[neighbours].ravel()), 1)
    return (votes.argmax(axis=1) == y_index).astype(np.float64)


def map_scores(X, Y, y, settings):
    """Scores of a map Y (m, 2) of the images X (m, d) with labels y (m,) -> dict of floats
    (``settings``: ``n_neighbors``, ``knn_k``, ``n_init``, ``seed``, ``resamples``, ``confidence``)."""
    from sklearn.manifold import trustworthiness

    from study.bootstrap import bootstrap_interval

    knn = bootstrap_interval(knn_loo_correct(Y, y, settings["knn_k"]), n_resamples=settings["resamples"],
                             confidence=settings["confidence"], seed=settings["seed"])
    clusters = kmeans_labels(Y, len(np.unique(y)), settings["n_init"], settings["seed"])
    kmeans = accuracy_interval(y, clusters, settings)
    return {
        "n_samples": int(len(y)),
        "trustworthiness": float(trustworthiness(X, Y, n_neighbors=int(settings["n_neighbors"]))),
        "knn_accuracy": float(knn.estimate), "knn_accuracy_low": float(knn.low),
        "knn_accuracy_high": float(knn.high),
        "kmeans_accuracy": float(clustering_accuracy(y, clusters)), "kmeans_accuracy_low": kmeans["accuracy_low"],
        "kmeans_accuracy_high": kmeans["accuracy_high"],
    }


def run(data, source, settings):
    indices = subset_indices(len(data["y_test"]), settings["size"], settings["seed"])
    Z, y = source.codes["Z_test"][indices], data["y_test"][indices]
    Y = tsne_map(Z, settings["seed"], settings["perplexity"], settings["max_iter"])
    row = map_scores(data["X_test"][indices], Y, y, settings)
    arrays = {"indices": indices, "y": y, "map": Y}
    if Z.shape[1] == 2:
        arrays["codes"] = Z
    return [row], arrays


def tsne_figure(tables, dataset, load):
    """t-SNE maps of the test subset: the autoencoder of each latent size with the lowest
    validation loss (chosen without looking at the k-means accuracy its title prints), PCA of
    each size, and raw pixels."""
    from study import figures
    from study.statistics import format_number
    from study.tables import metric_values, value_of, value_of_representation

    values = metric_values(tables["tsne"], METRICS["tsne_kmeans_accuracy"])
    values = values[values["dataset"] == dataset]
    chosen = figure_representatives(tables, dataset)

    def panel(label, name, score):
        arrays = load(name)
        return f"{label}\nk-means acc. {format_number(score, 'accuracy')}", arrays["map"], arrays["y"]

    # The rows as drawn: the autoencoders, then raw pixels; PCA under each autoencoder.
    sizes = ", ".join(str(k) for k in chosen)
    rows = [([panel(name, name, value_of_representation(values, name)) for name in chosen.values()]
             + [panel("raw pixels", "pixels", value_of(values, "pixels"))],
             f"the autoencoder of latent size {sizes} with the lowest validation loss, then raw pixels"),
            ([panel(f"PCA {k}", f"pca{k}", value_of(values, "pca", k)) for k in chosen],
             f"PCA of size {sizes}")]
    panels = [p for row, _ in rows for p in row]
    return figures.scatter_maps(
        panels, f"{dataset}: t-SNE maps of {len(panels[0][2])} test images coloured by label; "
        + "; ".join(f"{where} row: {what}" for where, (_, what) in zip(("top", "bottom"), rows)),
        n_cols=len(rows[0][0]))


def codes2d_figure(tables, dataset, load):
    """The 2-dimensional codes themselves (latent size 2), the same test subset as the t-SNE
    maps: every autoencoder configuration of latent size 2 (its first seed: the seeds of one
    configuration differ by a rotation or reflection more than by their structure) and PCA
    with 2 components."""
    from study import figures

    table = tables["tsne"]
    table = table[(table["dataset"] == dataset) & (table["latent_dim"] == 2)]
    ae = table[table["method"] == "autoencoder"]
    names = list(dict.fromkeys(ae.loc[ae["seed"] == ae["seed"].min(), "representation"]))
    names += ["pca2"] if (table["method"] == "pca").any() else []
    panels = [(name, load(name)["codes"], load(name)["y"]) for name in names]
    return figures.scatter_maps(panels, f"{dataset}: the 2-dimensional codes of {len(panels[0][2])} "
                                "test images, coloured by label", axis_label="code")


METRICS = {
    "tsne_trustworthiness": Metric("trustworthiness", "t-SNE trustworthiness", unit_interval=True),
    "tsne_knn_accuracy": Metric("knn_accuracy", "k-NN accuracy in the t-SNE map", unit_interval=True),
    "tsne_kmeans_accuracy": Metric("kmeans_accuracy", "k-means accuracy on the t-SNE map",
                                   heatmap=True, versus_pca="t-SNE k-means acc.", unit_interval=True),
}

def settings_problems(section, dataset, sizes, n_classes):
    """Why the settings `section` (``analysis.tsne``) cannot map `dataset`, whose splits have
    ``sizes`` images (the subset of each of :data:`SPLITS` is at most its split): the perplexity
    and the k-NN's k must be below the smaller subset's size, the trustworthiness' neighbourhood
    below half of it (scikit-learn refuses more), and openTSNE's neighbourhood of 3 x perplexity
    points must hold one."""
    split = min(SPLITS, key=lambda split: sizes[split])
    subset = min(section["size"], sizes[split])
    where = f"the t-SNE subset of {dataset} ({subset} {split} images)"
    problems = []
    if section["perplexity"] >= subset:
        problems.append(f"analysis.tsne.perplexity = {section['perplexity']}: must be below {where}")
    if 3 * section["perplexity"] < 1:
        problems.append(f"analysis.tsne.perplexity = {section['perplexity']}: must be at least 1/3 (openTSNE's "
                        f"neighbourhoods hold 3 x perplexity points)")
    if section["n_neighbors"] >= subset / 2:
        problems.append(f"analysis.tsne.n_neighbors = {section['n_neighbors']}: must be below half {where}")
    if section["knn_k"] >= subset:
        problems.append(f"analysis.tsne.knn_k = {section['knn_k']}: must be below {where}")
    return problems


ANALYSIS = Analysis(
    "tsne", reads="codes", run=run,
    settings=lambda config: analysis_settings(config, "tsne", bootstrap=True,
                                              n_init=config["analysis"]["kmeans"]["n_init"]),
    baselines=("pixels", "pca"),
    metrics=METRICS,
    figures={
        "tsne": Figure(tsne_figure, tables=("reconstruction",), caption="""\
t-SNE maps of a seeded subset of the test images (the same images in every panel), one colour per
digit. Top row: for each latent size, the autoencoder with the lowest validation loss (the configuration's
mean over seeds, its first seed shown: chosen without looking at the k-means accuracy on the map that
each title prints), then the map of the raw pixels;
bottom row: PCA codes of the same size. Well separated, single-coloured islands mean the codes keep the classes apart without
ever seeing a label."""),
        "codes2d": Figure(codes2d_figure, """\
The 2-dimensional codes themselves, no t-SNE: every autoencoder with a latent size of 2 and PCA with
two components, on the same test images as the t-SNE maps, one colour per digit.""",
                          applies=lambda config: 2 in config["grid"]["latent_dim"]),
    },
    schema={
        "size": {"type": "integer", "minimum": 10,
                 "description": "Size of the seeded test subset mapped (the whole test split if smaller)."},
        "perplexity": {"type": "number", "exclusiveMinimum": 0,
                       "description": "t-SNE perplexity; must be below the subset size."},
        "max_iter": {"type": "integer", "minimum": 250},
        "n_neighbors": {"type": "integer", "minimum": 1,
                        "description": "Neighbourhood size of the trustworthiness (below half the subset)."},
        "knn_k": {"type": "integer", "minimum": 1,
                  "description": "k of the leave-one-out k-NN accuracy in the map."},
    },
    check=settings_problems,
    category="4. t-SNE",
    caption="""\
A t-SNE map of ``n_samples`` test images: ``trustworthiness`` (1 = the map's neighbourhoods are
neighbourhoods of the representation), ``knn_accuracy`` (leave-one-out k-NN in the map) and
``kmeans_accuracy`` (k-means on the map). Higher is better.""",
)
