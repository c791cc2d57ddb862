"""The dataset file layout every stage reads: ``data/{dataset}.npz``.

Keys ``X_train, y_train, X_val, y_val, X_test, y_test`` and ``image_shape``:

- ``X_*`` : float32 ndarray of shape (n, n_features), finite values in [0, 1], images flattened
  in C order;
- ``y_*`` : int64 ndarray of shape (n,), class labels ``0 .. n_classes - 1``, every one of them
  present in ``y_train`` (a class first seen at validation or test time cannot be learned);
- ``image_shape`` : int64 ndarray, e.g. ``[28, 28]``, with ``prod(image_shape) == n_features``.

Stored uncompressed (loading is then a plain read) and without pickles.
"""
import logging
import zipfile
import zlib
from pathlib import Path

import numpy as np

from diy.atomic import atomic_path
from diy.serialization import npz_headers

log = logging.getLogger(__name__)

SPLITS = ("train", "val", "test")
KEYS = tuple(f"{a}_{s}" for s in SPLITS for a in ("X", "y")) + ("image_shape",)


#: The seed from which ``binarized`` draws every split's binary images.
BINARIZATION_SEED = 0


def binarized(data):
    """`data` with each split's images drawn once as Bernoulli(pixel), from BINARIZATION_SEED
    (an independent stream per split), so every job of a study sees the same binary images.

    With ``binarize: dynamic`` (a dataset's config key) validation, codes and analyses read
    these; training draws each batch afresh from the grey training images instead
    (``diy.noise.binarize``), as Salakhutdinov & Murray's dynamic binarization does.
    """
    from diy.noise import binarize

    streams = np.random.default_rng(BINARIZATION_SEED).spawn(len(SPLITS))
    return {**data, **{f"X_{split}": binarize(data[f"X_{split}"], rng) for split, rng in zip(SPLITS, streams)}}


def check_dataset(data, source="dataset", n_classes=None):
    """Raise ValueError, naming `source` and the key, unless `data` has the layout above.

    `n_classes`, if given, is the number of classes the labels must lie in; else it is the
    number of distinct training labels (which must then be ``0 .. n_classes - 1``).
    """
    missing = [k for k in KEYS if k not in data]
    extra = [k for k in data if k not in KEYS]
    if missing or extra:
        raise ValueError(f"{source}: missing keys {missing}, unexpected keys {extra}")
    shape = np.asarray(data["image_shape"])
    if shape.dtype != np.int64 or shape.ndim != 1 or (shape < 1).any():
        raise ValueError(f"{source}: image_shape must be positive int64 sizes, got {shape!r}")
    n_features = int(np.prod(shape))
    for split in SPLITS:
        X, y = data[f"X_{split}"], data[f"y_{split}"]
        if X.dtype != np.float32 or X.ndim != 2 or X.shape[1] != n_features:
            raise ValueError(
                f"{source}: X_{split} must be float32 of shape (n, {n_features}), "
                f"got {X.dtype} {X.shape}"
            )
        if X.size:
            low, high = X.min(), X.max()  # NaN propagates to both, so they find it too
            if not (np.isfinite(low) and np.isfinite(high)):
                raise ValueError(f"{source}: X_{split} has non-finite values (NaN or inf)")
            if low < 0 or high > 1:
                raise ValueError(f"{source}: X_{split} has values outside [0, 1]")
        if y.dtype != np.int64 or y.shape != (X.shape[0],):
            raise ValueError(
                f"{source}: y_{split} must be int64 of shape ({X.shape[0]},), got {y.dtype} {y.shape}"
            )
    _check_labels(data, source, n_classes)


def _check_labels(data, source, n_classes):
    """Labels in ``0 .. n_classes - 1`` (given, or the number of distinct training labels), each seen
    in training."""
    classes = np.unique(data["y_train"])
    where = "given" if n_classes is not None else "the distinct training labels"
    n_classes = len(classes) if n_classes is None else n_classes
    for split in SPLITS:
        y = data[f"y_{split}"]
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            bad = y[(y < 0) | (y >= n_classes)][0]
            raise ValueError(f"{source}: y_{split} has label {bad}, outside 0 .. {n_classes - 1} "
                             f"({n_classes} classes, {where})")
        unseen = np.setdiff1d(y, classes)
        if unseen.size:
            raise ValueError(f"{source}: y_{split} has labels {unseen.tolist()} absent from y_train")


def save_dataset(path, data, n_classes=None):
    """Check `data` (dict of the keys above; `n_classes` as in check_dataset) and write it to
    `path` atomically."""
    check_dataset(data, source=str(path), n_classes=n_classes)
    with atomic_path(path) as tmp:
        np.savez(tmp, **{k: data[k] for k in KEYS})
    sizes = ", ".join(f"{s} {len(data[f'y_{s}'])}" for s in SPLITS)
    log.info("wrote %s: %s samples of shape %s", path, sizes, tuple(map(int, data["image_shape"])))


def load_dataset(path):
    """Read and check a dataset file; returns a dict of the keys above.

    A file that cannot be read (truncated, corrupt, or declaring arrays larger than it holds)
    raises ValueError saying to rebuild it; nothing is allocated beyond what the file holds.
    """
    try:
        npz_headers(path)
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    except FileNotFoundError:
        raise
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error) as error:
        raise ValueError(f"{path}: not a readable dataset file ({error}); delete it and rebuild it "
                         f"with: snakemake data/{Path(path).stem}.npz") from error
    check_dataset(data, source=str(path))
    return data


def make_dataset(image_shape, train, val, test):
    """The dataset dict from three ``(X, y)`` pairs.

    Parameters
    ----------
    image_shape : tuple of int
    train, val, test : tuple (X, y)
        X : float32 ndarray of shape (n, n_features), in [0, 1]; y : integer ndarray of shape (n,).
    """
    data = {"image_shape": np.asarray(image_shape, dtype=np.int64)}
    for split, (X, y) in zip(SPLITS, (train, val, test)):
        data[f"X_{split}"] = X
        data[f"y_{split}"] = np.asarray(y, dtype=np.int64)
    return data
