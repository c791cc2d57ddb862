"""Rule analysis_figure: a figure an analysis declares (study.analyses), from the tidy table
(its analysis' table and the others it declares) and the arrays it saved for each
representation -> results/figures/{dataset}_{figure}.png."""
from study.analyses import ANALYSES
from study.figures import save_figure
from study.logs import log_to
from study.extensions import load_extensions
from study.results import load, read_npz
from study.tables import analysis_tables

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis = ANALYSES[snakemake.params.analysis]
    paths = dict(zip(snakemake.params.names, snakemake.input.arrays))
    tables = analysis_tables(load(snakemake.input.metrics), ANALYSES)
    figure = analysis.figures[snakemake.wildcards.figure].draw(
        tables, snakemake.wildcards.dataset, lambda name: read_npz(paths[name]))
    save_figure(figure, snakemake.output[0])
