"""The files a training job writes, and writing several of them as one atomic step.

- ``history.csv``: one row per epoch, the columns given (``epoch,train_loss,val_loss,seconds``
  for autoencoders; classifiers add ``val_accuracy``), floats written by ``repr`` so a file
  read back gives the very numbers trained;
- ``codes.npz``: ``Z_train, Z_val, Z_test``, float32 of shape (n, latent_dim), and
  ``__provenance__``: which representation of which dataset, from which model, and the
  codes' digest (:mod:`study.representations`).
"""
import contextlib
import csv

import numpy as np

from diy.atomic import atomic_path
from study.representations import CODE_KEYS, PROVENANCE, codes_provenance

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
