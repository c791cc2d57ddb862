"""Label efficiency: how well a code serves when only a few images are labelled.

For each count n of ``labels_per_class`` (of :data:`COUNTS`, 1, 10, 100 and ``all``: the counts its
metrics read; the config refuses others), n train images of each class are drawn without
replacement (all of a class that has fewer), and two probes are trained on their codes:

- ``"linear"``: classification's logistic regression (standardised codes, L2), its inverse
  regularisation C chosen from ``C`` by accuracy on the validation split, fitted along the path
  from the strongest regularisation with warm starts;
- ``"knn"``: classification's k-NN with k = min(``analysis.classification.knn_k``, n), Euclidean
  on the codes as they are (with one label per class, 1-NN: a larger k would let other classes
  outvote the one).

Each count is drawn ``draws`` times from seeded generators (draw i of every representation gets
the same images, so representations are compared on the same labels); ``all`` is one draw, the
whole train split, where the k-NN probe is classification's k-NN. Rows (per split, count, probe)::

    {"split": "val" | "test", "labels_per_class": "1" | ... | "all", "probe": "linear" | "knn",
     "accuracy": float, "accuracy_std": float, "accuracy_low": float, "accuracy_high": float,
     "draws": int}

``accuracy``: the mean over draws of the split's accuracy; ``accuracy_low``, ``accuracy_high``:
its 95% t interval over draws (NaN with one draw: the spread over training seeds is the
summary's). ``labels_per_class`` is text, so that ``all`` sits in one column with the counts.
Arrays: ``accuracies_{split}`` (counts, 2 probes, draws), NaN past a count's draws.
"""
import copy

import numpy as np

from study.analyses import Analysis, Metric, analysis_settings
from study.analyses.classification import knn_classifier, logistic_classifier

PROBES = ("linear", "knn")
#: The counts of ``labels_per_class`` the metrics read: the config may take any of them and no
#: other, as a count without a metric would give rows no table column, figure or summary shows
#: (the metrics are declared before any config is read).
COUNTS = (1, 10, 100, "all")


def labelled_subset(y, per_class, rng):
    """Sorted indices of `per_class` images of each class of labels `y` (n,), drawn without
    replacement from `rng`; ``"all"``: every index."""
    if per_class == "all":
        return np.arange(len(y))
    chosen = [rng.choice(np.flatnonzero(y == label), size=min(int(per_class), int((y == label).sum())),
                         replace=False) for label in np.unique(y)]
    return np.sort(np.concatenate(chosen))


def linear_probe(Z, y, Z_val, y_val, Cs, seed, max_iter):
    """Logistic regressions on codes `Z` (n, k), one per C from the smallest (the strongest
    regularisation) up, each starting from the last one's weights -> (predict, chosen C), C the
    most accurate on (`Z_val`, `y_val`) (the first of equals)."""
    model = logistic_classifier(seed, max_iter, warm_start=True)
    best = (-1.0, None, None)
    for C in sorted(Cs):
        model.set_params(logisticregression__C=float(C)).fit(Z, y)
        accuracy = float((model.predict(Z_val) == y_val).mean())
        if accuracy > best[0]:
            best = (accuracy, float(C), copy.deepcopy(model))  # the next fit starts from it
    return best[2].predict, best[1]


def _one_draw(codes, data, per_class, index, Cs, knn_k, seed, max_iter):
    """Both probes trained on the codes of train images `index` -> {split: (2 probes,) accuracies}."""
    Z, y = codes["Z_train"][index], data["y_train"][index]
    predict_linear, _ = linear_probe(Z, y, codes["Z_val"], data["y_val"], Cs, seed, max_iter)
    k = int(knn_k) if per_class == "all" else min(int(knn_k), int(per_class))
    predict_knn = knn_classifier(k).fit(Z, y).predict
    return {split: [(predict(codes[f"Z_{split}"]) == data[f"y_{split}"]).mean() for predict in (predict_linear, predict_knn)]
            for split in ("val", "test")}


def probe_accuracies(codes, data, labels_per_class, draws, Cs, knn_k, seed, max_iter, n_jobs=1):
    """-> {split: (counts, 2 probes, draws) accuracies, NaN past a count's draws} for ``val`` and
    ``test``, the probes trained on labelled subsets of ``codes["Z_train"]``; the draws run on
    `n_jobs` threads (joblib: scikit-learn's solvers and numpy release the GIL), the same numbers
    on any count."""
    from joblib import Parallel, delayed
    from threadpoolctl import threadpool_limits

    tasks = [(c, draw) for c, per_class in enumerate(labels_per_class)
             for draw in range(1 if per_class == "all" else draws)]
    # Each draw's own generator: the images drawn do not depend on the order the draws run in.
    # n_jobs draws at once, each on one BLAS thread: not n_jobs x n_jobs threads on n_jobs cores.
    with threadpool_limits(limits=1 if n_jobs > 1 else None):
        done = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_one_draw)(codes, data, labels_per_class[c],
                               labelled_subset(data["y_train"], labels_per_class[c], np.random.default_rng([int(seed), c, draw])),
                               Cs, knn_k, seed, max_iter)
            for c, draw in tasks)
    accuracies = {split: np.full((len(labels_per_class), len(PROBES), draws), np.nan) for split in ("val", "test")}
    for (c, draw), result in zip(tasks, done):
        for split in accuracies:
            accuracies[split][c, :, draw] = result[split]
    return accuracies


