"""Checkpoint confirm_plan: the exploration's documents of one dataset (the analyses its primary
questions read) -> results/{dataset}/confirmation_plan.json, its questions and the fresh seeds each
configuration is trained on (study.confirmation.plan)."""
import logging
from collections import defaultdict
from pathlib import Path

from study.analyses import ANALYSES
from study.confirmation import plan
from study.extensions import load_extensions
from study.logs import log_to
from study.results import read_json, write_json
from study.tables import analysis_table

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    documents = defaultdict(list)  # {results}/{dataset}/{analysis}/{representation}.json
    for path in map(Path, snakemake.input):
        documents[path.parent.name].append(read_json(path))
    tables = {name: analysis_table(found) for name, found in documents.items() if name in ANALYSES}
    made = plan(tables, snakemake.wildcards.dataset, snakemake.params.questions, snakemake.params.confirm)
    write_json(snakemake.output[0], made)
    logging.info("wrote %s: %d questions, %d configurations on %d fresh seeds in all", snakemake.output[0],
                 len(made["questions"]), len(made["train"]), sum(entry["seeds"] for entry in made["train"].values()))
