"""Rule summary: the tables -> results/tables/summary.md and .html, the study's answers
(study.summary)."""
import logging

from diy.atomic import write_text
from study.logs import log_to
from study.registry import load_extensions
from study.summary import summary_html, summary_markdown
from study.tables import read_table

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    tables = {name: read_table(path) for name, path in zip(snakemake.params.tables, snakemake.input)}
    classifiers = tables.pop("classifiers")
    datasets = snakemake.params.datasets
    failed = snakemake.params.failed
    write_text(snakemake.output.md, summary_markdown(tables, datasets, classifiers, failed))
    write_text(snakemake.output.html, summary_html(tables, datasets, classifiers, failed))
    logging.info("wrote %s and %s", snakemake.output.md, snakemake.output.html)
