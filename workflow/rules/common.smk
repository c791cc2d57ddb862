# The study's configuration, its grid and the helpers every stage's rules share. Included
# first by the Snakefile. The lists below are derived from the registries (study.datasets,
# study.families, study.analyses) and the config; no rule names a dataset or an analysis.

import inspect
import itertools
import json
import os
import shlex
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.settings.types import DeploymentMethod

from study import job_server, targets
from study.analyses import ANALYSES as REGISTERED_ANALYSES
from study.aggregates import configuration_of
from study.config import load_schema, merge, read_yaml, study_results, this_study, validate_config
from study.confirmation import confirmation_variants, read_plan
from study.datasets import DATASETS as REGISTERED_DATASETS
from study.failures import read_failures
from study.provenance import lock_differences
from study.extensions import EXTENSIONS_VARIABLE, load_extensions
from study.launch import SERVER_VARIABLE
from study.report import rebuild_command
from study.scheduler_timers import cancel_scheduler_timers, one_scheduler_timer
from study.representations import pca_name
from study.settings import dataset_megabytes, dataset_settings, family_params, memory_mb, runtime_minutes, training_params
from study.variants import AEVariant, ae_variants, classifier_variants

# The repository's studies by their results directory (study.targets): a result file given as a
# config file, or a target in another study's results directory, is named with the config that
# makes it, where Snakemake would report a decoding error or "No rule to produce" it.
STUDIES = study_results(Path(workflow.basedir))
try:
    targets.results_as_configs(workflow.config_settings.configfiles, STUDIES)
except targets.TargetError as error:
    raise WorkflowError(f"a target written after --configfile:\n{error}") from None

try:
    # config.yaml holds every default; a --configfile or --config is merged over it.
    _defaults = read_yaml(workflow.source_path("../../config.yaml"))
    load_extensions(merge(_defaults, config).get("extensions", []))
    # With the registries' sections; the names in a target are checked against it too.
    SCHEMA = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
    # The key results must keep every file of this study in a directory no other study writes.
    _validated = validate_config(config, SCHEMA, defaults=_defaults, studies=STUDIES,
                                 study=this_study(workflow.config_settings.configfiles, workflow.basedir,
                                                  STUDIES))
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
RESULTS = config["results"]


def command_line_targets():
    """The targets of the snakemake command line that runs this file (empty in a cluster job's
    process, or under another program). Snakemake hands its targets to the workflow only once
    this file is parsed, and reads a target no rule's pattern matches as "No rule to produce"."""
    program = Path(sys.argv[0])
    if not workflow.is_main_process or "snakemake" not in (program.name, program.parent.name):
        return []
    from snakemake.cli import get_argument_parser

    try:
        arguments, _ = get_argument_parser().parse_known_args(sys.argv[1:])
    except SystemExit:
        return []
    return arguments.targets or []


try:
    targets.outside_or_unnormal(command_line_targets())
    targets.other_studies(command_line_targets(), RESULTS, STUDIES)
except targets.TargetError as error:
    raise WorkflowError(f"a target outside this study's results:\n{error}") from None
try:
    # Names that the rules' patterns do not read are named here, where Snakemake would say only
    # that nothing produces them.
    targets.requested(command_line_targets(), RESULTS, config, SCHEMA)
except targets.TargetError as error:
    raise WorkflowError(f"a target no config could ask for:\n{error}") from None
# Variants whose training failed in an earlier run (study.failures): {dataset: {variant: why}}.
# They are retrained by the default target, but left out of analyses and tables until they
# succeed, and the summary lists them.
FAILED = {dataset: read_failures(f"{RESULTS}/{dataset}/failed") for dataset in DATASETS}


def trained(variants, dataset):
    """`variants` less those that failed on `dataset`."""
    return [variant for variant in variants if variant not in FAILED[dataset]]


# PCA with as many components as each latent size of the grid: the linear autoencoder.
PCA = [pca_name(latent_dim) for latent_dim in config["grid"]["latent_dim"]]

def final_output():
    """What the default target builds: of each stage, the files no later stage reads. The
    aggregates (tables, figures, summary) read every analysis and through them every model;
    besides them, the dataset files, the models to retrain (representations.smk) and the
    deleted intermediates to rebuild (aggregate.smk): called by the Snakefile's rule all, once
    every included file has defined its part."""
    return DATASET_FILES + RETRAINED_MODELS + AGGREGATES + REBUILT


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


# -- the names in a target (study.targets) ----------------------------------------------------
# The rules' input functions, which Snakemake calls for each job as it builds the DAG (before any
# job runs, dry run included), check the names a job's wildcards were read from: those of the
# config's grid at the cost of a set lookup, any other one against the schema and the
# registries, so that a target outside them stops with a message naming the part (an
# exception there is Snakemake's InputFunctionException, which prints it). The paths' wildcard
# constraints (Snakefile) give only the names' shape: one a constraint refused would be
# reported only as "No rule to produce" the file.
PATH_SEGMENT = "[^/]+"
# With every configuration on every fresh seed the confirmation stage may plan it (confirm.smk).
_FRESH_SEEDS = range(config["confirm"]["first_seed"],
                     config["confirm"]["first_seed"] + max(config["confirm"]["seeds"] or 0, config["confirm"]["max_seeds"]))
