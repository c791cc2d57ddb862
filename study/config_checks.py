"""What a config's JSON Schema cannot say: values that pass it but not the registries or the
datasets they apply to, so that they fail before any job starts, named, and not in a job an hour
later. Each check yields problems, each a message naming its key path, e.g.
``grid.latent_dim[1] = 65: above the 64 features of digits (...)``.

The registries are imported inside the checks that read them, so that importing this module
(:mod:`study.config`, :mod:`study.targets` and, through the first, :mod:`study.settings` do)
imports no dataset, family or analysis module.
"""
import math
import os
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


def machine_bytes():
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def memory_problem(key, value, needed):
    """Why the setting `key` = `value`, whose job would hold arrays of `needed` bytes, is refused:
    more than the machine's memory; or None."""
    held = machine_bytes()
    if needed > held:
        return (f"{key} = {value}: would need {needed / 2 ** 30:.1f} GiB of arrays, more than this "
                f"machine's {held / 2 ** 30:.1f} GiB of memory")
    return None


def network_bytes(widths, batch, itemsize):
    """Bytes that training a fully connected network of layer `widths` (input first) on batches
    of `batch` holds, about: the weights, their gradients and Adam's two moments, and each
    layer's outputs and deltas for a batch (twice over, for the caches the layers keep)."""
    weights = sum(a * b + b for a, b in zip(widths, widths[1:]))
    return itemsize * (4 * weights + 4 * batch * sum(widths))


def conv_bytes(image_shape, channels, kernel, stride, latent_dim, batch, itemsize):
    """As :func:`network_bytes`, for the conv family's network (study.families.conv): each
    Conv2D's kernel and its unfolded input (kernel^2 input channels per output pixel), mirrored by
    the decoder, and the code layers."""
    from study.families.conv import feature_sizes

    sides = [max(side, 1) for side in feature_sizes(min(image_shape), len(channels), kernel, stride)]
    weights = activations = 0
    for c_in, c_out, side in zip([1, *channels], channels, sides[1:]):
        weights += c_in * c_out * kernel * kernel + c_out
        activations += side * side * (c_out + kernel * kernel * c_in)
    weights += 2 * sides[-1] ** 2 * channels[-1] * (latent_dim + 1)
    return itemsize * (2 * 4 * weights + 2 * 4 * batch * activations)


def conv_geometry_problem(image_shape, settings, name):
    """Why the conv family's Conv2D layers (``channels``, ``kernel``, ``stride`` of `settings`)
    cannot map the images of `image_shape` of dataset `name` (an even kernel shrinks a side by
    more than its stride), or None."""
    from study.families.conv import feature_sizes

    sides = feature_sizes(min(image_shape), len(settings["channels"]), settings["kernel"], settings["stride"])
    if min(sides) < 1:
        return (f"{len(settings['channels'])} Conv2D of kernel {settings['kernel']} and stride {settings['stride']} "
                f"leave nothing of a {image_shape[0]}x{image_shape[1]} image of {name} (sides {sides}); use fewer "
                f"channels or an odd kernel")
    return None


def network_problems(config):
    """The networks the study trains that cannot be built (the conv family's layers leave nothing
    of an image) or would not fit in the machine's memory (their weights, gradients, optimizer
    state and a batch's activations: :func:`network_bytes`): each family's autoencoders of the
    grid's largest code, the raw-pixel classifiers and classification's MLP, for each studied
    dataset."""
    import numpy as np

    from study.datasets import DATASETS
    from study.settings import family_params

    grid, training, itemsize = config["grid"], config["training"], np.dtype(config["training"]["dtype"]).itemsize
    for name in config["datasets"]:
        dataset = DATASETS[name]
        d, train = math.prod(dataset.image_shape), dataset.sizes(config["data"][name], config["splits"])["train"]
        batch = min(training["batch_size"], train)
        latent = max(grid["latent_dim"])
        for family in grid["family"]:
            settings = family_params(config["families"][family], name)
            if "channels" in settings:
                problem = conv_geometry_problem(dataset.image_shape, settings, name)
                if problem:
                    yield f"families.{family}.kernel = {settings['kernel']}: {problem}"
                    continue
                key, value = f"families.{family}.channels", settings["channels"]
                needed = conv_bytes(dataset.image_shape, value, settings["kernel"], settings["stride"], latent, batch,
                                    itemsize)
            else:
                key, value = f"families.{family}.hidden", settings.get("hidden", [])
                needed = network_bytes([d, *value, latent, *value[::-1], d], batch, itemsize)
            problem = memory_problem(key, value, needed)
            if problem:
                yield f"{problem} (the {family} autoencoder of latent size {latent} on {name})"
        for i, hidden in enumerate(config["classifiers"]["hidden"]):
            problem = classifier_memory_problem(f"classifiers.hidden[{i}]", hidden, config["classifiers"], name, config)
            if problem:
                yield problem
        mlp = config["analysis"]["classification"]["mlp"]
        problem = classifier_memory_problem("analysis.classification.mlp.hidden", mlp["hidden"], mlp, name, config)
        if problem:
            yield problem


