"""The names in a requested path, checked before any job runs.

Snakemake reads a target's path into a rule's wildcards by their shape alone (a variant name's
regex, one path segment for a dataset, an analysis or a representation); what each name says is
checked here, against the config's schema, the registries and the config, by the input
functions of the rules (workflow/rules/common.smk), which Snakemake calls while it builds the
DAG. So ``results/digits/repr/mlp_latent8_tanh_noise2_seed0/model.npz`` stops the run with
``noise 2 in results/digits/repr/mlp_latent8_tanh_noise2_seed0/: must be in [0, 1] (config key
grid.noise's schema)`` instead of training. A value the schema allows but the config's grid does
not list is accepted: that is how one target outside the grid is built.

Each function raises :class:`TargetError`, one line per problem, each naming the part, the
path (`target`) and the config key whose schema refuses it.

A path under another study's results directory (each study config sets ``results:``) is one no
rule of this study writes: :func:`other_studies` names the config that does, where Snakemake
would say only "No rule to produce" it; :func:`results_as_configs` names a result file read as a
config file (``--configfile`` takes every word after it, targets too).
"""
import os
import re

from study.config_checks import classifier_memory_problem, latent_dim_problem
from study.config_schema import item_problems
from study.representations import PCA_REGEX
from study.variants import (AE_VARIANT_REGEX, AEVariant, ClassifierVariant, family_axes, format_number,
                            long_number_problem)


class TargetError(ValueError):
    """A name in a requested path that no config could ask for."""


def dataset(name, config, target, studied=True):
    """Refuse `name` unless it is a registered dataset and, if `studied`, one of the config's
    ``datasets`` (the per-dataset settings are checked for those only)."""
    from study.datasets import DATASETS

    if name not in DATASETS:
        raise TargetError(f"dataset {name!r} in {target}: must be one of {', '.join(DATASETS)} "
                          f"(the registered datasets, study/datasets/)")
    if studied and name not in config["datasets"]:
        raise TargetError(f"dataset {name!r} in {target}: not one of this study's datasets "
                          f"({', '.join(config['datasets'])}); add it to the config key datasets")


def autoencoder(name, dataset_name, config, schema, target):
    """The :class:`AEVariant` named `name`, once every part of it is one the config's schema
    allows on `dataset_name`."""
    dataset(dataset_name, config, target)
    variant = _parse(AEVariant, name, target)
    problems = _parts(schema, "grid", target, [
        ("family", variant.family), ("latent_dim", variant.latent_dim), ("activation", variant.activation),
        *((axis, variant.setting(axis)) for axis in family_axes(variant.family)), ("seed", variant.seed)])
    problem = latent_dim_problem(variant.latent_dim, dataset_name)
    if problem and not any(line.startswith("latent_dim ") for line in problems):
        problems.append(f"latent_dim {variant.latent_dim} in {target}: {problem}")
    problems += [f"{axis} {format_number(value)} in {target}: {problem} (config key grid.{axis})"
                 for axis, value in [("latent_dim", variant.latent_dim), ("seed", variant.seed),
                                     *((axis, variant.setting(axis)) for axis in family_axes(variant.family))]
                 for problem in [long_number_problem(value)] if problem]
    if not problems:
        problem = _family_problem(variant, dataset_name, config)
        if problem:
            problems.append(f"{target}: {problem}")
    _raise(problems)
    return variant


def _family_problem(variant, dataset_name, config):
    """Why `variant`'s family cannot build it with its settings of `dataset_name`, or None."""
    from study.families import FAMILIES
    from study.settings import family_params

    check = FAMILIES[variant.family].check
    return check(variant, family_params(config["families"][variant.family], dataset_name)) if check else None


def requested(requested, results, config, schema):
    """Refuse the `requested` targets in this study's `results` whose names no rule's pattern
    reads (``vae_latent8_tanh_beta-1_seed0``: Snakemake would say only "No rule to produce" it)
    or whose parts the config could not ask for, naming the part: a representation's files
    (``{results}/{dataset}/repr/{name}/...``), a classifier's (``.../clf/{name}/...``) and an
    analysis' documents (``{results}/{dataset}/{analysis}/{representation}.json``)."""
    from study.analyses import ANALYSES
    from study.datasets import DATASETS

    results = os.path.normpath(results)
    for target in map(_relative, requested):
        if target == results or not target.startswith(results + "/"):
            continue
        parts = os.path.relpath(target, results).split("/")
        if len(parts) < 3 or parts[0] not in DATASETS:
            continue
        dataset_name, kind, name = parts[:3]
        directory = f"{results}/{dataset_name}/{kind}/{name}/"  # as the rules' input functions name it
        if kind == "repr" and len(parts) > 3:
            if name == "pixels":
                dataset(dataset_name, config, directory)
            elif re.fullmatch(PCA_REGEX, name):
                pca(int(name[3:]), dataset_name, config, schema, directory)
            elif re.fullmatch(r"pca[^_]*", name):
                raise TargetError(f"latent_dim {name[3:]!r} of {name!r} in {directory}: must be a whole number >= 1, "
                                  f"like pca8 (config key grid.latent_dim)")
            else:
                autoencoder(name, dataset_name, config, schema, directory)
        elif kind == "clf" and len(parts) > 3:
            classifier(name, dataset_name, config, schema, directory)
        elif kind in ANALYSES and len(parts) == 3 and name.endswith(".json"):
            representation(kind, name[:-len(".json")], dataset_name, config, schema, target)


