# The autoencoder study: config.yaml -> data/{dataset}.npz -> (later) results/.
# Run: snakemake --cores 8      Dry run: snakemake -n      Lint: snakemake --lint

from snakemake.utils import min_version

min_version("8.0")


configfile: "config.yaml"


# Validates (and normalises) `config` at parse time, so a bad config fails before any job.
include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/aggregate.smk"


# Each stage's rule file appends its final outputs to ALL_TARGETS (see common.smk).
rule all:
    input:
        ALL_TARGETS,
    default_target: True
