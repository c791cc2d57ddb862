"""MNIST: the official 60,000/10,000 train/test split, a validation split carved from train."""
from pathlib import Path

import numpy as np

from study.data.dataset import make_dataset
from study.data.idx import IDXError, read_idx
from study.data.splits import stratified_split

IMAGE_SHAPE = (28, 28)
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def read_mnist_pair(images_path, labels_path):
    """Read one images/labels pair of IDX files.

    Returns
    -------
    X : float32 ndarray of shape (n, 784), pixel / 255, in [0, 1]
    y : int64 ndarray of shape (n,), digits 0-9
    """
    images = read_idx(images_path, ndim=3)
    labels = read_idx(labels_path, ndim=1)
    if images.shape[1:] != IMAGE_SHAPE or images.dtype != np.uint8:
        raise IDXError(f"{images_path}: expected uint8 images of {IMAGE_SHAPE}, got "
                       f"{images.dtype} {images.shape[1:]}")
    if labels.shape[0] != images.shape[0]:
        raise IDXError(f"{labels_path}: {labels.shape[0]} labels for {images.shape[0]} images "
                       f"in {images_path}")
    if labels.size and labels.max() > 9:
        raise IDXError(f"{labels_path}: labels must be digits 0-9, found {labels.max()}")
    X = images.reshape(len(images), -1).astype(np.float32)
    X /= 255
    return X, labels.astype(np.int64)


def build_mnist(raw_dir, validation_fraction, seed):
    """The MNIST dataset dict (layout of :mod:`study.data.dataset`) from the four IDX files.

    Parameters
    ----------
    raw_dir : path
        Directory holding the four files named in ``FILES`` (uncompressed or gzip).
    validation_fraction : float
        Fraction of the official training set held out, stratified, for validation.
    seed : int
        Seeds the validation split.
    """
    raw_dir = Path(raw_dir)
    X_train, y_train = read_mnist_pair(*(raw_dir / f for f in FILES["train"]))
    X_test, y_test = read_mnist_pair(*(raw_dir / f for f in FILES["test"]))
    train, val = stratified_split(y_train, validation_fraction, np.random.default_rng(seed))
    return make_dataset(
        IMAGE_SHAPE,
        (X_train[train], y_train[train]),
        (X_train[val], y_train[val]),
        (X_test, y_test),
    )
