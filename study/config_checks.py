"""What a config's JSON Schema cannot say: values that pass it but not the registries or the
datasets they apply to, so that they fail before any job starts, named, and not in a job an hour
later. Each check yields problems, each a message naming its key path, e.g.
``grid.latent_dim[1] = 65: above the 64 features of digits (...)``.

The registries are imported inside the checks that read them, so that importing this module
(:mod:`study.config`, :mod:`study.targets` and, through the first, :mod:`study.settings` do)
imports no dataset, family or analysis module.
"""
import math
from collections.abc import Mapping

from study.config_schema import key_path


def non_finite(value, path=()):
    """Key paths holding NaN or an infinity: they pass every range check (any comparison with
    NaN is false), then fail much later or never."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from non_finite(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from non_finite(item, (*path, i))
    elif isinstance(value, float) and not math.isfinite(value):
        yield f"{key_path(path)} = {value}: must be a finite number"


def missing_family_axes(config):
    """A grid key missing for an axis that one of the grid's families varies."""
    from study.families import FAMILIES

    grid = config["grid"]
    for family in grid["family"]:
        for axis in FAMILIES[family].axes:
            if axis.name not in grid:
                yield f"grid.{axis.name}: missing; the {family} family varies it ({axis.description})"


def missing_per_dataset(config):
    """Settings given per dataset must give a value for each dataset studied, and name only
    registered datasets."""
    from study.datasets import DATASETS

    def walk(value, path):
        if isinstance(value, Mapping) and value and set(value) <= set(DATASETS):
            missing = [d for d in config["datasets"] if d not in value]
            if missing:
                yield (f"{key_path(path)}: no value for dataset {', '.join(missing)} (give one "
                       f"value for every dataset, or one per dataset studied)")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk(item, (*path, key))

    for key in ("training", "classifiers", "families"):
        yield from walk(config.get(key, {}), (key,))


def against_the_data(config):
    """Settings checked against every studied dataset's split sizes and classes (known from the
    registry before any file exists): the grid's latent sizes, the validation fraction, and each
    analysis section whose analysis declares a ``check``.

    Every section is checked, studied or not: an analysis may read another's section (the probe
    reads classification's ``knn_k``)."""
    from study.analyses import ANALYSES
    from study.datasets import DATASETS

    checked = [(name, section) for name, section in config["analysis"].items()
               if name in ANALYSES and ANALYSES[name].check is not None]
    for name in config["datasets"]:
        dataset = DATASETS[name]
        sizes = dataset.sizes(config["data"][name], config["splits"])
        k = dataset.n_classes
        for i, latent_dim in enumerate(config["grid"]["latent_dim"]):
            problem = latent_dim_problem(latent_dim, name)
            if problem:
                yield f"grid.latent_dim[{i}] = {latent_dim}: {problem}"
        if sizes["train"] < 5 * k or sizes["val"] < k:
            yield (f"splits.validation_fraction = {config['splits']['validation_fraction']}: leaves "
                   f"{name} with {sizes['train']} training and {sizes['val']} validation images for {k} "
                   f"classes; lower it")
        for analysis, section in checked:
            yield from ANALYSES[analysis].check(section, name, sizes, k)


def latent_dim_problem(latent_dim, name):
    """Why a code (or PCA) of `latent_dim` units is refused on the registered dataset `name`,
    or None."""
    from study.datasets import DATASETS

    n_features = math.prod(DATASETS[name].image_shape)
    if latent_dim > n_features:
        return (f"above the {n_features} features of {name} (PCA of that size cannot exist, and a "
                f"code that wide compresses nothing)")
    return None
