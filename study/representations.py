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
:func:`load_model`. Each file records which representation of which dataset it is: the model
file in its metadata (``diy.save``), the codes file in ``__provenance__`` (a JSON text: the
``representation``, the ``dataset``, the ``model``'s digest, None without a model, and the
``digest`` of the codes themselves, :func:`codes_digest`); a consumer checks what it reads
against the job's representation and the codes against the model, so a file damaged, or
copied from another variant or seed, stops the job instead of being scored.
"""
import hashlib
import json
import re
import zipfile

import numpy as np

from diy.serialization import digest, load, read_metadata
from diy.train import predict
from study.data.dataset import SPLITS
from study.results import read_npz
from study.variants import AE_VARIANT_REGEX, AEVariant

PIXELS = "pixels"
PCA_REGEX = r"pca[1-9][0-9]*"
#: Regex of every representation's name (Snakemake's wildcard constraint).
REGEX = f"{PIXELS}|{PCA_REGEX}|{AE_VARIANT_REGEX}"
CODE_KEYS = ("Z_train", "Z_val", "Z_test")
PROVENANCE = "__provenance__"
_RERUN = "delete it and re-run the job that makes it"
#: What a file from before files recorded their provenance gets told.
_OLD = f"{_RERUN} (a results tree written before: re-run the study, or build it anew)"


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


def codes_digest(codes):
    """SHA-256 (hex) of the codes ``{"Z_train": ..., ...}``: every row of each split, as float32."""
    sha = hashlib.sha256()
    for key in CODE_KEYS:
        Z = np.ascontiguousarray(codes[key], dtype=np.float32)
        sha.update(f"{key}:{Z.shape};".encode())
        sha.update(Z.tobytes())
    return sha.hexdigest()


def read_codes(path, data, latent_dim=None, *, representation=None, dataset=None, model=None):
    """The codes at `path` (``codes.npz``), checked against the dataset `data` they encode and
    against what their file records (:data:`PROVENANCE`).

    Each split must have one row per sample of ``data``'s split, `latent_dim` columns (if
    given) and only finite values; every row must be the one written (the recorded digest);
    the file must record the `representation` and `dataset` given (if given) and, with the
    `model` read beside it (a ``diy`` module), that model's digest. Anything else is a
    ValueError naming the file and what differs, since scoring the codes of another variant,
    seed or a damaged file would give a wrong answer without any error.
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
    recorded = _provenance(path, codes.get(PROVENANCE))
    if recorded.get("digest") != codes_digest(codes):
        raise ValueError(f"{path}: its rows are not the ones written (their digest differs from the "
                         f"one recorded): a damaged or altered file; {_RERUN}")
    expected = {"representation": representation, "dataset": dataset,
                "model": None if model is None else digest(model)}
    for key, value in expected.items():
        if value is not None and recorded.get(key) != value:
            what = "the model beside it" if key == "model" else f"{key} {value!r}"
            raise ValueError(f"{path}: these codes were written for {key} {recorded.get(key)!r}, not "
                             f"for {what}: a file of another variant or seed; {_RERUN}")
    if not (codes["Z_test"].std(axis=0) > 0).any():
        # Nothing to cluster or map, and t-SNE of identical points crashes the interpreter.
        raise ValueError(f"{path}: the test codes are constant; retrain the representation")
    return {key: codes[key] for key in CODE_KEYS}


def codes_provenance(codes, representation, dataset, model=None):
    """The :data:`PROVENANCE` record of `codes` (a dict of float32 arrays): the JSON text that
    :func:`study.artifacts.write_codes` stores and :func:`read_codes` checks."""
    return json.dumps({"representation": representation, "dataset": dataset,
                       "model": None if model is None else digest(model), "digest": codes_digest(codes)})


def _provenance(path, array):
    """The :data:`PROVENANCE` record of the codes file at `path` (its stored array) as a dict."""
    if array is None:
        raise ValueError(f"{path}: records no provenance (which representation, model and rows it "
                         f"holds); {_OLD}")
    try:
        recorded = json.loads(str(array))
    except ValueError:
        recorded = None
    if array.shape != () or not isinstance(recorded, dict):
        raise ValueError(f"{path}: its {PROVENANCE} is not a JSON record; {_RERUN}")
    return recorded


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


def load_model(path, representation=None, dataset=None):
    """The model at `path` (``model.npz``): a ``diy`` module mapping images to images.

    ``diy.load`` checks its parameters against the digest recorded; with `representation`
    (and `dataset`) given, the file must also record being that one, else a ValueError naming
    the file and what differs (a model of another variant or seed copied over it).
    """
    if representation is not None or dataset is not None:
        metadata = read_metadata(path)[0] or {}
        if "representation" not in metadata:
            raise ValueError(f"{path}: records no provenance (which representation it is); {_OLD}")
        for key, value in (("representation", representation), ("dataset", dataset)):
            if value is not None and metadata.get(key) != value:
                raise ValueError(f"{path}: this model was saved as {key} {metadata.get(key)!r}, not "
                                 f"{value!r}: a file of another variant or seed; {_RERUN}")
    model = load(path)
    model.eval()
    return model


def model_metadata(representation, dataset, history=None):
    """The metadata ``diy.save`` records in a representation's model file (:func:`load_model`),
    and for a trained one the digest of the ``history.csv`` written beside it
    (:func:`study.artifacts.read_checked_history`)."""
    return {"representation": representation, "dataset": dataset, **({} if history is None else {"history": history})}


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
