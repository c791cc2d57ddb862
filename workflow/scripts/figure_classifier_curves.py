"""Rule classifier_curves_figure: every raw-pixel classifier's history.csv of a dataset ->
results/figures/{dataset}_classifier_curves.png (study.figures)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from study.artifacts import read_checked_history
from study.figures import classifier_curves, save_figure
from study.logs import log_to

with log_to(snakemake.log[0]):
    histories = {name: read_checked_history(path) for name, path in zip(snakemake.params.variants, snakemake.input)}
    dataset = snakemake.wildcards.dataset
    save_figure(classifier_curves(histories, f"{dataset}: raw-pixel DIY classifiers' learning curves"),
                snakemake.output[0])
