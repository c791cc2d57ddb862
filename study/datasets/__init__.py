"""The datasets registry: one module per dataset, each declaring ``DATASET = Dataset(...)``.

A dataset says how ``data/{name}.npz`` (layout: :mod:`study.data.dataset`) is built, which raw
files it downloads first (an IDX dataset: names, SHA-256, sizes, mirrors), and the JSON Schema
of its own config section ``data.{name}``. The workflow's download and prepare rules, the
config schema and the per-dataset resources are derived from this registry; nothing else
names a dataset.
"""
import sys
from dataclasses import dataclass, field
from typing import Callable

from study.registry import discover


@dataclass(frozen=True)
class Dataset:
    """One dataset of the study.

    name : str, as in ``datasets:`` and in paths (``data/{name}.npz``).
    n_classes : int, the labels are 0 .. n_classes - 1 (checked when the file is written).
    image_shape : tuple of int, e.g. ``(28, 28)``: the number of features is its product.
    sizes : callable ``(settings, splits) -> {"train": n, "val": n, "test": n}``, the split
        sizes the build will give, known before any file exists (the config check uses them).
    build : callable ``(raw_dir, settings, splits) -> dict`` in the layout of
        :mod:`study.data.dataset`; ``raw_dir`` holds the downloaded ``files`` (None if there are
        none), ``settings`` is the config's ``data.{name}`` section, ``splits`` its ``splits``.
    files : dict, raw file name -> ``(sha256 of the decompressed bytes, decompressed size)``;
        each is fetched into ``data/{name}/raw/`` by the download rule.
    schema : dict, the JSON Schema ``properties`` of the section ``data.{name}``.
    mirror_env : str or None, an environment variable naming a mirror tried first.
    """

    name: str
    n_classes: int
    image_shape: tuple
    sizes: Callable
    build: Callable
    files: dict = field(default_factory=dict)
    schema: dict = field(default_factory=dict)
    mirror_env: str = None


#: Keys of a dataset's section that say where its files come from, not what they hold:
#: changing them does not rebuild the dataset.
DOWNLOAD_KEYS = ("mirrors", "timeout", "retries")
#: Keys of every dataset's section that change how the file is read, not what it holds
#: (``binarize``: study.data.dataset.binarized), so not the file either.
READ_KEYS = ("binarize",)
#: Their schema, added to every registered dataset's section (study.config.load_schema).
READ_SCHEMA = {"binarize": {
    "type": "string", "enum": ["none", "dynamic"],
    "description": "none: grey pixels | dynamic: each training batch drawn as Bernoulli(pixel), the "
                   "splits binarized once from a fixed seed for validation, codes and analyses "
                   "(how published VAE likelihoods on MNIST are measured)."}}


def build_settings(section):
    """The part of a dataset's config section that its content depends on."""
    return {key: value for key, value in sorted(section.items()) if key not in DOWNLOAD_KEYS + READ_KEYS}


#: name -> Dataset, every module of this package.
DATASETS = discover(sys.modules[__name__], "DATASET", {})
