"""Datasets shipped as four IDX files (MNIST's format): train and test images and labels.

``idx_dataset(...)`` declares one: the files' names, SHA-256 and sizes, the image shape, the
number of classes and the mirrors tried by default. The official test split is kept; the
validation split is carved, stratified and seeded, from the training images. Pixels are
divided by 255 into [0, 1].
"""
from pathlib import Path

import numpy as np

from study.data.dataset import make_dataset
from study.data.idx_format import IDXError, read_idx
from study.data.splits import stratified_split
from study.datasets import Dataset

#: JSON Schema of the config section of a downloaded dataset: where its files come from.
DOWNLOAD_SCHEMA = {
    "mirrors": {"type": "array", "items": {"type": "string", "minLength": 1},
                "description": "Base URLs (http, https, file) or local directories holding NAME.gz "
                               "or NAME, tried in order after the mirror of the environment variable."},
    "timeout": {"type": "number", "exclusiveMinimum": 0,
                "description": "Seconds allowed to connect and for each read."},
    "retries": {"type": "integer", "minimum": 0,
                "description": "Extra attempts per mirror after a timeout, connection or server error."},
}


def read_pair(images_path, labels_path, image_shape, n_classes):
    """Read one images/labels pair of IDX files.

    Returns
    -------
    X : float32 ndarray of shape (n, prod(image_shape)), pixel / 255, in [0, 1]
    y : int64 ndarray of shape (n,), classes 0 .. n_classes - 1
    """
    images = read_idx(images_path, ndim=1 + len(image_shape))
    labels = read_idx(labels_path, ndim=1)
    if images.shape[1:] != tuple(image_shape) or images.dtype != np.uint8:
        raise IDXError(f"{images_path}: expected uint8 images of {tuple(image_shape)}, got "
                       f"{images.dtype} {images.shape[1:]}")
    if labels.shape[0] != images.shape[0]:
        raise IDXError(f"{labels_path}: {labels.shape[0]} labels for {images.shape[0]} images "
                       f"in {images_path}")
    if labels.size and labels.max() >= n_classes:
        raise IDXError(f"{labels_path}: labels must be classes 0-{n_classes - 1}, found {labels.max()}")
    X = images.reshape(len(images), -1).astype(np.float32)
    X /= 255
    return X, labels.astype(np.int64)


def idx_dataset(name, *, train, test, image_shape, n_classes, mirrors=(), mirror_env=None):
    """Declare an IDX dataset.

    train, test : pairs ``((images file, sha256, size), (labels file, sha256, size))``, the
        sizes in bytes of the decompressed files.
    image_shape : tuple of int, e.g. ``(28, 28)``.
    mirrors : the default of ``data.{name}.mirrors`` (documented in config.yaml).
    """
    files = {file: (sha256, size) for file, sha256, size in (*train, *test)}
    (train_images, _, _), (train_labels, _, n_train) = train
    (test_images, _, _), (test_labels, _, n_test) = test
    # A labels file is an 8-byte header and one byte per sample.
    n_train, n_test = n_train - 8, n_test - 8

    def sizes(settings, splits):
        val = round(splits["validation_fraction"] * n_train)
        return {"train": n_train - val, "val": val, "test": n_test}

    def build(raw_dir, settings, splits):
        raw_dir = Path(raw_dir)
        X_train, y_train = read_pair(raw_dir / train_images, raw_dir / train_labels, image_shape, n_classes)
        X_test, y_test = read_pair(raw_dir / test_images, raw_dir / test_labels, image_shape, n_classes)
        kept, held = stratified_split(y_train, splits["validation_fraction"],
                                      np.random.default_rng(splits["seed"]))
        return make_dataset(image_shape, (X_train[kept], y_train[kept]), (X_train[held], y_train[held]),
                            (X_test, y_test))

    return Dataset(name, n_classes, tuple(image_shape), sizes, build, files, DOWNLOAD_SCHEMA, mirror_env)
