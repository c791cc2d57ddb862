"""Rules metric_figure, heatmap_figure: one metric of a dataset, from its table ->
results/figures/{dataset}_{metric}_vs_latent.png or _heatmap.png (study.figures)."""
from pathlib import Path

from study.figures import metric_figure, save_figure
from study.logs import log_to
from study.tables import read_table

with log_to(snakemake.log[0]):
    table = read_table(snakemake.input[0])
    kind = "heatmap" if snakemake.rule == "heatmap_figure" else "lines"
    tables = {Path(snakemake.input[0]).stem: table}
    figure = metric_figure(tables, snakemake.wildcards.dataset, snakemake.wildcards.metric, kind)
    save_figure(figure, snakemake.output[0])
