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
and BLAS kernel that computed them (:mod:`study.provenance`), ``inputs`` the digests of the
codes and the model it read (None for a file it did not read), ``arrays`` the digest of the
arrays written beside it (:func:`arrays_digest`), and ``digest`` the SHA-256 of everything else (:func:`sealed`), which every reader checks (:mod:`study.documents`). Beside it,
``{name}.npz`` holds the arrays its figures need (possibly none).

The aggregation gathers the documents into one table per analysis, and those into one tidy
table, ``results/tables/metrics.csv`` (:func:`study.tables.metrics_table`: one row per
measurement), which :func:`load` reads: the one reader of the results, for the summary, the
figures, the tools and a notebook (docs/notebook.md).
"""
import hashlib
import json
import logging
from pathlib import Path

import numpy as np

from diy.atomic import atomic_path, write_text
from study.seals import RERUN

log = logging.getLogger(__name__)
#: The key of the digest a document or a plan records of the rest of itself.
DIGEST = "digest"
#: What a reader tells of a file it refuses.


def document(analysis, dataset, representation, columns, params, rows, inputs=None, arrays=None):
    """The document of one analysis of one representation (see the module docstring), sealed;
    `columns` are the representation's (:func:`study.representations.describe`), which the
    caller has: this module, which :mod:`study.representations` reads arrays with, does not
    import it back. `inputs`: ``{"codes": digest or None, "model": digest or None}``; `arrays`:
    the arrays written beside it (:func:`write_npz`)."""
    from study.provenance import provenance

    inputs = {"codes": None, "model": None, **(inputs or {})}
    return sealed({"analysis": analysis, "dataset": dataset, "representation": representation,
                   **columns, "params": dict(params), "rows": list(rows), "provenance": provenance(),
                   "inputs": inputs, "arrays": None if arrays is None else arrays_digest(arrays)})


def arrays_digest(arrays):
    """SHA-256 (hex) of a dict of arrays as :func:`write_npz` writes them: keys sorted, each
    with its dtype, shape and bytes."""
    sha = hashlib.sha256()
    for key in sorted(arrays):
        value = np.ascontiguousarray(np.asarray(arrays[key]))
        sha.update(f"{key}:{value.dtype.str}:{value.shape};".encode())
        sha.update(value.tobytes())
    return sha.hexdigest()


def content_digest(value):
    """SHA-256 (hex) of a JSON value, keys sorted, so that it reads back to the same digest."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def sealed(value):
    """The dict `value` with :data:`DIGEST`, the :func:`content_digest` of the rest of it (as JSON
    reads it back: tuples as lists, NumPy numbers as Python's)."""
    value = json.loads(json.dumps({key: item for key, item in value.items() if key != DIGEST}))
    return {**value, DIGEST: content_digest(value)}


def read_sealed(path, what):
    """The JSON object at `path` (`what` it is, for messages), once its :data:`DIGEST` is that of
    the rest of it: a ValueError names the file if it cannot be read (cut short, not JSON), is no
    object, records no digest (written before files recorded one) or was changed since written."""
    try:
        value = read_json(path)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path}: not a readable {what} ({error}); {RERUN}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{path}: not a {what} (a JSON {type(value).__name__}, not an object); {RERUN}")
    if DIGEST not in value:
        raise ValueError(f"{path}: records no digest (a {what} written before they did); {RERUN} "
                         f"(a results tree written before: re-run the study, or build it anew)")
    if value[DIGEST] != content_digest({key: item for key, item in value.items() if key != DIGEST}):
        raise ValueError(f"{path}: not the {what} written (its content's digest differs from the one "
                         f"recorded): edited or damaged since; {RERUN}")
    return value


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

    The file must be the one the workflow wrote (its seal, ``metrics.csv.seal``,
    :mod:`study.seals`): one edited by hand, cut short or copied from another study is a
    ValueError naming it and what differs (read such a file with ``pandas.read_csv``).
    """
    from study.tables import METRICS_COLUMNS, read_table

    path = Path(results)
    return read_table(path if path.suffix == ".csv" else path / "tables" / "metrics.csv", METRICS_COLUMNS)