def classifier(name, dataset_name, config, schema, target):
    """The :class:`ClassifierVariant` named `name`, once every part of it is one the config's
    schema allows."""
    dataset(dataset_name, config, target)
    variant = _parse(ClassifierVariant, name, target)
    problems = _parts(schema, "classifiers", target, [
        ("hidden", list(variant.hidden)), ("activation", variant.activation),
        ("dropout", variant.dropout), ("seed", variant.seed)])
    problem = classifier_memory_problem("classifiers.hidden", list(variant.hidden), config["classifiers"],
                                        dataset_name, config)
    _raise(problems + ([f"hidden {_shown(list(variant.hidden))} in {target}: {problem}"] if problem else []))
    return variant


def pca(latent_dim, dataset_name, config, schema, target):
    """Refuse PCA of `latent_dim` components unless the schema allows that latent size on
    `dataset_name`."""
    dataset(dataset_name, config, target)
    problems = _parts(schema, "grid", target, [("latent_dim", latent_dim)])
    problem = latent_dim_problem(latent_dim, dataset_name) if not problems else None
    _raise(problems + ([f"latent_dim {latent_dim} in {target}: {problem}"] if problem else []))


def analysis(name, target):
    """The registered analysis `name` (one the config's ``analyses`` may list)."""
    from study.analyses import ANALYSES

    if name not in ANALYSES:
        raise TargetError(f"analysis {name!r} in {target}: must be one of {', '.join(ANALYSES)} "
                          f"(config key analyses's schema)")
    return ANALYSES[name]


def representation(analysis_name, name, dataset_name, config, schema, target):
    """Refuse the analysis `analysis_name` of representation `name` on `dataset_name` unless
    each is one the config could ask for; returns the :class:`~study.analyses.Analysis`."""
    entry = analysis(analysis_name, target)
    dataset(dataset_name, config, target)
    if re.fullmatch(AE_VARIANT_REGEX, name) or "_latent" in name:  # parsed, to name a bad part
        autoencoder(name, dataset_name, config, schema, target)
    elif re.fullmatch(PCA_REGEX, name) and "pca" in entry.baselines:
        pca(int(name[3:]), dataset_name, config, schema, target)
    elif name not in entry.baselines or name == "pca":
        names = [f"{b}{{k}}" if b == "pca" else b for b in entry.baselines]
        raise TargetError(
            f"representation {name!r} in {target}: {analysis_name} is computed for the autoencoder "
            f"variants (like mlp_latent16_tanh_noise0.25_seed0)"
            + (f" and {', '.join(names)}" if names else "") + " only")
    return entry


def holding_study(path, directories):
    """The one of `directories` (results directories) that holds `path`, the deepest if they
    nest (``results/quick`` in ``results``), or None."""
    path = os.path.normpath(path)
    holding = [directory for directory in directories if path == directory or path.startswith(directory + "/")]
    return max(holding, key=len, default=None)


def other_studies(requested, results, studies):
    """Refuse the `requested` targets that lie in another study's results directory than this
    study's `results`; `studies` is :func:`study.config.study_results`. A target outside every results
    directory (``data/...``, a rule's name) passes."""
    results = os.path.normpath(results)
    problems = []
    for target in map(_relative, requested):
        owner = holding_study(target, [*studies, results])
        if owner is None or owner == results:
            continue
        config = studies[owner]
        how = ("without --configfile (config.yaml's study)" if config == "config.yaml"
               else f"with --configfile {config}, written after the targets")
        problems.append(f"{target}: a file of the study whose results go to {owner}/, not of this one "
                        f"({results}/): ask for it {how}")
    _raise(problems)


def outside_or_unnormal(requested):
    """Refuse the `requested` targets that lie outside the working directory
    (``../escaped/x.json``, an absolute path elsewhere), or are not written in their normal form
    (``results/quick/../digits/...``): a rule's pattern would read the ``..`` into a name, and
    write where no study's results directory is."""
    problems = []
    for target in map(str, requested):
        written = target.rstrip("/") or target
        normal = os.path.normpath(_relative(written) if os.path.isabs(written) else written)
        if os.path.isabs(normal) or normal == ".." or normal.startswith("../"):
            problems.append(f"{target}: outside the working directory; every result stays under it")
        elif not os.path.isabs(written) and normal != written:
            problems.append(f"{target}: write it as {normal} (no '.' or '..' parts)")
    _raise(problems)


def results_as_configs(configfiles, studies):
    """Refuse config files that lie in a study's results directory (`studies`: see
    :func:`study.config.study_results`): targets written after ``--configfile``, which reads every word that
    follows it as a config file."""
    configfiles = [_relative(path) for path in configfiles]
    misread = [path for path in configfiles
               if holding_study(path, studies)]
    configs = [path for path in configfiles if path not in misread]
    example = " ".join(["snakemake --cores all", *misread] + (["--configfile", *configs] if configs else []))
    _raise([f"{path}: a result file read as a config file: --configfile (like --config) takes every "
            f"word that follows it, so write the targets before it: {example}" for path in misread])


def _relative(path):
    """`path` relative to the working directory, as the results directories are, if it is there."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _parse(kind, name, target):
    try:
        return kind.parse(name)
    except ValueError as error:
        raise TargetError(f"{target}: {error}") from None


def _parts(schema, section, target, parts):
    """One line for each (key, value) of `parts` that the schema's ``{section}.{key}`` refuses."""
    return [f"{key} {_shown(value)} in {target}: {reason} (config key {section}.{key}'s schema)"
            for key, value in parts for reason in item_problems(schema, f"{section}.{key}", value)]


def _shown(value):
    """As the name writes it: ``'gelu'``, ``2``, ``0.25``, ``512-256``."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "-".join(map(str, value))
    return format_number(value)


def _raise(problems):
    if problems:
        raise TargetError("\n".join(problems))
