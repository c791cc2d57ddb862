"""Checkpoint confirm_plan: the exploration's documents of one dataset (the analyses its primary
questions read) -> results/{dataset}/confirmation_plan.json, its questions and the fresh seeds each
configuration is trained on (study.confirmation.plan), with what it was made from and its digest
(study.confirmation.read_plan checks them)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

import logging
from collections import defaultdict
from pathlib import Path

from study.analyses import ANALYSES
from study.confirmation import plan, sealed_plan
from study.documents import read_document
from study.extensions import load_extensions
from study.logs import log_to
from study.results import DIGEST, write_json
from study.tables import analysis_table

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    documents, digests = defaultdict(list), {}  # {results}/{dataset}/{analysis}/{representation}.json
    for path in map(Path, snakemake.input):
        document = read_document(path, snakemake.config)
        documents[path.parent.name].append(document)
        digests[f"{path.parent.name}/{path.stem}"] = document[DIGEST]
    tables = {name: analysis_table(found) for name, found in documents.items() if name in ANALYSES}
    made = plan(tables, snakemake.wildcards.dataset, snakemake.params.questions, snakemake.params.confirm)
    write_json(snakemake.output[0], sealed_plan(made, snakemake.config, digests))
    logging.info("wrote %s: %d questions, %d configurations on %d fresh seeds in all", snakemake.output[0],
                 len(made["questions"]), len(made["train"]), sum(entry["seeds"] for entry in made["train"].values()))
