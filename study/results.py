"""The files the analyses write and the aggregation reads: JSON documents and example arrays.

A variant's document, ``results/{dataset}/{analysis}/{variant}.json``::

    {"analysis": "kmeans", "dataset": "mnist", "variant": "latent16_tanh_noise0.25_seed0",
     "latent_dim": 16, "activation": "tanh", "noise": 0.25, "seed": 0,
     "params": {"n_init": 10, "seed": 0}, "rows": [{"representation": "autoencoder", ...}]}

A baseline's document, ``results/{dataset}/baselines/{analysis}_{baseline}.json``, names the
baseline instead of a variant (``"pixels"``, ``"noisy"``, or ``"pca16"``: PCA with 16
components), its ``latent_dim`` is PCA's size (None otherwise) and ``activation``, ``noise``,
``seed`` are None: it depends on no trained model.

``params`` holds the configuration values the numbers depend on; ``rows`` the analysis'
rows, as laid out in its ``study`` module. Non-finite floats are written as JSON's
``Infinity``/``NaN`` extensions, which :func:`read_json` (Python's json) reads back.
"""
import json
import logging
import re

import numpy as np

from diy.atomic import atomic_path, write_text
from study.variants import AEVariant

log = logging.getLogger(__name__)


def parse_baseline(name):
    """``"pca16"`` -> ``("pca", 16)``; ``"pixels"`` -> ``("pixels", None)``; likewise ``"noisy"``."""
    match = re.fullmatch(r"(pixels|noisy)|pca([1-9][0-9]*)", name)
    if not match:
        raise ValueError(f"{name!r} is not a baseline name: expected pixels, noisy or pca<latent size>")
    return ("pca", int(match.group(2))) if match.group(2) else (match.group(1), None)


def document(analysis, dataset, params, rows, variant=None, baseline=None):
    """The document of one analysis of one autoencoder variant or of one baseline.

    analysis, dataset : str.
    params : mapping, the settings the rows depend on.
    rows : list of JSON-able dicts.
    variant : an autoencoder variant's name, e.g. ``"latent16_tanh_noise0.25_seed0"``; or
    baseline : a baseline's name, ``"pixels"``, ``"noisy"`` or ``"pca<k>"`` (exactly one of the two).
    """
    if (variant is None) == (baseline is None):
        raise ValueError("a document is of a variant or of a baseline: give exactly one")
    head = {"analysis": analysis, "dataset": dataset}
    if variant is not None:
        parsed = AEVariant.parse(variant)
        head.update(variant=variant, latent_dim=parsed.latent_dim, activation=parsed.activation,
                    noise=parsed.noise, seed=parsed.seed)
    else:
        head.update(baseline=baseline, latent_dim=parse_baseline(baseline)[1], activation=None,
                    noise=None, seed=None)
    return {**head, "params": dict(params), "rows": list(rows)}


def write_json(path, document):
    """Write `document` to `path` atomically, indented, keys in the order given; log its rows."""
    write_text(path, json.dumps(document, indent=1) + "\n")
    for row in document.get("rows", []):
        log.info("%s", json.dumps(row))
    log.info("wrote %s", path)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def write_npz(path, arrays):
    """``np.savez`` of a dict of arrays to `path`, atomically (no pickles: str arrays are unicode)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **{key: np.asarray(value) for key, value in arrays.items()})


def read_npz(path):
    """The arrays of an ``.npz`` as a dict, read without pickles."""
    with np.load(path, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}
