"""Rule classifiers_table: the raw-pixel classifiers' metrics.json ->
results/tables/classifiers.csv, .md and .html (study.tables)."""
import logging

from diy.atomic import write_text
from study.logs import log_to
from study.results import read_json
from study.tables import classifiers_table, html_page, html_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    table = classifiers_table((dataset, variant, read_json(path))
                              for (dataset, variant), path in zip(snakemake.params.entries, snakemake.input))
    write_csv(table, snakemake.output.csv)
    write_text(snakemake.output.md, markdown_table(table))
    write_text(snakemake.output.html, html_page("classifiers.csv", html_table(table)))
    logging.info("wrote %s (.md, .html): %d rows", snakemake.output.csv, len(table))
