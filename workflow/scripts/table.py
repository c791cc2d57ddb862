"""Rule table: one analysis' JSON files (every dataset and representation) ->
results/tables/{analysis}.csv, .md and .html (study.tables)."""
import logging

from diy.atomic import write_text
from study.logs import log_to
from study.results import read_json
from study.tables import analysis_table, html_page, html_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    table = analysis_table(read_json(path) for path in snakemake.input)
    write_csv(table, snakemake.output.csv)
    write_text(snakemake.output.md, markdown_table(table))
    write_text(snakemake.output.html, html_page(f"{snakemake.wildcards.table}.csv", html_table(table)))
    logging.info("wrote %s (.md, .html): %d rows from %d files", snakemake.output.csv, len(table),
                 len(snakemake.input))
