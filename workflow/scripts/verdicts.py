"""Rule verdicts: each dataset's plan and its confirmation runs' documents ->
results/tables/verdicts.csv and .md, the verdict of every primary question
(study.confirmation.verdict_rows)."""
import logging
from collections import defaultdict
from pathlib import Path

from diy.atomic import write_text
from study.analyses import ANALYSES
from study.confirmation import verdict_rows, verdicts_table
from study.extensions import load_extensions
from study.logs import log_to
from study.results import read_json
from study.tables import analysis_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    plans, documents = [], defaultdict(lambda: defaultdict(list))
    for path in map(Path, snakemake.input):
        if path.name == "confirmation_plan.json":  # {results}/{dataset}/confirmation_plan.json
            plans.append(read_json(path))
        else:  # {results}/{dataset}/{analysis}/{variant}.json
            documents[path.parents[1].name][path.parent.name].append(read_json(path))
    rows = []
    for plan in plans:
        found = documents[plan["dataset"]]
        rows += verdict_rows(plan, {name: analysis_table(found[name]) for name in found if name in ANALYSES})
    table = verdicts_table(rows)
    write_csv(table, snakemake.output.csv)
    write_text(snakemake.output.md, markdown_table(table))
    logging.info("wrote %s and .md: %d questions", snakemake.output.csv, len(table))
