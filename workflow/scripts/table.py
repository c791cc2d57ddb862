"""Rule table: one analysis' JSON files (every dataset and representation) ->
results/tables/{analysis}.csv, .md and .html (study.tables), and over training seeds
{analysis}_configurations.csv, .md and {analysis}_pivots.md (study.aggregates)."""
import logging

from diy.atomic import write_text
from study.aggregates import configurations_table, pivots_markdown
from study.analyses import ANALYSES
from study.logs import log_to
from study.extensions import load_extensions
from study.results import read_json
from study.tables import analysis_table, html_page, html_table, markdown_table, write_csv

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis, out, confidence = ANALYSES[snakemake.wildcards.table], snakemake.output, snakemake.params.confidence
    table = analysis_table(read_json(path) for path in snakemake.input)
    write_csv(table, out.csv)
    write_text(out.md, markdown_table(table))
    write_text(out.html, html_page(f"{analysis.name}.csv", html_table(table)))
    configurations = configurations_table(table, analysis.keys, confidence)
    write_csv(configurations, out.configurations_csv)
    write_text(out.configurations_md, markdown_table(configurations))
    write_text(out.pivots, pivots_markdown(table, analysis, confidence))
    logging.info("wrote %s (.md, .html, configurations, pivots): %d rows from %d files, %d configurations",
                 out.csv, len(table), len(snakemake.input), len(configurations))
