"""Retrieval: do an image's nearest train codes show the same digit?

Each of ``queries`` images of the split (a seeded subset, the same for every representation)
queries the codes of the whole train split, by each of ``distances`` (``euclidean``, ``cosine``:
one minus the cosine similarity). A train image is relevant when it has the query's label. Rows
(per split and distance)::

    {"split": "val" | "test", "distance": "euclidean" | "cosine", "map": float, "map_low": float,
     "map_high": float, "precision_at_1": float, "precision_at_10": float, ...}

- ``map``: mean over the queries of the average precision over the whole ranking of the train
  split (the mean, over the relevant images, of the precision of the ranking down to each of
  them), with its percentile bootstrap interval over the queries (``map_low``, ``map_high``);
- ``precision_at_{k}``: for each k of ``k``, the share of relevant images among the k nearest.

Arrays (the figure's): ``image_shape``, ``queries`` (m, d), the first ``n_examples`` queries'
images, and ``nearest`` (m, d), the nearest train image of each by the first distance.
"""
import numpy as np

from study.analyses import Analysis, Figure, Metric, analysis_settings

DISTANCES = ("euclidean", "cosine")
#: Queries ranked at once: a (chunk, n_train) block of distances (MNIST, float32: 22 MB).
CHUNK = 100


def distances(queries, database, distance):
    """(m, k) query codes, (n, k) database codes -> (m, n) distances, up to a term per query that
    changes no ranking (Euclidean: the squared distance less ||q||^2), in float64 for float64
    codes and else in float32 (the study's codes: half the time of float64 and its sort, and a
    rounding far below the gaps between neighbours that a ranking reads)."""
    dtype = np.result_type(queries, database, np.float32)
    queries, database = np.asarray(queries, dtype), np.asarray(database, dtype)
    if distance == "cosine":
        unit = lambda Z: Z / np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-12)
        return 1.0 - unit(queries) @ unit(database).T
    if distance == "euclidean":
        return (database * database).sum(axis=1) - 2.0 * queries @ database.T
    raise ValueError(f"unknown distance {distance!r}: expected one of {', '.join(DISTANCES)}")


def ranking_scores(D, y_queries, y_train, ks=()):
    """(m, n) distances of m queries to n train images, their labels (m,), (n,) -> ((m,) average
    precision of each query's ranking of the train images, {k: (m,) precision at k}).

    The i-th nearest relevant image (1-based) ranks i + (the irrelevant images at most as far:
    ties count against the representation), so the precision there is i / that rank, and the
    precision at k is the share of k whose rank is at most k. That needs each row's relevant
    and irrelevant distances sorted, not the ranking itself; the queries of one label share
    their relevant columns, so each label's block is sorted at once."""
    ap, precision = np.zeros(len(D)), {k: np.zeros(len(D)) for k in ks}
    for label in np.unique(y_queries):
        rows, relevant = np.flatnonzero(y_queries == label), y_train == label
        if not relevant.any():
            continue
        near = np.sort(D[np.ix_(rows, relevant)], axis=1)
        far = np.sort(D[np.ix_(rows, ~relevant)], axis=1)
        i = np.arange(1, near.shape[1] + 1)
        for r, row in enumerate(rows):
            ranks = i + np.searchsorted(far[r], near[r], side="right")
            ap[row] = np.mean(i / ranks)
            for k in ks:
                precision[k][row] = np.count_nonzero(ranks <= k) / min(k, D.shape[1])
    return ap, precision


def retrieve(Z_queries, y_queries, Z_train, y_train, distance, ks):
    """-> ((m,) average precisions, {k: (m,) precision at k}, (m,) index of the nearest train
    image), `CHUNK` queries ranked at a time."""
    ap, precision, first = [], {k: [] for k in ks}, []
    for start in range(0, len(Z_queries), CHUNK):
        D = distances(Z_queries[start:start + CHUNK], Z_train, distance)
        scores = ranking_scores(D, y_queries[start:start + CHUNK], y_train, ks)
        ap.append(scores[0])
        for k in ks:
            precision[k].append(scores[1][k])
        first.append(D.argmin(axis=1))
    return np.concatenate(ap), {k: np.concatenate(v) for k, v in precision.items()}, np.concatenate(first)


def query_indices(n, queries, seed):
    """Sorted indices of `queries` of the split's `n` images, drawn from `seed` (all if fewer)."""
    if queries >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=int(queries), replace=False))