def classifier_memory_problem(key, hidden, section, name, config):
    """Why a float32 MLP classifier of `hidden` layers (config key `key`; ``batch_size`` of
    `section`) on the pixels of the registered dataset `name` would not fit in the machine's
    memory, or None."""
    from study.datasets import DATASETS

    dataset = DATASETS[name]
    train = dataset.sizes(config["data"][name], config["splits"])["train"]
    needed = network_bytes([math.prod(dataset.image_shape), *hidden, dataset.n_classes],
                           min(section["batch_size"], train), 4)
    problem = memory_problem(key, hidden, needed)
    return f"{problem} (a classifier of the pixels of {name})" if problem else None


def long_numbers(config):
    """The numbers of the grid and of the classifiers, which name directories, that are too long
    for a name (:func:`long_number_problem`)."""
    from study.variants import long_number_problem

    for section in ("grid", "classifiers"):
        for key, values in config[section].items():
            for i, value in enumerate(values if isinstance(values, list) else [values]):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    problem = long_number_problem(value)
                    if problem:
                        yield f"{section}.{key}[{i}] = {value}: {problem}"


def unbuildable_variants(config):
    """The variants of the grid that their family cannot build with its settings of a studied
    dataset (a family's ``check``: k_sparse's k must be a whole number below the latent size)."""
    from study.families import FAMILIES
    from study.settings import family_params
    from study.variants import ae_variants

    if not any(FAMILIES[family].check for family in config["grid"]["family"]):
        return
    try:
        variants = ae_variants(config)
    except ValueError:  # values sharing a name: the workflow names them as it builds the names
        return
    problems = {}
    for variant in variants:
        check = FAMILIES[variant.family].check
        for name in config["datasets"] if check else ():
            problem = check(variant, family_params(config["families"][variant.family], name))
            if problem:
                problems.setdefault(problem, []).append(variant.name)
    for problem, names in problems.items():
        yield f"{problem} (variant {names[0]}" + (f" and {len(names) - 1} more)" if len(names) > 1 else ")")


def latent_dim_problem(latent_dim, name):
    """Why a code (or PCA) of `latent_dim` units is refused on the registered dataset `name`,
    or None."""
    from study.datasets import DATASETS

    n_features = math.prod(DATASETS[name].image_shape)
    if latent_dim > n_features:
        return (f"above the {n_features} features of {name} (PCA of that size cannot exist, and a "
                f"code that wide compresses nothing)")
    return None


def results_directory(results, studies, study="config.yaml"):
    """Why the config key ``results`` is refused: a directory outside the working directory, not
    written in its normal form (``results/quick/..``), or one that is another study's, holds one
    or lies in one; `studies` is ``{results directory: config file}`` of the repository's studies
    (:func:`study.config.study_results`), `study` the config file of this one. The default
    study's directory holds the others by design (``results/quick``), and may hold a study of
    one's own (``results/mine``)."""
    normal = os.path.normpath(results)
    if normal == ".." or normal.startswith("../"):
        yield f"results = {results!r}: outside the working directory; every result stays under it"
        return
    if normal != results:
        yield f"results = {results!r}: write it as {normal!r} (no '.' or '..' parts)"
    default = next((directory for directory, config in studies.items() if config == "config.yaml"), None)
    others = {directory: config for directory, config in studies.items() if config != study}
    own = "give this study a directory of its own (like results/mine)"
    if normal in others:
        config = others[normal]
        whose = "the default study" if config == "config.yaml" else f"the study of {config}"
        yield f"results = {results!r}: the results directory of {whose}; {own}"
        return
    if not (normal == default and study == "config.yaml"):
        held = [f"{directory}/ ({config})" for directory, config in others.items() if _inside(directory, normal)]
        if held:
            yield f"results = {results!r}: holds other studies' results, {', '.join(held)}; {own}"
    holding = [directory for directory in others if directory != default and _inside(normal, directory)]
    for directory in holding:
        yield f"results = {results!r}: inside {directory}/, the results of the study of {others[directory]}; {own}"


