"""Rule prepare_mnist: the four IDX files -> data/mnist.npz (study.data.mnist)."""
from pathlib import Path

from study.data.dataset import save_dataset
from study.data.mnist import build_mnist
from study.logs import log_to

with log_to(snakemake.log[0]):
    data = build_mnist(
        Path(snakemake.input[0]).parent,
        validation_fraction=snakemake.params.validation_fraction,
        seed=snakemake.params.seed,
    )
    save_dataset(snakemake.output[0], data)