CONFIRMATION_VARIANTS = (
    [f"{configuration}_seed{seed}" for configuration in dict.fromkeys(map(configuration_of, AE_VARIANTS))
     for seed in _FRESH_SEEDS] if config["confirm"]["enabled"] else []
)
AE_GRID = {*AE_VARIANTS, *CONFIRMATION_VARIANTS}
CLASSIFIER_GRID = set(CLASSIFIER_VARIANTS)


# -- data (data.smk) ---------------------------------------------------------------------
RAW_FILES = sorted({file for entry in REGISTERED_DATASETS.values() for file in entry.files})


def raw_files(wildcards):
    # Any registered dataset: data/ is shared by the studies, a file depends only on its settings.
    targets.dataset(wildcards.dataset, config, f"data/{wildcards.dataset}.npz", studied=False)
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
@of_wildcards
def autoencoder_data(wildcards):
    """data/{dataset}.npz, once the variant named is one that study.targets allows."""
    if wildcards.variant not in AE_GRID or wildcards.dataset not in DATASETS:
        targets.autoencoder(wildcards.variant, wildcards.dataset, config, SCHEMA,
                            f"{RESULTS}/{wildcards.dataset}/repr/{wildcards.variant}/")
    return f"data/{wildcards.dataset}.npz"


@of_wildcards
def classifier_data(wildcards):
    if wildcards.variant not in CLASSIFIER_GRID or wildcards.dataset not in DATASETS:
        targets.classifier(wildcards.variant, wildcards.dataset, config, SCHEMA,
                           f"{RESULTS}/{wildcards.dataset}/clf/{wildcards.variant}/")
    return f"data/{wildcards.dataset}.npz"


def pixels_data(wildcards):
    if wildcards.dataset not in DATASETS:
        targets.dataset(wildcards.dataset, config, f"{RESULTS}/{wildcards.dataset}/repr/pixels/")
    return f"data/{wildcards.dataset}.npz"


def pca_data(wildcards):
    if pca_name(wildcards.latent_dim) not in PCA or wildcards.dataset not in DATASETS:
        targets.pca(int(wildcards.latent_dim), wildcards.dataset, config, SCHEMA,
                    f"{RESULTS}/{wildcards.dataset}/repr/pca{wildcards.latent_dim}/")
    return f"data/{wildcards.dataset}.npz"


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
def binarize_params(dataset):
    """``{"binarize": "dynamic"}`` for a dataset whose images are binarized, else nothing: a
    grey dataset's jobs keep the params they had before the key existed."""
    binarize = config["data"][dataset].get("binarize", "none")
    return {} if binarize == "none" else {"binarize": binarize}


def autoencoder_training(wildcards):
    return {**training_params(config["training"], wildcards.dataset), **binarize_params(wildcards.dataset)}


# -- analyses (analysis.smk) ---------------------------------------------------------------
def baseline_names(analysis):
    """An analysis' baselines by name: PCA of each latent size of the grid, pixels, its own."""
    return [name for baseline in ANALYSES[analysis].baselines for name in (PCA if baseline == "pca" else [baseline])]


def representations(analysis, dataset):
    """The names an analysis is computed for: every trained autoencoder, then its baselines."""
    return trained(AE_VARIANTS, dataset) + baseline_names(analysis)


def documents(analysis, dataset, ext="json"):
    return expand(
        f"{RESULTS}/{{dataset}}/{{analysis}}/{{name}}.{ext}",
        dataset=dataset,
        analysis=analysis,
        name=representations(analysis, dataset),
    )


# The names each analysis of the study is computed for over the grid (failed variants included):
# the analysis jobs of the default target need no further check.
IN_GRID = {name: {*AE_GRID, *baseline_names(name)} for name in ANALYSES}
# The analyses the primary questions read (study.confirmation), in the config's order.
QUESTION_ANALYSES = [name for name, analysis in ANALYSES.items()
                     if set(analysis.metrics) & {*config["questions"]["metrics"], *config["questions"]["noise"]}]


@of_wildcards
def analysis_input(wildcards):
    """Also for a registered analysis the config does not run, asked for by its path."""
    dataset, analysis, representation = wildcards.dataset, wildcards.analysis, wildcards.representation
    if representation not in IN_GRID.get(analysis, ()) or dataset not in DATASETS:
        targets.representation(analysis, representation, dataset, config, SCHEMA,
                               f"{RESULTS}/{dataset}/{analysis}/{representation}.json")
    return REGISTERED_ANALYSES[analysis].inputs(RESULTS, dataset, representation)


