"""Rule classifier_curves_figure: every raw-pixel classifier's history.csv of a dataset ->
results/figures/{dataset}_classifier_curves.png (study.figures)."""
import pandas as pd

from study.figures import classifier_curves, save_figure
from study.logs import log_to

with log_to(snakemake.log[0]):
    histories = {name: pd.read_csv(path) for name, path in zip(snakemake.params.variants, snakemake.input)}
    dataset = snakemake.wildcards.dataset
    save_figure(classifier_curves(histories, f"{dataset}: raw-pixel DIY classifiers' learning curves"),
                snakemake.output[0])
