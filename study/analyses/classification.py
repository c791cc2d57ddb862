"""Supervised classifiers trained on the train split's codes, scored on validation and test.

Classifiers:

- ``"logistic"``: ``StandardScaler`` then multinomial ``LogisticRegression`` (L2, C=1, lbfgs);
- ``"knn"``: ``KNeighborsClassifier(k)``, Euclidean on the codes as they are (standardising
  would change the geometry being judged);
- ``"mlp"``: the DIY ``MLPClassifier`` on standardised codes, the val split for early stopping.

Each classifier is trained once and scored on both splits (the analysis names its splits
itself). Rows (per split, one per classifier)::

    {"split": "val" | "test", "classifier": str, "accuracy": float, "accuracy_low": float,
     "accuracy_high": float}

``accuracy_low``, ``accuracy_high``: the bootstrap interval of the accuracy over the split's
samples (:mod:`study.bootstrap`).
"""
import numpy as np

from diy.classifier import MLPClassifier
from study.analyses import Analysis, Metric, analysis_settings

METHODS = ("logistic", "knn", "mlp")


def logistic_classifier(seed, max_iter, **options):
    """Standardisation, then multinomial logistic regression (``options``: its other settings,
    e.g. ``C``, ``warm_start``); also the probe's linear probe."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=int(max_iter), random_state=int(seed), **options))


def knn_classifier(k):
    """k-NN, Euclidean on the inputs as they are; also the probe's k-NN probe."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=int(k))


def _fit_mlp(train_X, train_y, val_X, val_y, seed, mlp_params):
    """Fit the DIY classifier on standardised inputs; return its predict function."""
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(train_X)
    scale = lambda X: scaler.transform(X).astype(np.float32)
    model = MLPClassifier(**{"random_state": int(seed), **(mlp_params or {})})
    model.fit(scale(train_X), train_y, X_val=scale(val_X), y_val=val_y)
    return lambda X: model.predict(scale(X))


def classify(codes, data, methods=METHODS, seed=0, knn_k=5, logistic_max_iter=1000, mlp_params=None,
             resamples=1000, confidence=0.95):
    """Train each classifier on ``codes["Z_train"]`` and ``data["y_train"]`` -> the rows of the
    module docstring, the val split's then the test split's."""
    from study.bootstrap import bootstrap_interval

    train_X, val_X = codes["Z_train"], codes["Z_val"]
    train_y, val_y = data["y_train"], data["y_val"]
    rows = {"val": [], "test": []}
    for method in methods:
        if method == "logistic":
            predict = logistic_classifier(seed, logistic_max_iter).fit(train_X, train_y).predict
        elif method == "knn":
            predict = knn_classifier(knn_k).fit(train_X, train_y).predict
        elif method == "mlp":
            predict = _fit_mlp(train_X, train_y, val_X, val_y, seed, mlp_params)
        else:
            raise ValueError(f"unknown classifier {method!r}: expected one of {', '.join(METHODS)}")
        for split in rows:
            correct = (predict(codes[f"Z_{split}"]) == data[f"y_{split}"]).astype(np.float64)
            interval = bootstrap_interval(correct, n_resamples=resamples, confidence=confidence, seed=seed)
            rows[split].append({"split": split, "classifier": method, "accuracy": float(correct.mean()),
                                "accuracy_low": float(interval.low), "accuracy_high": float(interval.high)})
    return rows["val"] + rows["test"]


def run(data, source, settings):
    return classify(source.codes, data, seed=settings["seed"], knn_k=settings["knn_k"],
                    logistic_max_iter=settings["logistic_max_iter"], mlp_params=settings["mlp"],
                    resamples=settings["resamples"], confidence=settings["confidence"]), {}


def _accuracy(classifier, label, heatmap=False):
    return Metric("accuracy", label, where=(("classifier", classifier),), heatmap=heatmap,
                  versus_pca="k-NN acc." if classifier == "knn" else None, unit_interval=True,
                  margin=0.02)  # two points of accuracy (docs/statistics.md)


def settings_problems(section, dataset, sizes, n_classes):
    """Why the settings `section` (``analysis.classification``) cannot classify `dataset`'s codes:
    a k-NN cannot have more neighbours than the ``sizes["train"]`` train images."""
    if section["knn_k"] > sizes["train"]:
        return [f"analysis.classification.knn_k = {section['knn_k']}: above the "
                f"{sizes['train']} training images of {dataset}"]
    return []


ANALYSIS = Analysis(
    "classification", reads="codes", run=run,
    settings=lambda config: analysis_settings(config, "classification", bootstrap=True),
    baselines=("pixels", "pca"), keys=("classifier",),
    metrics={
        "logistic_accuracy": _accuracy("logistic", "logistic regression accuracy"),
        "knn_accuracy": _accuracy("knn", "k-NN accuracy", heatmap=True),
        "mlp_accuracy": _accuracy("mlp", "DIY MLP accuracy"),
    },
    schema={
        "knn_k": {"type": "integer", "minimum": 1},
        "logistic_max_iter": {"type": "integer", "minimum": 1},
        "mlp": {"type": "object", "additionalProperties": False,
                "description": "The DIY MLPClassifier, on standardised codes, early stopping on val.",
                "required": ["hidden", "activation", "dropout", "lr", "epochs", "batch_size", "patience"],
                "properties": {
                    "hidden": {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1}},
                    "activation": {"$ref": "#/$defs/activation"},
                    "dropout": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                    "lr": {"type": "number", "exclusiveMinimum": 0},
                    "epochs": {"type": "integer", "minimum": 1},
                    "batch_size": {"type": "integer", "minimum": 1},
                    "patience": {"$ref": "#/$defs/patience"}}},
    },
    check=settings_problems,
    category="6. Classification",
    # Raw-pixel k-NN (~90 s on MNIST) and logistic regression (~140 s) are the study's most
    # expensive baselines: BLAS-bound, so they get two threads.
    threads=lambda representation: 2 if representation == "pixels" else 1,
    splits_itself=True,
    caption="""\
Classifiers (``logistic`` regression, ``knn``, the DIY ``mlp``) trained on the train split's
representation (the MLP's early stopping on the validation split), scored on the validation and the
test split (``split``): ``accuracy``, and ``accuracy_low``, ``accuracy_high`` its 95% bootstrap
interval over that split's images.""",
)
