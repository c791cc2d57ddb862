"""Rule learning_curves_figure: every autoencoder's history.csv of a dataset ->
results/figures/{dataset}_learning_curves.png (study.figures)."""
import pandas as pd

from study.figures import learning_curves, save_figure
from study.logs import log_to
from study.settings import per_dataset
from study.variants import AEVariant

with log_to(snakemake.log[0]):
    histories = {AEVariant.parse(name): pd.read_csv(path)
                 for name, path in zip(snakemake.params.variants, snakemake.input)}
    dataset = snakemake.wildcards.dataset
    figure = learning_curves(histories, f"{dataset}: autoencoder learning curves on the validation split (the "
                             "whole objective; below it, for a family with a penalty, its reconstruction term)",
                             loss=per_dataset(snakemake.config["training"]["loss"], dataset))
    save_figure(figure, snakemake.output[0])
