# Config validation and helpers shared by every stage's rules. Included first by the Snakefile.

from snakemake.exceptions import WorkflowError

from diy.study.config import load_schema, validate_config
from diy.study.variants import ae_variants, classifier_variants

_schema = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
try:
    _validated = validate_config(config, _schema)
    # Variant names for paths results/{dataset}/ae/{variant}/ and .../clf/{variant}/; built
    # here so that grid values sharing a name also stop the run before any job.
    AE_VARIANTS = [variant.name for variant in ae_variants(_validated)]
    CLASSIFIER_VARIANTS = [variant.name for variant in classifier_variants(_validated)]
except ValueError as error:  # diy.study.config.ConfigError is one
    raise WorkflowError(f"invalid configuration:\n{error}") from None
# In place, so whatever holds Snakemake's config dict (scripts get it as snakemake.config)
# sees the normalised values: numbers as numbers, defaults filled in.
config.clear()
config.update(_validated)

DATASETS = config["datasets"]

# Inputs of `rule all`: each stage's .smk extends it with that stage's final outputs.
ALL_TARGETS = []


wildcard_constraints:
    dataset="|".join(DATASETS),
