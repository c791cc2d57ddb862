"""Rule metric_figure: one metric of a dataset, from its analysis' table ->
results/figures/{dataset}_{metric}_vs_latent.png or _heatmap.png (study.figures)."""
from study.analyses import ANALYSES
from study.figures import metric_figure, save_figure
from study.logs import log_to
from study.registry import load_extensions
from study.summary import model_free
from study.tables import metric_values, read_table

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis = ANALYSES[snakemake.params.analysis]
    metric = analysis.metrics[snakemake.wildcards.metric]
    values = metric_values(read_table(snakemake.input[0]), metric)
    kind = "heatmap" if snakemake.wildcards.kind == "heatmap" else "lines"
    figure = metric_figure(values, snakemake.wildcards.dataset, metric, kind, model_free(analysis),
                           snakemake.params.confidence)
    save_figure(figure, snakemake.output[0])
