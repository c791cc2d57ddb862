"""Rule analysis_figure: a figure an analysis declares (study.analyses), from the tidy table
(its analysis' table and the others it declares) and the arrays it saved for each
representation (each checked against its document, study.documents.read_arrays) ->
results/figures/{dataset}_{figure}.png."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from study.analyses import ANALYSES
from study.documents import read_arrays
from study.figures import save_figure
from study.logs import log_to
from study.extensions import load_extensions
from study.results import load
from study.tables import analysis_tables

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis = ANALYSES[snakemake.params.analysis]
    paths = dict(zip(snakemake.params.names, snakemake.input.arrays))
    tables = analysis_tables(load(snakemake.input.metrics), ANALYSES)
    figure = analysis.figures[snakemake.wildcards.figure].draw(
        tables, snakemake.wildcards.dataset, lambda name: read_arrays(paths[name]))
    save_figure(figure, snakemake.output[0])
