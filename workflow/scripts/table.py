"""Rule table: one analysis' JSON files (every dataset and representation) ->
results/tables/{analysis}.csv, .md and .html (study.tables), and over training seeds
{analysis}_configurations.csv, .md and {analysis}_pivots.md (study.aggregates). Each document
must be the one its job wrote for its path and this config (study.documents.read_document)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

import logging

from diy.atomic import write_text
from study.aggregates import configurations_table, pivots_markdown
from study.analyses import ANALYSES
from study.documents import read_document
from study.logs import log_to
from study.extensions import load_extensions
from study.tables import analysis_table, html_page, html_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis, out, confidence = ANALYSES[snakemake.wildcards.table], snakemake.output, snakemake.params.confidence
    table = analysis_table(read_document(path, snakemake.config) for path in snakemake.input)
    write_csv(table, out.csv)
    write_text(out.md, markdown_table(table))
    write_text(out.html, html_page(f"{analysis.name}.csv", html_table(table)))
    configurations = configurations_table(table, analysis.keys, confidence)
    write_csv(configurations, out.configurations_csv)
    write_text(out.configurations_md, markdown_table(configurations))
    write_text(out.pivots, pivots_markdown(table, analysis, confidence))
    logging.info("wrote %s (.md, .html, configurations, pivots): %d rows from %d files, %d configurations",
                 out.csv, len(table), len(snakemake.input), len(configurations))
