# Config validation and helpers shared by every stage's rules. Included first by the Snakefile.

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import available_cpu_count

from study.config import load_schema, validate_config
from study.variants import ae_variants, classifier_variants

_schema = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
try:
    _validated = validate_config(config, _schema)
    # Variant names for paths results/{dataset}/ae/{variant}/ and .../clf/{variant}/; built
    # here so that grid values sharing a name also stop the run before any job.
    AE_VARIANTS = [variant.name for variant in ae_variants(_validated)]
    CLASSIFIER_VARIANTS = [variant.name for variant in classifier_variants(_validated)]
except ValueError as error:  # study.config.ConfigError is one
    raise WorkflowError(f"invalid configuration:\n{error}") from None
# In place, so whatever holds Snakemake's config dict (scripts get it as snakemake.config)
# sees the normalised values: numbers as numbers, defaults filled in.
config.clear()
config.update(_validated)

DATASETS = config["datasets"]


# Snakemake trusts --cores: `--cores 8` on a 2-CPU machine would run 8 single-threaded
# training jobs at once, each getting a quarter of a CPU (and its own copy of MNIST in
# memory), no faster in total than two. So a local run's core budget is lowered to the CPUs
# this process may use (as `--cores all` counts them); Snakemake then runs at most that many
# job threads at once and caps each job's `threads` by it. A cluster or cloud run (--jobs,
# where `nodes` is set) is left alone.
_cores, _cpus = workflow.global_resources["_cores"].value, available_cpu_count()
if workflow.nodes is None and isinstance(_cores, int) and _cores > _cpus:
    logger.info(f"--cores {_cores} lowered to the {_cpus} CPUs of this machine "
                "(one job thread per CPU; see README, 'Threads')")
    workflow.global_resources["_cores"] = _cpus

# Inputs of `rule all`: each stage's .smk extends it with that stage's final outputs.
ALL_TARGETS = []


wildcard_constraints:
    dataset="|".join(DATASETS),
