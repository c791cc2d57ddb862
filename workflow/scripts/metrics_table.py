"""Rule metrics_table: every analysis' table -> results/tables/metrics.csv, the tidy table of
one row per measurement (study.tables.metrics_table) that the summary, the figures, the tools
and a notebook read (study.results.load), and its seal. Each table must be the one its job wrote
(its seal, study.tables.read_table)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

import logging

from study.analyses import ANALYSES
from study.extensions import load_extensions
from study.logs import log_to
from study.tables import COLUMNS, metrics_table, read_table, write_csv

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    # Each table with the columns its analysis' metrics are read from: not another's copied over it.
    tables = {name: read_table(path, [*COLUMNS, "split", *ANALYSES[name].keys,
                                      *(metric.column for metric in ANALYSES[name].metrics.values())])
              for name, path in zip(snakemake.params.analyses, snakemake.input)}
    metrics = metrics_table(tables, ANALYSES)
    write_csv(metrics, snakemake.output[0])
    logging.info("wrote %s: %d rows from %d tables", snakemake.output[0], len(metrics), len(tables))
