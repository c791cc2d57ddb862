"""The files a training job writes, and writing several of them as one atomic step.

- ``history.csv``: one row per epoch, the columns given (``epoch,train_loss,val_loss,seconds``
  for autoencoders; classifiers add ``val_accuracy``), floats written by ``repr`` so a file
  read back gives the very numbers trained; the model file beside it records its digest, all
  but the wall times (:func:`file_digest`), which its readers check (:func:`read_checked_history`);
- ``codes.npz``: ``Z_train, Z_val, Z_test``, float32 of shape (n, latent_dim), and
  ``__provenance__``: which representation of which dataset, from which model, and the
  codes' digest (:mod:`study.representations`).
"""
import contextlib
import csv
import hashlib
import io
import json
from pathlib import Path

import numpy as np

from diy.atomic import atomic_path
from diy.serialization import ModelFileError, read_metadata
from study.representations import CODE_KEYS, PROVENANCE, codes_provenance

_RERUN = "delete it and re-run the job that makes it"

AE_HISTORY_COLUMNS = ("epoch", "train_loss", "val_loss", "seconds")
CLASSIFIER_HISTORY_COLUMNS = ("epoch", "train_loss", "val_loss", "val_accuracy", "seconds")
# A column that a record lacks is read from the record's key named here: a classifier's
# validation metric is its accuracy.
_SOURCES = {"val_accuracy": "val_metric"}


@contextlib.contextmanager
def atomic_outputs(*paths):
    """Yield one temporary path per target; rename them all to their targets on success.

    If the block raises, every temporary file is removed and no target is touched. The
    renames run last to first, so the first path (give the model there) appears last: a
    complete-looking model file never stands beside missing companions.
    """
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_path(path)) for path in paths]


def write_history(path, history, columns):
    """Write ``history`` (a ``diy.train.History`` or a list of dicts) as CSV with `columns`.

    ``val_accuracy`` is read from a record's ``val_metric`` (as ``diy.train.fit`` names it)
    unless the record has it. A missing or None value gets an empty cell. The terms of a
    penalised objective that ``fit`` records beside the totals (``train_output``,
    ``train_kl``, ``val_kl``...) get their columns too, before the last of `columns`.
    """
    records = history.records if hasattr(history, "records") else history
    terms = [key for key in (records[0] if records else {})
             if key.startswith(("train_", "val_")) and key not in columns and key not in _SOURCES.values()]
    columns = (*columns[:-1], *terms, columns[-1]) if terms else columns
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            values = [record.get(c, record.get(_SOURCES.get(c))) for c in columns]
            writer.writerow(["" if value is None else _text(value) for value in values])


def read_history(path):
    """``{column: list of float}`` of a history CSV (``epoch`` as int, empty cells as None)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = {}
    for row in rows:
        for key, value in row.items():
            cast = int if key == "epoch" else float
            columns.setdefault(key, []).append(None if value == "" else cast(value))
    return columns


# What a training file records of wall time, which differs between two runs of the same job: the
# digests leave it out, so that a re-run writes a byte-identical model.npz.
TIMING = "seconds"


def timeless_digest(data, name):
    """SHA-256 (hex) of a training file's bytes `data` but its timing: `name` ending ``.csv``, a
    history without its ``seconds`` column; ``.json``, metrics without their ``seconds`` key."""
    try:
        if name.endswith(".json"):
            document = json.loads(data)
            if isinstance(document, dict):
                document.pop(TIMING, None)
            data = json.dumps(document, sort_keys=True).encode()
        elif name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode())))
            keep = [i for i, column in enumerate(rows[0] if rows else []) if column != TIMING]
            data = "\n".join(",".join(row[i] for i in keep if i < len(row)) for row in rows).encode()
    except (ValueError, UnicodeDecodeError):  # not such a file at all: its bytes, which match no record
        pass
    return hashlib.sha256(data).hexdigest()


def file_digest(path):
    """:func:`timeless_digest` of the file at `path`."""
    with open(path, "rb") as f:
        return timeless_digest(f.read(), str(path))


def checked_beside_model(path, key, what):
    """The bytes of the file at `path` (`what` it is), once the ``model.npz`` beside it records
    their digest under `key` (:func:`file_digest`): a file cut short, edited, or copied from
    another variant or seed is a ValueError naming it."""
    path = Path(path)
    try:
        data = path.read_bytes()
        metadata = read_metadata(path.parent / "model.npz")[0] or {}
    except (OSError, ModelFileError) as error:
        raise ValueError(f"{path}: cannot be checked against the model beside it ({error}); "
                         f"delete the variant's directory and re-run the job that makes it") from None
    if key not in metadata:
        raise ValueError(f"{path}: the model beside it records no digest of its {what} (a results tree "
                         f"written before: re-run the study, or build it anew)")
    if metadata[key] != timeless_digest(data, path.name):
        raise ValueError(f"{path}: not the {what} written with the model beside it (their digests differ): "
                         f"edited, cut short or copied from another variant or seed; {_RERUN}")
    return data


def read_checked_history(path, columns=("epoch", "val_loss")):
    """The ``history.csv`` at `path` as a DataFrame, once it is the one written beside the model
    there (:func:`checked_beside_model`) and has `columns`: not a learning curve or a "still
    improving" of another run."""
    import pandas as pd  # here: the training jobs, which import this module, need no pandas

    history = pd.read_csv(io.BytesIO(checked_beside_model(path, "history", "history")))
    missing = [column for column in columns if column not in history]
    if missing:
        raise ValueError(f"{path}: has no column {', '.join(missing)}; {_RERUN}")
    return history


def write_codes(path, codes, representation=None, dataset=None, model=None):
    """Write ``codes`` (``{"Z_train": ..., "Z_val": ..., "Z_test": ...}``) as float32 .npz, with
    their provenance: the `representation` and `dataset` they are of and the digest of the
    `model` (a ``diy`` module, None for pixels) that made them (``read_codes`` checks it)."""
    missing = [key for key in CODE_KEYS if key not in codes]
    if missing:
        raise ValueError(f"write_codes: missing {missing}")
    arrays = {key: np.asarray(codes[key], dtype=np.float32) for key in CODE_KEYS}
    for key, Z in arrays.items():
        if Z.ndim != 2:
            raise ValueError(f"write_codes: {key} must be 2-D (n, latent_dim), got shape {Z.shape}")
    arrays[PROVENANCE] = np.array(codes_provenance(arrays, representation, dataset, model))
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _text(value):
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)
