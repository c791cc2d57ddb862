"""Load and validate the study's configuration.

The defaults are written once, in the repository's ``config.yaml``; a study's own config (a
``--configfile``, ``--config`` values) is merged over them (:func:`merge`). The JSON Schema
(``workflow/schemas/config.schema.yaml``) gives types, ranges and descriptions only; the
sections of the registered datasets (``data.{name}``), model families (``families.{name}``)
and analyses (``analysis.{name}``) are added to it from the registries (:func:`load_schema`),
so it names none of them.

Validation returns a new dict in which numbers written as strings (YAML 1.1 reads ``1e-3`` as
a string) are numbers wherever the schema asks for a number or an integer, and integral floats
are ints where it asks for an integer (:mod:`study.config_schema`); or raises
:class:`ConfigError` listing every problem, each naming its key path, e.g.
``config: grid.noise[2] = 1.5: must be in [0, 1]``: the schema's, then those of values the
schema lets pass but the registries or the datasets do not (:mod:`study.config_checks`).
"""
import copy
import os
from collections.abc import Mapping

import jsonschema
import yaml

from study.config_checks import (against_the_data, long_numbers, missing_family_axes, missing_per_dataset,
                                 network_problems, non_finite, question_problems, results_directory,
                                 unbuildable_variants)
from study.config_schema import describe, normalise


class ConfigError(ValueError):
    """The configuration does not satisfy the schema; the message names each offending key."""


def read_yaml(path):
    """A YAML file as Python values; a missing file, or a syntax error, is a ConfigError naming
    the file (and the line)."""
    try:
        with open(path) as f:
            return yaml.safe_load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(error, 'problem', error)}") from None


def load_schema(path):
    """The schema file (YAML) with the sections of every registered dataset, model family and
    analysis filled in from the registries."""
    from study.analyses import ANALYSES
    from study.datasets import DATASETS, READ_SCHEMA
    from study.families import FAMILIES

    schema = read_yaml(path)
    properties = schema["properties"]
    schema["$defs"]["dataset"]["enum"] = list(DATASETS)
    properties["grid"]["properties"]["family"]["items"]["enum"] = list(FAMILIES)
    for axis in {axis.name: axis for family in FAMILIES.values() for axis in family.axes}.values():
        properties["grid"]["properties"].setdefault(axis.name, {
            "description": axis.description, "type": "array", "minItems": 1, "uniqueItems": True,
            "items": axis.items})
    properties["analyses"]["items"]["enum"] = list(ANALYSES)
    for key, registry in (("data", DATASETS), ("families", FAMILIES), ("analysis", ANALYSES)):
        properties[key].setdefault("properties", {}).update(
            {name: _section(entry.schema, READ_SCHEMA if key == "data" else {})
             for name, entry in registry.items()})
    return schema


def _section(properties, optional=None):
    """A registered entry's config section: its own `properties`, all required, and the
    `optional` ones every entry of its kind may set (a dataset's ``binarize``)."""
    return {"type": "object", "additionalProperties": False, "properties": {**properties, **(optional or {})},
            "required": list(properties)}