def run(data, source, settings):
    from study.statistics import t_interval

    counts = settings["labels_per_class"]
    accuracies = probe_accuracies(source.codes, data, counts, settings["draws"], settings["C"], settings["knn_k"],
                                  settings["seed"], settings["logistic_max_iter"], n_jobs=settings["threads"])
    rows = []
    for split, values in accuracies.items():
        for c, per_class in enumerate(counts):
            for p, probe in enumerate(PROBES):
                interval = t_interval(values[c, p], confidence=settings["confidence"])
                rows.append({"split": split, "labels_per_class": str(per_class), "probe": probe,
                             "accuracy": interval.mean, "accuracy_std": interval.std,
                             "accuracy_low": interval.low, "accuracy_high": interval.high, "draws": interval.n})
    return rows, {f"accuracies_{split}": values for split, values in accuracies.items()}


#: Bytes a draw holds until the job ends: its task, its result (both splits' accuracies) and
#: its entries of the accuracy arrays, about.
DRAW_BYTES = 1024


def settings_problems(section, dataset, sizes, n_classes):
    """Why the settings `section` (``analysis.probe``) cannot run on `dataset`: every draw of every
    count is held until the job ends, and must fit in the machine's memory."""
    from study.config_checks import memory_problem

    problem = memory_problem("analysis.probe.draws", section["draws"],
                             len(section["labels_per_class"]) * section["draws"] * DRAW_BYTES)
    return [f"{problem} (with {len(section['labels_per_class'])} labels_per_class on {dataset})"] if problem else []


def _accuracy(probe, per_class, label, versus_pca=None, lines=True):
    return Metric("accuracy", label, where=(("probe", probe), ("labels_per_class", per_class)),
                  versus_pca=versus_pca, unit_interval=True, lines=lines,
                  margin=0.02)  # two points of accuracy (docs/statistics.md)


def _linear(per_class):
    """The linear probe at `per_class` labels, in the summary's autoencoder-vs-PCA table (at
    each count, so that it says where the code beats PCA's), drawn against the latent size at 10."""
    label = "all labels" if per_class == "all" else f"{per_class} label{'s' if per_class != '1' else ''} per class"
    return _accuracy("linear", per_class, f"linear probe accuracy, {label}",
                     versus_pca=f"linear probe, {label.replace(' per class', '')}", lines=per_class == "10")


ANALYSIS = Analysis(
    "probe", reads="codes", run=run, check=settings_problems,
    # One k-NN: classification's k, so that the probe at all labels is classification's k-NN.
    settings=lambda config: analysis_settings(config, "probe", confidence=config["analysis"]["bootstrap"]["confidence"],
                                              knn_k=config["analysis"]["classification"]["knn_k"]),
    baselines=("pixels", "pca"), keys=("labels_per_class", "probe"),
    metrics={
        **{f"probe_linear_{count}": _linear(str(count)) for count in COUNTS},
        "probe_knn_10": _accuracy("knn", "10", "k-NN probe accuracy, 10 labels per class"),
    },
    schema={
        "labels_per_class": {"type": "array", "minItems": 1, "uniqueItems": True,
                             "description": "Labelled train images per class, among the counts the probe's "
                                            "metrics read; 'all' for the whole train split.",
                             "items": {"type": ["integer", "string"], "enum": list(COUNTS)}},
        "draws": {"type": "integer", "minimum": 1, "description": "Seeded label draws per count (all: one)."},
        "C": {"type": "array", "minItems": 1, "items": {"type": "number", "exclusiveMinimum": 0},
              "description": "Inverse regularisations of the linear probe, chosen on the validation split."},
        "logistic_max_iter": {"type": "integer", "minimum": 1},
    },
    category="6. Classification",
    splits_itself=True,
    caption="""\
Probes trained on the codes of a few labelled train images per class (``labels_per_class``; ``all``:
the whole train split), scored on the validation and the test split: ``linear``, a logistic
regression whose regularisation is chosen on the validation split, and ``knn``, k-NN with k at most
the count. ``accuracy`` is the mean over ``draws`` seeded draws of the labelled images (the same
images for every representation), ``accuracy_low``, ``accuracy_high`` its 95% t interval over the
draws. A code that keeps the classes apart serves with few labels; raw pixels need many.""",
)