def _inside(path, directory):
    """Whether `path` lies strictly inside `directory` (both normalised, relative)."""
    return directory == "." and path != "." or path.startswith(directory + "/")


def question_problems(config):
    """The primary questions' metrics, each declared by a registered analysis (a study that does
    not run it does not ask it, so that narrowing ``analyses`` needs no other key), their
    margins' metrics, and the confirmation's fresh seeds, which must lie above every seed of the
    grid that chose the configurations."""
    from study.analyses import ANALYSES

    owners = {name: analysis for analysis in ANALYSES.values() for name in analysis.metrics}
    questions = config["questions"]
    for key in ("metrics", "noise"):
        for i, name in enumerate(questions[key]):
            if name not in owners:
                yield f"questions.{key}[{i}] = {name!r}: no analysis declares this metric (known: {', '.join(owners)})"
    for name, margin in questions["margins"].items():
        if name not in owners:
            yield f"questions.margins.{name}: no analysis declares this metric (known: {', '.join(owners)})"
        elif name not in questions["metrics"] + questions["noise"]:
            yield (f"questions.margins.{name}: no primary question is asked on this metric (questions.metrics, "
                   f"questions.noise), so its margin would be read by none")
        elif owners[name].metrics[name].unit_interval and margin >= 1:
            yield (f"questions.margins.{name} = {margin}: as wide as the metric's whole range [0, 1], so every "
                   f"comparison would be equivalent")
    yield from _unanswerable(config, [name for name in questions["metrics"]
                                      if name in owners and owners[name].name in config["analyses"]])
    confirm, seeds = config["confirm"], config["grid"]["seed"]
    if confirm["first_seed"] <= max(seeds):
        yield (f"confirm.first_seed = {confirm['first_seed']}: the confirmation's seeds must be fresh, above "
               f"every grid.seed (the largest: {max(seeds)})")
    last = confirm["first_seed"] + max(confirm["seeds"] or 0, confirm["max_seeds"]) - 1
    if last > 999999:
        yield f"confirm.first_seed = {confirm['first_seed']}: its last seed, {last}, lies above 999999"


def _unanswerable(config, asked):
    """The objectives' questions that the grid cannot pose (`asked`: the questions' metrics of the
    analyses the study runs): each objective is compared with the grid's first, which must be a
    plain autoencoder (no penalty, no training noise), and there must be another. (A training
    noise is compared with none where the grid trains both; a grid of one noise level, as one of
    a family without the noise axis, asks no such question, as a study asks none of an analysis
    it does not run.)"""
    from study.variants import ae_variants

    questions = config["questions"]
    if questions["versus"] != "objectives" or not asked:
        return
    try:
        variants = ae_variants(config)
    except ValueError:  # values sharing a name: the workflow names them as it builds the names
        return
    objectives = list(dict.fromkeys(variant.objective for variant in variants))
    first = next(variant for variant in variants if variant.objective == objectives[0])
    if len(objectives) < 2:
        yield (f"questions.versus = 'objectives': the grid trains one objective ({objectives[0]}), nothing to "
               f"compare it with; add families or values of their axes to grid, or ask versus: pca")
    elif first.noise or first.settings:
        yield (f"questions.versus = 'objectives': each objective is compared with the grid's first, "
               f"{objectives[0]}, which is no plain autoencoder; put a family without penalty (like mlp) "
               f"first in grid.family, and 0 first in grid.noise")
