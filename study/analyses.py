"""The workflow's analyses, one function per rule: a variant's codes or model in, rows out.

Each ``*_analysis`` takes the dataset (a dict in the layout of ``study.data.dataset``), the
variant's codes (``{"Z_train", "Z_val", "Z_test"}``, as in its ``codes.npz``) or its model,
and the analysis' settings, and returns rows (lists of JSON-able dicts, laid out in the
module named in its docstring) and, where a figure needs them, a dict of arrays.

Each ``*_baseline`` computes the same rows for a representation that depends on no
variant, named as in :func:`study.results.parse_baseline`: ``"pixels"`` (the raw
images), ``"pca<k>"`` (PCA with k components fitted on the train split: the linear
autoencoder of latent size k) or, for denoising, ``"noisy"`` (the corrupted input). The
workflow computes each baseline once per dataset, never once per variant.

Example images are the first ``n_examples`` of the test split, the same for every variant
and baseline, so figures can put them side by side.

:data:`ANALYSES` names them all for the workflow's one script: :func:`run_analysis` runs
an analysis by name, on a variant's model or codes (:func:`read_source`) or on a baseline.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from study.clustering import cluster_rows
from study.denoising import denoising
from study.embedding import embedding
from study.latent_classification import METHODS, classify
from study.pca import fit_pca, pca_codes, pca_reconstruct
from study.reconstruction import reconstruct, reconstruction_metrics
from diy.serialization import load
from study.results import parse_baseline, read_npz

SPLITS = ("train", "val", "test")


def baseline_codes(data, baseline, seed=0):
    """The representation named `baseline` of every split: ``{"Z_train", "Z_val", "Z_test"}``.

    ``"pixels"``: the images themselves; ``"pca<k>"``: their PCA codes, PCA (random state
    `seed`) fitted on the train split.
    """
    kind, latent_dim = parse_baseline(baseline)
    if kind == "pixels":
        return {f"Z_{split}": data[f"X_{split}"] for split in SPLITS}
    if kind == "pca":
        pca = fit_pca(data["X_train"], latent_dim, seed)
        return {f"Z_{split}": pca_codes(pca, data[f"X_{split}"]) for split in SPLITS}
    raise ValueError(f"{baseline!r} is not a representation: expected pixels or pca<latent size>")


def _examples(data, n_examples):
    return np.arange(min(int(n_examples), len(data["y_test"])))


def _kind(baseline, allowed, analysis):
    kind, _ = parse_baseline(baseline)
    if kind not in allowed:
        raise ValueError(f"{analysis} has no {baseline!r} baseline: expected one of "
                         f"{', '.join(a if a != 'pca' else 'pca<latent size>' for a in allowed)}")
    return kind


# -- reconstruction (study.reconstruction) ----------------------------------------
def _reconstruction_rows(data, X_hat_test, method, n_examples):
    index = _examples(data, n_examples)
    rows = [{"method": method, **reconstruction_metrics(data["X_test"], X_hat_test)}]
    arrays = {"indices": index, "image_shape": data["image_shape"], "clean": data["X_test"][index],
              "reconstruction": X_hat_test[index]}
    return rows, arrays


def reconstruction_analysis(model, data, n_examples=10):
    """Test-split reconstruction metrics of the autoencoder; arrays ``indices``,
    ``image_shape``, ``clean`` (m, d) and ``reconstruction`` (m, d) of the example images."""
    return _reconstruction_rows(data, reconstruct(model, data["X_test"]), "autoencoder", n_examples)


def reconstruction_baseline(data, baseline, seed=0, n_examples=10):
    """The same for PCA's projection (``"pca<k>"``), fitted on the train split."""
    _kind(baseline, ("pca",), "reconstruction")
    _, latent_dim = parse_baseline(baseline)
    X_hat = pca_reconstruct(fit_pca(data["X_train"], latent_dim, seed), data["X_test"])
    return _reconstruction_rows(data, X_hat, "pca", n_examples)


# -- k-means (study.clustering) ------------------------------------------------
def kmeans_analysis(codes, data, n_init=10, seed=0, representation="autoencoder", whiten=True):
    """k-means (k = number of classes) on the test codes: a row of accuracy, NMI, ARI,
    and a second on the codes whitened by the train codes' mean and covariance."""
    return cluster_rows(representation, codes["Z_test"], data["y_test"],
                        codes["Z_train"] if whiten else None, n_init, seed)


def kmeans_baseline(data, baseline, n_init=10, seed=0):
    """The same on PCA codes, and on raw pixels (not whitened: see study.clustering)."""
    kind = _kind(baseline, ("pixels", "pca"), "kmeans")
    return kmeans_analysis(baseline_codes(data, baseline, seed), data, n_init, seed, kind,
                           whiten=kind != "pixels")