def run(data, source, settings):
    from study.bootstrap import bootstrap_interval

    codes = source.codes
    index = query_indices(len(data["y_test"]), settings["queries"], settings["seed"])
    rows, arrays = [], {}
    for distance in settings["distances"]:
        ap, precision, nearest = retrieve(codes["Z_test"][index], data["y_test"][index], codes["Z_train"],
                                          data["y_train"], distance, settings["k"])
        interval = bootstrap_interval(ap, n_resamples=settings["resamples"], confidence=settings["confidence"],
                                      seed=settings["seed"])
        rows.append({"distance": distance, "map": float(ap.mean()), "map_low": float(interval.low),
                     "map_high": float(interval.high),
                     **{f"precision_at_{k}": float(precision[k].mean()) for k in settings["k"]}})
        if not arrays:
            shown = slice(0, int(settings["n_examples"]))
            arrays = {"image_shape": data["image_shape"], "queries": data["X_test"][index[shown]],
                      "nearest": data["X_train"][nearest[shown]]}
    return rows, arrays


def retrieval_figure(tables, dataset, load):
    """Queries and the nearest train image of each by the autoencoder of each latent size chosen
    on validation mAP (:func:`study.analyses.reconstruction.chosen_representative`), by PCA of
    that size and by the raw pixels."""
    from study import figures
    from study.analyses.reconstruction import chosen_representative
    from study.statistics import format_number
    from study.tables import metric_values, value_of

    metric = METRICS["retrieval_map"]
    values = metric_values(tables["retrieval"], metric)
    values = values[values["dataset"] == dataset]
    ae = values[values["method"] == "autoencoder"]
    pixels = load("pixels")
    rows = [("query", pixels["queries"]), (f"pixels\nmAP {format_number(value_of(values, 'pixels'), 'accuracy')}", pixels["nearest"])]
    for latent_dim in sorted({int(k) for k in ae["latent_dim"]}):
        name = chosen_representative(tables["retrieval"], metric, dataset, latent_dim=latent_dim)
        ae_map = float(values.loc[values["representation"] == name, "value"].iloc[0])
        rows.append((f"AE {name}\nmAP {format_number(ae_map, 'accuracy')}", load(name)["nearest"]))
        rows.append((f"PCA {latent_dim}\nmAP {format_number(value_of(values, 'pca', latent_dim), 'accuracy')}",
                     load(f"pca{latent_dim}")["nearest"]))
    return figures.image_rows(rows, pixels["image_shape"], f"{dataset}: test queries (top) and the nearest "
                              "train image of each, by the raw pixels, and by the autoencoder of each latent "
                              "size with the highest validation mAP and PCA of that size\n(mAP: Euclidean, "
                              "over the test queries)")


METRICS = {
    "retrieval_map": Metric("map", "retrieval mAP (Euclidean)", where=(("distance", "euclidean"),),
                            versus_pca="retrieval mAP", unit_interval=True, margin=0.02),
    "retrieval_map_cosine": Metric("map", "retrieval mAP (cosine)", where=(("distance", "cosine"),),
                                   unit_interval=True),
}

ANALYSIS = Analysis(
    "retrieval", reads="codes", run=run,
    settings=lambda config: {**analysis_settings(config, "retrieval", bootstrap=True),
                             "n_examples": config["analysis"]["examples"]},
    baselines=("pixels", "pca"), keys=("distance",), metrics=METRICS,
    figures={"retrieval": Figure(retrieval_figure, """\
Test queries (top row) and, below, the train image nearest to each in code space (Euclidean): by the raw
pixels, then for each latent size by the autoencoder with the highest validation mAP and by PCA with as
many components (each with its test mAP). A wrong digit below a query is a retrieval error.""")},
    schema={
        "queries": {"type": "integer", "minimum": 1, "description": "Seeded query images per split."},
        "distances": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(DISTANCES)},
                      "description": "The figure's nearest images are by the first."},
        "k": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "integer", "minimum": 1},
              "description": "Precision at each k nearest train images."},
    },
    category="9. Retrieval",
    caption="""\
Each of a seeded subset of the split's images queries the train split's codes (``distance``:
``euclidean``, or ``cosine``, one minus the cosine similarity); a train image is relevant when it
shows the query's digit. ``map``: mean average precision over the whole ranking, with its 95%
bootstrap interval over the queries (``map_low``, ``map_high``); ``precision_at_k``: the share of
relevant images among the k nearest. Higher is better.""",
)
