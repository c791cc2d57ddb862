"""A config section's settings as they apply to one dataset, and a job's resources."""
import math
from collections.abc import Mapping

#: The settings of ``training`` (autoencoders) and ``classifiers`` that shape a training run.
AE_TRAINING_KEYS = ("epochs", "batch_size", "lr", "schedule", "warmup_epochs", "patience", "dtype",
                    "max_train_samples", "loss", "optimizer", "momentum")
CLASSIFIER_TRAINING_KEYS = ("epochs", "batch_size", "lr", "patience", "max_train_samples")
#: Settings added after models had been trained, at the value those models were trained with:
#: a job's params leave such a key out while it has that value (:func:`without_legacy_defaults`).
LEGACY_DEFAULTS = {"loss": "bce", "optimizer": "adam", "momentum": 0.9, "init": "default"}


def per_dataset(value, dataset):
    """A setting given once for every dataset, or as a mapping per dataset: `dataset`'s value."""
    return value[dataset] if isinstance(value, Mapping) else value


def dataset_settings(section, dataset, keys=None):
    """``{key: value}`` of `section` (all its keys, or `keys`) for `dataset`, sorted by key.

    A value may be given once for every dataset or as a mapping per dataset
    (``epochs: {digits: 500, mnist: 50}``); the latter gives `dataset`'s entry. Sorted keys
    make the result's ``repr`` (which Snakemake compares to decide on reruns) independent of
    the order the keys were written in.
    """
    return {key: per_dataset(section[key], dataset) for key in sorted(section if keys is None else keys)}


def without_legacy_defaults(settings):
    """`settings` without the keys at their ``LEGACY_DEFAULTS`` value.

    Snakemake reruns a job whose params changed. Every model was trained with these values
    before their keys existed, so leaving them out keeps those models', and their results',
    params the same; the code reading the params falls back to the same values.
    """
    return {key: value for key, value in settings.items()
            if key not in LEGACY_DEFAULTS or value != LEGACY_DEFAULTS[key]}


def training_params(section, dataset):
    """The autoencoder ``training`` settings of `dataset` that a training job's params hold,
    without the legacy defaults."""
    return without_legacy_defaults(dataset_settings(section, dataset, AE_TRAINING_KEYS))


def family_params(section, dataset):
    """The model family's settings of `dataset` that a training job's params hold, without the
    legacy defaults."""
    return without_legacy_defaults(dataset_settings(section, dataset))


def dataset_megabytes(dataset, config):
    """The size in MB of ``data/{name}.npz`` of a registered `dataset` under `config`: float32
    images and int64 labels of every split (MNIST: 220 MB, digits: 0.5 MB)."""
    n = sum(dataset.sizes(config["data"][dataset.name], config["splits"]).values())
    return n * (4 * math.prod(dataset.image_shape) + 8) / 1e6


def runtime_minutes(epochs, dataset_mb):
    """A generous time limit (Snakemake's ``runtime`` resource) for training on a dataset file.

    0.1 s per MB of dataset per epoch (MNIST: 220 MB, measured 7 s per epoch on one idle core
    of the reference machine, so ~3x slack for a busy one), plus 5 minutes for loading and
    encoding.
    """
    return 5 + int(epochs * dataset_mb * 0.1 / 60)


def memory_mb(dataset_mb):
    """Memory of a job that loads a dataset (Snakemake's ``mem_mb``): the dataset, a float64 copy
    of a split or two, Python, NumPy, scikit-learn and openTSNE. Measured peaks on MNIST (220 MB)
    in the default study: 885 MB (classification on raw pixels), 745 MB (reconstruction), 332 MB
    (training); this gives 1,160 MB. On digits a t-SNE job (openTSNE alone: 154 MB) peaked at
    424 MB under SLURM's memory accounting; this gives 501 MB."""
    return 500 + int(3 * dataset_mb)
