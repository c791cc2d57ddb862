"""Rule metric_figure: one metric of a dataset, from the tidy table ->
results/figures/{dataset}_{metric}_vs_latent.png or _heatmap.png (study.metric_figures)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from study.analyses import ANALYSES
from study.figures import save_figure
from study.logs import log_to
from study.extensions import load_extensions
from study.metric_figures import metric_figure
from study.results import load
from study.summary.choice import model_free
from study.tables import analysis_tables

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    analysis = ANALYSES[snakemake.params.analysis]
    metric = analysis.metrics[snakemake.wildcards.metric]
    kind = "heatmap" if snakemake.wildcards.kind == "heatmap" else "lines"
    reference = model_free(analysis)
    table = analysis_tables(load(snakemake.input[0]), {analysis.name: analysis})[analysis.name]
    figure = metric_figure(table, snakemake.wildcards.dataset, metric, kind, reference,
                           analysis.baseline_labels.get(reference), snakemake.params.confidence)
    save_figure(figure, snakemake.output[0])
