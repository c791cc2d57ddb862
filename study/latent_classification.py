"""Supervised classifiers trained on a representation of the train split, scored on test.

Classifiers (``methods``):

- ``"logistic"``: ``StandardScaler`` then multinomial ``LogisticRegression`` (L2, C=1, lbfgs);
- ``"knn"``: ``KNeighborsClassifier(k)``, Euclidean on the representation as it is
  (standardising would change the geometry being judged);
- ``"mlp"``: the DIY ``MLPClassifier`` on standardised inputs, its validation set the
  val split (for early stopping / model choice, as the classifier does).

:func:`classify` is generic over the representation, so a caller can run the pixel
baseline once per dataset; :func:`latent_classification` runs the codes and the
requested baselines (raw pixels, PCA codes of the latent size fitted on train).

Rows (one per representation and classifier)::

    {"representation": str, "classifier": str, "val_accuracy": float, "test_accuracy": float}
"""
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from diy.classifier import MLPClassifier
from study.pca import fit_pca, pca_codes

METHODS = ("logistic", "knn", "mlp")


def _logistic(seed, max_iter):
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=int(max_iter), random_state=int(seed)))


def _knn(k):
    return KNeighborsClassifier(n_neighbors=int(k))


def _fit_mlp(train_X, train_y, val_X, val_y, seed, mlp_params):
    """Fit the DIY classifier on standardised inputs; return its predict function."""
    scaler = StandardScaler().fit(train_X)
    scale = lambda X: scaler.transform(X).astype(np.float32)
    model = MLPClassifier(**{"random_state": int(seed), **(mlp_params or {})})
    model.fit(scale(train_X), train_y, X_val=scale(val_X), y_val=val_y)
    return lambda X: model.predict(scale(X))


def classify(train_X, train_y, val_X, val_y, test_X, test_y, methods=METHODS, seed=0,
             knn_k=5, logistic_max_iter=1000, mlp_params=None):
    """Train each classifier on one representation; its val and test accuracies.

    train_X, val_X, test_X : ndarrays of shape (n_train, p), (n_val, p), (n_test, p).
    train_y, val_y, test_y : int ndarrays of shape (n_train,), (n_val,), (n_test,).
    methods : any of ``"logistic"``, ``"knn"``, ``"mlp"``.
    seed : int, ``random_state`` of every classifier.
    knn_k : int, neighbours of the k-NN vote.
    logistic_max_iter : int, lbfgs iterations allowed.
    mlp_params : dict of keyword arguments of ``diy.classifier.MLPClassifier``
        (its ``random_state`` defaults to ``seed``).
    Returns a list of ``{"classifier", "val_accuracy", "test_accuracy"}`` dicts.
    """
    rows = []
    for method in methods:
        if method == "logistic":
            predict = _logistic(seed, logistic_max_iter).fit(train_X, train_y).predict
        elif method == "knn":
            predict = _knn(knn_k).fit(train_X, train_y).predict
        elif method == "mlp":
            predict = _fit_mlp(train_X, train_y, val_X, val_y, seed, mlp_params)
        else:
            raise ValueError(f"unknown classifier {method!r}: expected one of {', '.join(METHODS)}")
        rows.append({"classifier": method,
                     "val_accuracy": float(np.mean(predict(val_X) == val_y)),
                     "test_accuracy": float(np.mean(predict(test_X) == test_y))})
    return rows


def latent_classification(Z_train, y_train, Z_val, y_val, Z_test, y_test, X_train=None, X_val=None,
                          X_test=None, baselines=("pixels", "pca"), methods=METHODS, seed=0, **options):
    """Rows of :func:`classify` on the codes, then on each requested baseline.

    Z_train, Z_val, Z_test : codes of shape (n_train, latent_dim), (n_val, ...), (n_test, ...).
    y_train, y_val, y_test : int labels.
    X_train, X_val, X_test : pixels of shape (n, d), needed for ``"pixels"`` and ``"pca"``
        (PCA with latent_dim components is fitted on X_train).
    baselines : any of ``"pixels"``, ``"pca"``; ``()`` for the codes only.
    options : ``knn_k``, ``logistic_max_iter``, ``mlp_params`` of :func:`classify`.
    Returns a list of dicts, layout in the module docstring.
    """
    representations = {"autoencoder": (Z_train, Z_val, Z_test)}
    for name in baselines:
        if name == "pixels":
            representations["pixels"] = (X_train, X_val, X_test)
        elif name == "pca":
            pca = fit_pca(X_train, Z_train.shape[1], seed)
            representations["pca"] = tuple(pca_codes(pca, X) for X in (X_train, X_val, X_test))
        else:
            raise ValueError(f"unknown baseline {name!r}: expected 'pixels' or 'pca'")
    rows = []
    for name, (train, val, test) in representations.items():
        for row in classify(train, y_train, val, y_val, test, y_test, methods, seed, **options):
            rows.append({"representation": name, **row})
    return rows
