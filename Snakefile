# The autoencoder study: config -> data/{dataset}.npz -> representations -> analyses -> tables,
# figures, report. Run: snakemake --cores all    Dry run: snakemake -n    Lint: snakemake --lint
# A study config: snakemake --cores all --configfile workflow/configs/quick.yaml

from snakemake.utils import min_version

min_version("8.0")


# Validates (and normalises) `config` at parse time, so a bad config fails before any job.
include: "workflow/rules/common.smk"


# Names a registry or the grid holds, so that no path is read two ways.
wildcard_constraints:
    dataset="|".join(REGISTERED_DATASETS),
    representation=REPRESENTATION_REGEX,
    analysis="|".join(ANALYSES),


include: "workflow/rules/data.smk"
include: "workflow/rules/representations.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/aggregate.smk"


# Each stage's file appends to ALL_TARGETS what no later stage reads (see common.smk).
rule all:
    input:
        ALL_TARGETS,
    default_target: True