def merge(base, override):
    """`base` with `override` merged in, recursively for mappings (a list or a number replaces)."""
    if not isinstance(base, Mapping) or not isinstance(override, Mapping):
        return copy.deepcopy(override)
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        merged[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
    return merged


def load_config(path, schema, defaults=None):
    """Read the YAML config at `path`, merge it over `defaults` and validate it."""
    return validate_config(read_yaml(path), schema, source=str(path), defaults=defaults)


def validate_config(config, schema, source="config", defaults=None, studies=None, study="config.yaml"):
    """Merge `config` over `defaults`, coerce numbers and check the result against `schema`.

    Parameters
    ----------
    config : mapping or None
        As read from YAML and merged with command-line overrides; not modified.
    schema : mapping
        A JSON Schema (draft 2020-12), as from :func:`load_schema`.
    source : str
        Prefix of every error line.
    defaults : mapping or None
        The repository's config.yaml, under `config`.
    studies : mapping or None
        ``{results directory: config file}`` of the repository's studies
        (:func:`study_results`): the key ``results`` must be none of theirs, nor
        hold one, nor lie in one, but the default study's (:func:`results_directory`).
    study : str
        This study's config file among `studies`' (config.yaml's for a config of one's own).

    Returns
    -------
    dict, the normalised config.

    Raises
    ------
    ConfigError
    """
    merged = merge(defaults or {}, {} if config is None else config)
    normalised = normalise(merged, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(normalised), key=lambda e: list(map(str, e.absolute_path)))
    problems = [f"{source}: {describe(e)}" for e in errors]
    problems += [f"{source}: {problem}" for problem in non_finite(normalised)]
    if isinstance(normalised.get("results"), str) and not any(" results" in p for p in problems):
        problems += [f"{source}: {problem}" for problem in results_directory(normalised["results"], studies or {}, study)]
    # Each later check reads keys that the earlier ones have found present and well-formed.
    for check in (missing_family_axes, missing_per_dataset, long_numbers, against_the_data, unbuildable_variants,
                  network_problems, question_problems):
        if not problems:
            problems += [f"{source}: {problem}" for problem in check(normalised)]
    if problems:
        raise ConfigError("\n".join(problems))
    return normalised


def study_results(repository):
    """``{results directory: config file}`` of the repository's studies: ``config.yaml``'s and
    each ``workflow/configs/*.yaml``'s ``results:`` key, the config file relative to
    `repository` (a :class:`pathlib.Path`)."""
    studies = {}
    for path in [repository / "config.yaml", *sorted((repository / "workflow" / "configs").glob("*.yaml"))]:
        results = (read_yaml(path) or {}).get("results")
        if isinstance(results, str):
            studies.setdefault(os.path.normpath(results), path.relative_to(repository).as_posix())
    return studies


def this_study(configfiles, repository, studies):
    """The config file, as `studies` (:func:`study_results`) names it, of the study that the
    `configfiles` (``--configfile``'s) run: the last that is one of the repository's studies, or
    that sets one's ``results`` directory (a copy of a study config, changed: that study again);
    else ``config.yaml`` (a config of one's own is merged over the default study's)."""
    names = set(studies.values())
    study = "config.yaml"
    for path in configfiles:
        relative = os.path.relpath(os.path.abspath(path), repository).replace(os.sep, "/")
        if relative in names:
            study = relative
            continue
        results = (read_yaml(path) or {}).get("results") if os.path.isfile(path) else None
        if isinstance(results, str) and os.path.normpath(results) in studies:
            study = studies[os.path.normpath(results)]
    return study


def main(argv=None):
    """``python -m study.config [STUDY.yaml ...]``: check study configs before any run.

    Snakemake reads a ``--configfile`` itself, and a YAML syntax error there is reported without
    the file's name or the line; this reads each file as the workflow would (merged over the
    repository's config.yaml) and names the file, the line, or the key of every problem. Returns
    the exit status: 0 if every file is valid, 2 otherwise.
    """
    import argparse
    import sys
    from pathlib import Path

    from study.extensions import load_extensions

    repository = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(
        prog="python -m study.config",
        description="Check study configs as the workflow reads them: each merged over the "
                    "repository's config.yaml and validated against the schema, every problem "
                    "named by its file and line or its key.",
        epilog="Exit status: 0 if every file is valid, 2 otherwise.")
    parser.add_argument("configs", nargs="*", metavar="STUDY.yaml",
                        help="a study config (default: the repository's config.yaml)")
    args = parser.parse_args(argv)
    defaults = read_yaml(repository / "config.yaml")
    schema = load_schema(repository / "workflow" / "schemas" / "config.schema.yaml")
    studies = study_results(repository)
    status = 0
    for path in args.configs or [repository / "config.yaml"]:
        try:
            study = read_yaml(path)
            load_extensions(merge(defaults, study or {}).get("extensions", []))
            validate_config(study, schema, source=str(path), defaults=defaults, studies=studies,
                            study=this_study([path], repository, studies))
            print(f"{path}: valid")
        except ValueError as error:  # ConfigError is one
            print(error, file=sys.stderr)
            status = 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())
