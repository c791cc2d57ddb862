"""Rule learning_curves_figure: every autoencoder's history.csv of a dataset ->
results/figures/{dataset}_learning_curves.png (study.figures)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from study.artifacts import read_checked_history
from study.figures import learning_curves, save_figure
from study.logs import log_to
from study.settings import per_dataset
from study.variants import AEVariant

with log_to(snakemake.log[0]):
    histories = {AEVariant.parse(name): read_checked_history(path)
                 for name, path in zip(snakemake.params.variants, snakemake.input)}
    dataset = snakemake.wildcards.dataset
    figure = learning_curves(histories, f"{dataset}: autoencoder learning curves on the validation split (the "
                             "whole objective; below it, for a family with a penalty, its reconstruction term)",
                             loss=per_dataset(snakemake.config["training"]["loss"], dataset))
    save_figure(figure, snakemake.output[0])
