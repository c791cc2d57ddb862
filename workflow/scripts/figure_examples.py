"""Rules reconstructions_figure, tsne_figure, denoising_figure: the saved example arrays of
a dataset's best variants and baselines, chosen from the analysis' table ->
results/figures/{dataset}_{reconstructions,tsne,denoising}.png (study.figures)."""
from pathlib import Path

from study.figures import denoising_figure, reconstructions_figure, save_figure, tsne_figure
from study.logs import log_to
from study.results import read_npz
from study.tables import read_table

FIGURES = {"reconstructions_figure": reconstructions_figure, "tsne_figure": tsne_figure,
           "denoising_figure": denoising_figure}

with log_to(snakemake.log[0]):
    paths = dict(zip(snakemake.params.variants, snakemake.input.variants))
    paths.update(zip(snakemake.params.baselines, snakemake.input.baselines))
    tables = {Path(snakemake.input.table).stem: read_table(snakemake.input.table)}
    figure = FIGURES[snakemake.rule](tables, snakemake.wildcards.dataset, lambda name: read_npz(paths[name]))
    save_figure(figure, snakemake.output[0])
