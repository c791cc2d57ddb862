"""Representations: what every analysis reads, all in one on-disk form.

A representation of a dataset lives in ``results/{dataset}/repr/{name}/`` and holds
``codes.npz`` (``Z_train, Z_val, Z_test``: float32, one row per sample of each split) and,
where it can map an image back to an image, ``model.npz`` (a ``diy`` model, ``diy.load``):

- ``pixels``: the images themselves (no model);
- ``pca{k}``: PCA with k components fitted on the train split, the linear autoencoder of
  latent size k; its model is the projection and back-projection as two ``Linear`` layers;
- an autoencoder variant (``mlp_latent16_tanh_noise0.25_seed0``, :mod:`study.variants`):
  its trained model, ``history.csv`` and codes.

Each is written once per dataset and read by every analysis through :func:`read_codes` and
:func:`load_model`.
"""
import re
import zipfile

import numpy as np

from diy.serialization import load
from diy.train import predict
from study.data.dataset import SPLITS
from study.results import read_npz
from study.variants import AE_VARIANT_REGEX, AEVariant

PIXELS = "pixels"
PCA_REGEX = r"pca[1-9][0-9]*"
#: Regex of every representation's name (Snakemake's wildcard constraint).
REGEX = f"{PIXELS}|{PCA_REGEX}|{AE_VARIANT_REGEX}"
CODE_KEYS = ("Z_train", "Z_val", "Z_test")


def pca_name(latent_dim):
    return f"pca{int(latent_dim)}"


def describe(name):
    """The columns a table gives a representation (or an analysis' own baseline, such as
    ``noisy``): ``method`` (``autoencoder``, ``pca``, ``pixels`` or the baseline's name) and
    ``family, latent_dim, activation, noise, seed`` (None where they do not apply; PCA's
    ``latent_dim`` is its number of components)."""
    head = dict(method=name, family=None, latent_dim=None, activation=None, noise=None, seed=None)
    if re.fullmatch(PCA_REGEX, name):
        head.update(method="pca", latent_dim=int(name[3:]))
    elif re.fullmatch(AE_VARIANT_REGEX, name):
        variant = AEVariant.parse(name)
        head.update(method="autoencoder", family=variant.family, latent_dim=variant.latent_dim,
                    activation=variant.activation, noise=variant.noise, seed=variant.seed)
    return head


def read_codes(path, data, latent_dim=None):
    """The codes at `path` (``codes.npz``), checked against the dataset `data` they encode.

    Each split must have one row per sample of ``data``'s split, `latent_dim` columns (if
    given) and only finite values; anything else is a ValueError naming the file, since
    scoring the codes of another variant or a truncated file would give a wrong answer
    without any error.
    """
    try:
        codes = read_npz(path)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: not a readable codes file ({error}); delete it and re-run "
                         f"the job that makes it") from None
    for key, split in zip(CODE_KEYS, SPLITS):
        Z, n = codes.get(key), len(data[f"y_{split}"])
        if Z is None or Z.ndim != 2 or len(Z) != n:
            raise ValueError(f"{path}: {key} must have {n} rows (the {split} split), got "
                             f"{None if Z is None else Z.shape}")
        if latent_dim is not None and Z.shape[1] != latent_dim:
            raise ValueError(f"{path}: {key} has {Z.shape[1]} columns, the representation's size is "
                             f"{latent_dim}: codes of another representation?")
        if not np.isfinite(Z).all():
            raise ValueError(f"{path}: {key} has non-finite values")
    if not (codes["Z_test"].std(axis=0) > 0).any():
        # Nothing to cluster or map, and t-SNE of identical points crashes the interpreter.
        raise ValueError(f"{path}: the test codes are constant; retrain the representation")
    return {key: codes[key] for key in CODE_KEYS}


def check_codes_match(path, codes, data, model=None, rows=32):
    """Raise ValueError naming `path` unless the first `rows` codes of each split are what
    `model`'s encoder (or, without a model, the pixels themselves) gives for those images:
    codes of another representation, or rows out of order, would otherwise be scored as if
    they were this one's."""
    for key, split in zip(CODE_KEYS, SPLITS):
        X = data[f"X_{split}"][:rows]
        expected = X if model is None else predict(model.encoder, X.astype(np.float32))
        Z = codes[key][:rows]
        scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
        if Z.shape != expected.shape or not np.allclose(Z, expected, rtol=1e-4, atol=1e-4 * scale):
            raise ValueError(f"{path}: {key} is not what the representation gives for the first "
                             f"{len(X)} images of the {split} split (codes of another representation, "
                             f"or rows out of order?); delete it and re-run the job that makes it")


def load_model(path):
    """The model at `path` (``model.npz``): a ``diy`` module mapping images to images."""
    model = load(path)
    model.eval()
    return model


def reconstruct(model, X, batch_size=1024):
    """(n, d) -> (n, d) float32: the model's output, clipped to the pixel range [0, 1].

    Clipping is a projection onto the box that holds every clean image, so it can only lower
    an error; it is a no-op for an autoencoder ending in a sigmoid and matters for PCA.
    """
    X = np.asarray(X, dtype=np.float32)
    return np.clip(predict(model, X, batch_size=batch_size), 0.0, 1.0).astype(np.float32, copy=False)


def encode_splits(encoder, data, dtype=np.float32):
    """``{"Z_train": ..., "Z_val": ..., "Z_test": ...}``: float32 codes of each split."""
    encoder.eval()
    return {f"Z_{split}": predict(encoder, data[f"X_{split}"].astype(dtype, copy=False))
            .astype(np.float32, copy=False) for split in SPLITS}
