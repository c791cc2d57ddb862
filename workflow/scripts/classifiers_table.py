"""Rule classifiers_table: the raw-pixel classifiers' metrics.json ->
results/tables/classifiers.csv, .md and .html (study.tables), each metrics.json the one written
with the model beside it (study.artifacts.checked_beside_model)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

import json
import logging

from diy.atomic import write_text
from study.logs import log_to
from study.artifacts import checked_beside_model
from study.tables import classifiers_table, html_page, html_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    table = classifiers_table((dataset, variant, json.loads(checked_beside_model(path, "metrics", "metrics")))
                              for (dataset, variant), path in zip(snakemake.params.entries, snakemake.input))
    write_csv(table, snakemake.output.csv)
    write_text(snakemake.output.md, markdown_table(table))
    write_text(snakemake.output.html, html_page("classifiers.csv", html_table(table)))
    logging.info("wrote %s (.md, .html): %d rows", snakemake.output.csv, len(table))
