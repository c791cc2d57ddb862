"""The files the analyses write and the aggregation reads: JSON documents and arrays.

One document per analysis and representation, ``results/{dataset}/{analysis}/{name}.json``::

    {"analysis": "kmeans", "dataset": "mnist", "representation": "mlp_latent16_tanh_noise0.25_seed0",
     "method": "autoencoder", "family": "mlp", "latent_dim": 16, "activation": "tanh",
     "noise": 0.25, "seed": 0, "params": {"n_init": 10, "seed": 0}, "rows": [{...}, ...],
     "provenance": {"versions": {...}, "commit": "...", "cpu": "...", "thread_pools": [{...}, ...]}}

``name`` is a representation (an autoencoder variant, ``pca{k}``, ``pixels``) or one of the
analysis' own baselines (denoising's ``noisy`` input); the columns from ``method`` to
``seed`` are :func:`study.representations.describe`'s. ``params`` holds the settings the
numbers depend on, ``rows`` the analysis' rows, ``provenance`` the package versions, commit, CPU
and BLAS kernel that computed them (:mod:`study.provenance`). Beside it, ``{name}.npz`` holds
the arrays its figures need (possibly none).

The aggregation gathers the documents into one table per analysis, and those into one tidy
table, ``results/tables/metrics.csv`` (:func:`study.tables.metrics_table`: one row per
measurement), which :func:`load` reads: the one reader of the results, for the summary, the
figures, the tools and a notebook (docs/notebook.md).
"""
import json
import logging
from pathlib import Path

import numpy as np

from diy.atomic import atomic_path, write_text

log = logging.getLogger(__name__)


def document(analysis, dataset, representation, columns, params, rows):
    """The document of one analysis of one representation (see the module docstring);
    `columns` are the representation's (:func:`study.representations.describe`), which the
    caller has: this module, which :mod:`study.representations` reads arrays with, does not
    import it back."""
    from study.provenance import provenance

    return {"analysis": analysis, "dataset": dataset, "representation": representation,
            **columns, "params": dict(params), "rows": list(rows), "provenance": provenance()}


def write_json(path, value):
    """Write `value` to `path` atomically as indented JSON, keys in the order given.

    NaN and infinities are written as JSON's ``NaN``/``Infinity`` extensions, which
    :func:`read_json` reads back (a PSNR of identical images is infinite).
    """
    write_text(path, json.dumps(value, indent=1) + "\n")
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


def load(results):
    """The tidy table of a study's results -> DataFrame (:func:`study.tables.metrics_table`):
    one row per dataset, representation (its method, family, latent size, activation, noise,
    objective, seed), split, analysis, metric (and the analysis' keys, where it has several rows
    per representation), with its ``value`` and interval ``low``, ``high`` where it has one.

    results : the results directory (``results``, ``results/quick``), whose
        ``tables/metrics.csv`` is read, or the path of that file.
    """
    from study.tables import read_table

    path = Path(results)
    return read_table(path if path.suffix == ".csv" else path / "tables" / "metrics.csv")
