# The autoencoder study: config -> data/{dataset}.npz -> representations -> analyses -> tables,
# figures, report. Run: snakemake --cores all    Dry run: snakemake -n    Lint: snakemake --lint
# A study config: snakemake --cores all --configfile workflow/configs/quick.yaml

import gc

from snakemake.utils import min_version

min_version("8.0")

# Snakemake plans a large grid out of millions of small objects, and Python's cyclic garbage
# collector, at its default thresholds (700, 10, 10), scans them over and over: a 7,060-job dry
# run takes 10.8 s with them, 9.9 s with these (bench/dry_run.py). Collecting less often in this
# process (the jobs run in their own) frees the same garbage, later.
gc.set_threshold(100_000, 50, 100)


# Validates (and normalises) `config` at parse time, so a bad config fails before any job.
include: "workflow/rules/common.smk"


# One path segment each, so that no path is read two ways; what a name says (a registered
# dataset, analysis, representation) is checked by the rules' input functions, which name what is
# wrong where a constraint would only leave "No rule to produce" the file (common.smk).
wildcard_constraints:
    dataset=PATH_SEGMENT,
    representation=PATH_SEGMENT,
    analysis=PATH_SEGMENT,


include: "workflow/rules/data.smk"
include: "workflow/rules/representations.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/confirm.smk"
include: "workflow/rules/aggregate.smk"


# Analysis jobs start in a warm process that has imported scikit-learn, openTSNE and the study
# once for the run (study.job_server): on digits a job computes for less time than those imports
# take. Not in a dry run; stopped with the run.
onstart:
    start_job_server()
    one_scheduler_timer()


onsuccess:
    stop_job_server()
    cancel_scheduler_timers()


onerror:
    stop_job_server()
    cancel_scheduler_timers()


# final_output() (common.smk) is called here, once every stage's file has declared its part.
rule all:
    input:
        final_output(),
    default_target: True
