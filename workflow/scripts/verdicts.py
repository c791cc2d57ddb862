"""Rule verdicts: each dataset's plan and its confirmation runs' documents ->
results/tables/verdicts.csv and .md, the verdict of every primary question
(study.confirmation.verdict_rows). The plan must be the one made from this config and the
exploration's documents there now (study.confirmation.read_plan), each document the one its
job wrote (study.documents.read_document)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

import logging
from collections import defaultdict
from pathlib import Path

from diy.atomic import write_text
from study.analyses import ANALYSES
from study.confirmation import read_plan, verdict_rows, verdicts_table
from study.documents import read_document
from study.extensions import load_extensions
from study.logs import log_to
from study.tables import analysis_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    plans, documents = [], defaultdict(lambda: defaultdict(list))
    for path in map(Path, snakemake.input):
        if path.name == "confirmation_plan.json":  # {results}/{dataset}/confirmation_plan.json
            plans.append(read_plan(path, snakemake.config))
        else:  # {results}/{dataset}/{analysis}/{variant}.json
            documents[path.parents[1].name][path.parent.name].append(read_document(path, snakemake.config))
    rows = []
    for plan in plans:
        found = documents[plan["dataset"]]
        rows += verdict_rows(plan, {name: analysis_table(found[name]) for name in found if name in ANALYSES})
    table = verdicts_table(rows)
    write_csv(table, snakemake.output.csv)
    write_text(snakemake.output.md, markdown_table(table))
    logging.info("wrote %s and .md: %d questions", snakemake.output.csv, len(table))
