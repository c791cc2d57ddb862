"""Rule metrics_table: every analysis' table -> results/tables/metrics.csv, the tidy table of
one row per measurement (study.tables.metrics_table) that the summary, the figures, the tools
and a notebook read (study.results.load)."""
import logging

from study.analyses import ANALYSES
from study.extensions import load_extensions
from study.logs import log_to
from study.tables import metrics_table, read_table, write_csv

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    tables = {name: read_table(path) for name, path in zip(snakemake.params.analyses, snakemake.input)}
    metrics = metrics_table(tables, ANALYSES)
    write_csv(metrics, snakemake.output[0])
    logging.info("wrote %s: %d rows from %d tables", snakemake.output[0], len(metrics), len(tables))
