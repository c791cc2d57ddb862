# The study's configuration, its grid and the helpers every stage's rules share. Included
# first by the Snakefile. The lists below are derived from the registries (study.datasets,
# study.families, study.analyses) and the config; no rule names a dataset or an analysis.

from snakemake.exceptions import WorkflowError

from study.analyses import ANALYSES
from study.config import load_schema, merge, read_yaml, validate_config
from study.datasets import DATASETS as REGISTERED_DATASETS
from study.registry import load_extensions
from study.representations import REGEX as REPRESENTATION_REGEX, pca_name
from study.settings import memory_mb
from study.variants import ae_variants, classifier_variants

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

DATASETS = config["datasets"]
# Where this study's results, logs and benchmarks go: a study config sets its own.
R = config["results"]
# PCA with as many components as each latent size of the grid: the linear autoencoder.
PCA = [pca_name(latent_dim) for latent_dim in config["grid"]["latent_dim"]]

# Inputs of `rule all`: each stage's .smk extends it with that stage's final outputs.
ALL_TARGETS = []


wildcard_constraints:
    dataset="|".join(REGISTERED_DATASETS),
    representation=REPRESENTATION_REGEX,
    analysis="|".join(ANALYSES),


def dataset_memory(wildcards, input):
    """mem_mb of a job that loads data/{dataset}.npz: from the file's size, not the dataset's name."""
    return memory_mb(input.size_mb)
