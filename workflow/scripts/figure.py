"""Rule analysis_figure: a figure an analysis declares (study.analyses), from its table (and the
others it declares) and the arrays it saved for each representation ->
results/figures/{dataset}_{figure}.png."""
from pathlib import Path

from study.analyses import ANALYSES
from study.figures import save_figure
from study.logs import log_to
from study.extensions import load_extensions
from study.results import read_npz
from study.tables import read_table

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis = ANALYSES[snakemake.params.analysis]
    paths = dict(zip(snakemake.params.names, snakemake.input.arrays))
    tables = {name: read_table(path) for name, path in zip(snakemake.params.tables, snakemake.input.tables)}
    figure = analysis.figures[snakemake.wildcards.figure].draw(
        tables, snakemake.wildcards.dataset, lambda name: read_npz(paths[name]))
    save_figure(figure, snakemake.output[0])