@of_wildcards
def analysis_settings(wildcards):
    """As JSON text, which the job's command passes on (sorted keys: Snakemake compares params
    by their text, and a changed value reruns exactly the analysis it belongs to)."""
    settings = REGISTERED_ANALYSES[wildcards.analysis].settings(config)
    return json.dumps({**settings, **binarize_params(wildcards.dataset)}, sort_keys=True)


@of_wildcards
def analysis_threads(wildcards):
    return REGISTERED_ANALYSES[wildcards.analysis].threads(wildcards.representation)


# The interpreter of a job's command: the one Snakemake picks for a script: directive (the conda
# environment's or the container's, else its own), not whichever `python` comes first on PATH.
_ISOLATED = {DeploymentMethod.CONDA, DeploymentMethod.APPTAINER}
PYTHON = "python" if _ISOLATED & set(workflow.deployment_settings.deployment_method) else shlex.quote(sys.executable)
# The config's extensions, for the jobs' commands (study.registry).
os.environ[EXTENSIONS_VARIABLE] = json.dumps(config["extensions"])

# The warm job server (study.job_server), which the Snakefile's onstart starts: for a local run in
# Snakemake's own environment only (a cluster's jobs run where its scheduler puts them, a conda
# or container job in its own environment).
_JOB_SERVER = []


def start_job_server():
    if workflow.local_exec and not _ISOLATED & set(workflow.deployment_settings.deployment_method):
        try:
            _JOB_SERVER.append(job_server.start(Path(workflow.basedir) / "workflow" / "scripts"))
        except (OSError, RuntimeError) as error:  # the jobs then start alone, as without it
            logger.warning(f"no job server ({error}): each job imports what it uses")
            return
        os.environ[SERVER_VARIABLE] = _JOB_SERVER[-1][1]


def stop_job_server():
    os.environ.pop(SERVER_VARIABLE, None)
    while _JOB_SERVER:
        job_server.stop(*_JOB_SERVER.pop())


# -- the confirmation stage (confirm.smk) ---------------------------------------------------
@of_wildcards
def exploration_documents(wildcards):
    """The exploration's documents of the analyses the primary questions read."""
    if wildcards.dataset not in DATASETS:
        targets.dataset(wildcards.dataset, config, f"{RESULTS}/{wildcards.dataset}/confirmation_plan.json")
    return [path for analysis in QUESTION_ANALYSES for path in documents(analysis, wildcards.dataset)]


def confirmation_documents(wildcards):
    """Each dataset's plan, then the documents of the confirmation runs it asks for (read once
    the plan exists: Snakemake re-evaluates this after the checkpoint's job)."""
    paths = []
    for dataset in DATASETS:
        plan_path = checkpoints.confirm_plan.get(dataset=dataset).output[0]
        try:  # a plan cut short or edited by hand stops the run before any fresh seed is trained
            plan = read_plan(plan_path, documents=False)
        except ValueError as error:
            raise WorkflowError(str(error)) from None
        paths.append(plan_path)
        paths += [f"{RESULTS}/{dataset}/{analysis}/{variant}.json" for variant, analysis in confirmation_variants(plan)
                  if variant not in FAILED[dataset]]
    return paths


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


def intermediates():
    """Every file of the study between data/ and the aggregates: each representation's and
    classifier's files, and each analysis' documents, as their rules name them (called once the
    rules exist; the patterns formatted, not expanded: expand takes 0.15 s of CPU for the
    15,000 paths of a 990-variant grid, format 0.05)."""
    def paths(rule, **wildcards):
        return [pattern.format(**dict(zip(wildcards, values)))
                for values in itertools.product(*wildcards.values()) for pattern in rule.output]

    files = []
    for dataset in DATASETS:
        files += paths(rules.train_autoencoder, dataset=[dataset], variant=trained(AE_VARIANTS, dataset))
        files += paths(rules.train_classifier, dataset=[dataset], variant=trained(CLASSIFIER_VARIANTS, dataset))
        files += paths(rules.pixels, dataset=[dataset])
        files += paths(rules.pca, dataset=[dataset], latent_dim=config["grid"]["latent_dim"])
        for analysis in ANALYSES:
            files += paths(rules.analysis, dataset=[dataset], analysis=[analysis],
                           representation=representations(analysis, dataset))
    return files


# How the report names each {kind} of rule metric_figure.
METRIC_FIGURE_KINDS = {"vs_latent": "against the latent size", "heatmap": "heatmap"}


def metric_labels(wildcards):
    """The report labels of a metric's figure: the metric and the kind of figure, since the
    report lists under one entry (and shows one of) the files whose labels are equal."""
    return {
        "dataset": wildcards.dataset,
        "figure": f"{METRICS[wildcards.metric][1].label}, {METRIC_FIGURE_KINDS[wildcards.kind]}",
    }
