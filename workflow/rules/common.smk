# The study's configuration, its grid and the helpers every stage's rules share. Included
# first by the Snakefile. The lists below are derived from the registries (study.datasets,
# study.families, study.analyses) and the config; no rule names a dataset or an analysis.

import inspect
import json
import os
import shlex
import sys

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.settings.types import DeploymentMethod

from study.analyses import ANALYSES as REGISTERED_ANALYSES
from study.config import load_schema, merge, read_yaml, validate_config
from study.datasets import DATASETS as REGISTERED_DATASETS
from study.failures import read_failures
from study.provenance import lock_differences
from study.registry import EXTENSIONS_VARIABLE, load_extensions
from study.report import rebuild_command
from study.representations import REGEX as REPRESENTATION_REGEX, pca_name
from study.settings import dataset_megabytes, dataset_settings, family_params, memory_mb, runtime_minutes, training_params
from study.variants import AEVariant, ae_variants, classifier_variants

try:
    # config.yaml holds every default; a --configfile or --config is merged over it.
    _defaults = read_yaml(workflow.source_path("../../config.yaml"))
    load_extensions(merge(_defaults, config).get("extensions", []))
    _validated = validate_config(
        config, load_schema(workflow.source_path("../schemas/config.schema.yaml")), defaults=_defaults
    )
    # Variant names for paths; built here so that grid values sharing a name also stop the
    # run before any job.
    AE_VARIANTS = [variant.name for variant in ae_variants(_validated)]
    CLASSIFIER_VARIANTS = [variant.name for variant in classifier_variants(_validated)]
except ValueError as error:  # study.config.ConfigError is one
    raise WorkflowError(f"invalid configuration:\n{error}") from None
# In place, so whatever holds Snakemake's config dict (scripts get it as snakemake.config)
# sees the normalised values: numbers as numbers, defaults filled in.
config.clear()
config.update(_validated)

# The numbers of the README come from the locked versions: say so if these differ.
_differences = lock_differences(workflow.source_path("../../requirements.lock"))
if _differences:
    logger.warning(f"Installed versions differ from requirements.lock: {', '.join(_differences)}; "
                   "numbers may differ from the README's (pip install -r requirements.lock)")

DATASETS = config["datasets"]
# The analyses this study runs, in the config's order.
ANALYSES = {name: REGISTERED_ANALYSES[name] for name in config["analyses"]}
# Where this study's results, logs and benchmarks go: a study config sets its own.
R = config["results"]
# Variants whose training failed in an earlier run (study.failures): {dataset: {variant: why}}.
# They are retrained by the default target, but left out of analyses and tables until they
# succeed, and the summary lists them.
FAILED = {dataset: read_failures(f"{R}/{dataset}/failed") for dataset in DATASETS}


def trained(variants, dataset):
    """`variants` less those that failed on `dataset`."""
    return [variant for variant in variants if variant not in FAILED[dataset]]


# PCA with as many components as each latent size of the grid: the linear autoencoder.
PCA = [pca_name(latent_dim) for latent_dim in config["grid"]["latent_dim"]]

# What the default target (all) builds: each stage's .smk adds what no later stage reads (the
# aggregates read every analysis, and through them every model).
ALL_TARGETS = []


def of_wildcards(function):
    """`function` (of a job's wildcards: an input, params, threads or resources function), its
    signature worked out once.

    Snakemake reads the signature of each such function, to know which arguments to pass, two
    or three times for every job it plans, and inspect.signature returns a function's
    __signature__ as it is: decorating the functions of the rules with many jobs takes 0.3 s
    off a 7,060-job dry run (bench/dry_run.py; 10.3 s to 10.0, medians of 5).
    """
    function.__signature__ = inspect.signature(function)
    return function


# The size of each data/{dataset}.npz, known from the registry before the file exists (and
# without asking the file system once per job, which a dry run of a large grid would feel).
DATA_MB = {dataset: dataset_megabytes(REGISTERED_DATASETS[dataset], config) for dataset in DATASETS}


@of_wildcards
def dataset_memory(wildcards):
    """mem_mb of a job that loads data/{dataset}.npz: from the data's size, not the dataset's name."""
    return memory_mb(DATA_MB[wildcards.dataset])


# -- data (data.smk) ---------------------------------------------------------------------
RAW_FILES = sorted({file for entry in REGISTERED_DATASETS.values() for file in entry.files})


def raw_files(wildcards):
    return expand(
        "data/{dataset}/raw/{file}",
        dataset=wildcards.dataset,
        file=REGISTERED_DATASETS[wildcards.dataset].files,
    )


