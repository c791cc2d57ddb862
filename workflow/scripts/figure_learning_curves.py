"""Rule learning_curves_figure: every autoencoder's history.csv of a dataset ->
results/figures/{dataset}_learning_curves.png (study.figures)."""
import pandas as pd

from study.figures import learning_curves, save_figure
from study.logs import log_to
from study.variants import AEVariant

with log_to(snakemake.log[0]):
    histories = {AEVariant.parse(name): pd.read_csv(path)
                 for name, path in zip(snakemake.params.variants, snakemake.input)}
    dataset = snakemake.wildcards.dataset
    save_figure(learning_curves(histories, f"{dataset}: autoencoder learning curves "
                                "(validation BCE per image)"), snakemake.output[0])