# -- t-SNE (study.embedding) ---------------------------------------------------
def tsne_analysis(codes, data, size, seed=0, perplexity=30.0, max_iter=1000, n_neighbors=5,
                  knn_k=5, n_init=10, representation="autoencoder"):
    """t-SNE of a seeded test subset of `size` codes, scored; arrays ``indices`` (m,),
    ``y`` (m,) and ``map`` (m, 2). The subset depends on `seed` alone."""
    rows, arrays = embedding(codes["Z_test"], data["y_test"], size, seed, perplexity=perplexity,
                             max_iter=max_iter, n_neighbors=n_neighbors, knn_k=knn_k, n_init=n_init)
    rows = [{**row, "representation": representation} for row in rows]
    return rows, {"indices": arrays["indices"], "y": arrays["y"], "map": arrays["autoencoder"]}


def tsne_baseline(data, baseline, size, seed=0, **options):
    """The same on raw pixels or on PCA codes (options as :func:`tsne_analysis`)."""
    kind = _kind(baseline, ("pixels", "pca"), "tsne")
    return tsne_analysis(baseline_codes(data, baseline, seed), data, size, seed,
                         representation=kind, **options)


# -- denoising (study.denoising) -----------------------------------------------
def _denoising(model, data, kinds, levels, seed, n_examples, latent_dim, method):
    rows, examples = denoising(model, data["X_test"], kinds, levels,
                               X_train=None if latent_dim is None else data["X_train"],
                               n_components=latent_dim, seed=seed,
                               example_indices=_examples(data, n_examples))
    rows = [row for row in rows if row["method"] == method]
    return rows, {**examples, "image_shape": data["image_shape"]}


def denoising_analysis(model, data, kinds, levels, seed=0, n_examples=8):
    """The autoencoder's errors on the test split corrupted by each (kind, level).

    Rows of method ``"autoencoder"`` only (the noisy input is a baseline); arrays as in
    ``study.denoising`` (``clean``, ``noisy``, ``autoencoder``...) plus ``image_shape``.
    """
    return _denoising(model, data, kinds, levels, seed, n_examples, None, "autoencoder")


def denoising_baseline(data, baseline, kinds, levels, seed=0, n_examples=8):
    """``"noisy"``: the corrupted input's own errors; ``"pca<k>"``: the PCA-projection denoiser's."""
    kind = _kind(baseline, ("noisy", "pca"), "denoising")
    return _denoising(None, data, kinds, levels, seed, n_examples, parse_baseline(baseline)[1], kind)


# -- classification on codes (study.latent_classification) ----------------------
def classification_analysis(codes, data, seed=0, knn_k=5, logistic_max_iter=1000, mlp=None,
                            methods=METHODS, representation="autoencoder"):
    """Logistic regression, k-NN and the DIY MLP trained on the train codes, scored on val
    and test; `mlp`: keyword arguments of ``diy.classifier.MLPClassifier``."""
    rows = classify(codes["Z_train"], data["y_train"], codes["Z_val"], data["y_val"],
                    codes["Z_test"], data["y_test"], methods, seed, knn_k=knn_k,
                    logistic_max_iter=logistic_max_iter, mlp_params=mlp)
    return [{"representation": representation, **row} for row in rows]


def classification_baseline(data, baseline, seed=0, **options):
    """The same on raw pixels or on PCA codes (options as :func:`classification_analysis`)."""
    kind = _kind(baseline, ("pixels", "pca"), "classification")
    return classification_analysis(baseline_codes(data, baseline, seed), data, seed,
                                   representation=kind, **options)


# -- dispatch by name (workflow/scripts/analysis.py) ---------------------------------
@dataclass(frozen=True)
class Analysis:
    """An analysis of the workflow: its two functions, what of a variant it reads
    (``"model"`` or ``"codes"``, the rule's input of that name) and the rule's npz output
    of its arrays (None: it has none, its functions return rows alone)."""
    variant: Callable
    baseline: Callable
    reads: str
    npz: str = None


ANALYSES = {
    "reconstruction": Analysis(reconstruction_analysis, reconstruction_baseline, "model", "examples"),
    "kmeans": Analysis(kmeans_analysis, kmeans_baseline, "codes"),
    "tsne": Analysis(tsne_analysis, tsne_baseline, "codes", "map"),
    "denoising": Analysis(denoising_analysis, denoising_baseline, "model", "examples"),
    "classification": Analysis(classification_analysis, classification_baseline, "codes"),
}

_READERS = {"model": load, "codes": read_npz}


def read_source(name, path):
    """What analysis `name` reads of a variant, from `path`: its model, or its codes."""
    return _READERS[_analysis(name).reads](path)


def run_analysis(name, data, settings, *, baseline=None, model=None, codes=None):
    """Analysis `name` of a baseline (a name, as in the ``*_baseline`` functions) or, without
    one, of a variant's `model` or `codes` (whichever the analysis reads); `settings` are
    its keyword arguments. Returns ``(rows, arrays)``, arrays None if it has no npz output."""
    analysis = _analysis(name)
    if baseline is not None:
        result = analysis.baseline(data, baseline, **settings)
    else:
        source = {"model": model, "codes": codes}[analysis.reads]
        if source is None:
            raise ValueError(f"{name} of a variant reads its {analysis.reads}: give {analysis.reads}=")
        result = analysis.variant(source, data, **settings)
    return result if analysis.npz else (result, None)


def _analysis(name):
    if name not in ANALYSES:
        raise ValueError(f"{name!r} is not an analysis: expected one of {', '.join(ANALYSES)}")
    return ANALYSES[name]