def download_settings(wildcards):
    dataset, section = REGISTERED_DATASETS[wildcards.dataset], config["data"][wildcards.dataset]
    return {
        "expected": {wildcards.file: list(dataset.files[wildcards.file])},
        "mirrors": section["mirrors"],
        "mirror_env": dataset.mirror_env,
        "timeout": section["timeout"],
        "retries": section["retries"],
    }


# -- representations (representations.smk) ------------------------------------------------
def training_runtime(section):
    """A job's runtime (minutes) from its epochs and the dataset file's size."""
    return of_wildcards(lambda wildcards: runtime_minutes(
        dataset_settings(config[section], wildcards.dataset, ["epochs"])["epochs"], DATA_MB[wildcards.dataset]
    ))


# What changes a trained autoencoder besides its variant's name, so that changing a value
# reruns exactly the models it affects.
@of_wildcards
def family_settings(wildcards):
    return family_params(config["families"][AEVariant.parse(wildcards.variant).family], wildcards.dataset)


@of_wildcards
def variant_noise_type(wildcards):
    """Read only by denoising variants: changing it retrains only those."""
    return config["noise_type"] if AEVariant.parse(wildcards.variant).noise > 0 else None


@of_wildcards
def autoencoder_training(wildcards):
    return training_params(config["training"], wildcards.dataset)


# -- analyses (analysis.smk) ---------------------------------------------------------------
OWN_BASELINES = sorted({name for a in ANALYSES.values() for name in a.own_baselines})


def representations(analysis, dataset):
    """The names an analysis is computed for: every trained autoencoder, then its baselines."""
    names = trained(AE_VARIANTS, dataset)
    for baseline in ANALYSES[analysis].baselines:
        names += PCA if baseline == "pca" else [baseline]
    return names


def documents(analysis, dataset, ext="json"):
    return expand(
        f"{R}/{{dataset}}/{{analysis}}/{{name}}.{ext}",
        dataset=dataset,
        analysis=analysis,
        name=representations(analysis, dataset),
    )


@of_wildcards
def analysis_input(wildcards):
    return ANALYSES[wildcards.analysis].inputs(R, wildcards.dataset, wildcards.representation)


@of_wildcards
def analysis_settings(wildcards):
    """As JSON text, which the job's command passes on (sorted keys: Snakemake compares params
    by their text, and a changed value reruns exactly the analysis it belongs to)."""
    return json.dumps(ANALYSES[wildcards.analysis].settings(config), sort_keys=True)


@of_wildcards
def analysis_threads(wildcards):
    return ANALYSES[wildcards.analysis].threads(wildcards.representation)


# The interpreter of a job's command: the one Snakemake picks for a script: directive (the conda
# environment's or the container's, else its own), not whichever `python` comes first on PATH.
_ISOLATED = {DeploymentMethod.CONDA, DeploymentMethod.APPTAINER}
PYTHON = "python" if _ISOLATED & set(workflow.deployment_settings.deployment_method) else shlex.quote(sys.executable)
# The config's extensions, for the jobs' commands (study.registry).
os.environ[EXTENSIONS_VARIABLE] = json.dumps(config["extensions"])


# -- aggregation (aggregate.smk) ------------------------------------------------------------
TABLE_NAMES = [*ANALYSES, "classifiers"]
# (analysis, name, Metric) of every metric the analyses declare.
METRICS = {
    name: (analysis, metric)
    for analysis in ANALYSES.values()
    for name, metric in analysis.metrics.items()
}
# Figure name -> (analysis, Figure), for the figures that apply to this study's config.
FIGURES = {
    name: (analysis, figure)
    for analysis in ANALYSES.values()
    for name, figure in analysis.figures.items()
    if figure.applies(config) and set(figure.tables) <= set(ANALYSES)
}
LINE_METRICS = [name for name, (_, metric) in METRICS.items() if metric.lines]
HEATMAP_METRICS = [name for name, (_, metric) in METRICS.items() if metric.heatmap]


def figure_tables(figure):
    """The tables an analysis' figure reads: its analysis' own, then those it declares."""
    analysis, declared = FIGURES[figure]
    return [analysis.name, *declared.tables]


# How the report names each {kind} of rule metric_figure.
METRIC_FIGURE_KINDS = {"vs_latent": "against the latent size", "heatmap": "heatmap"}


def metric_labels(wildcards):
    """The report labels of a metric's figure: the metric and the kind of figure, since the
    report lists under one entry (and shows one of) the files whose labels are equal."""
    return {
        "dataset": wildcards.dataset,
        "figure": f"{METRICS[wildcards.metric][1].label}, {METRIC_FIGURE_KINDS[wildcards.kind]}",
    }
