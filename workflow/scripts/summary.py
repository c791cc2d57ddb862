"""Rule summary: the verdicts, the tidy table, the classifiers' table and the autoencoders'
histories -> results/tables/summary.md and .html: the primary questions' verdicts (rule
verdicts), the exploration's answers (study.summary) and what the run cannot support
(study.limits). Each table must be the one its job wrote (its seal: study.tables.read_table,
study.results.load)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

import logging
from pathlib import Path

from diy.atomic import write_text
from study.analyses import ANALYSES
from study.artifacts import read_checked_history
from study.limits import limits
from study.logs import log_to
from study.extensions import load_extensions
from study.results import load
from study.confirmation import VERDICT_COLUMNS
from study.summary import summary_html, summary_markdown
from study.tables import CLASSIFIER_COLUMNS, analysis_tables, read_table

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    tables = analysis_tables(load(snakemake.input.metrics), ANALYSES)
    classifiers = read_table(snakemake.input.classifiers, CLASSIFIER_COLUMNS)
    datasets = snakemake.params.datasets
    failed = snakemake.params.failed
    histories = {}
    for path in map(Path, snakemake.input.histories):  # {results}/{dataset}/repr/{variant}/history.csv
        histories.setdefault(path.parents[2].name, {})[path.parent.name] = read_checked_history(path)["val_loss"].to_numpy()
    warnings = limits(tables, datasets, histories, snakemake.params.epochs)
    verdicts = read_table(snakemake.input.verdicts, VERDICT_COLUMNS)
    write_text(snakemake.output.md, summary_markdown(tables, datasets, verdicts, classifiers, failed, warnings))
    write_text(snakemake.output.html, summary_html(tables, datasets, verdicts, classifiers, failed, warnings))
    logging.info("wrote %s and %s", snakemake.output.md, snakemake.output.html)
