"""Rule prepare_dataset: a dataset's builder (study.datasets) -> data/{dataset}.npz."""
from pathlib import Path

from study.data.dataset import save_dataset
from study.datasets import DATASETS
from study.logs import log_to
from study.extensions import load_extensions

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    raw_dir = Path(snakemake.input[0]).parent if len(snakemake.input) else None
    dataset = DATASETS[snakemake.wildcards.dataset]
    data = dataset.build(raw_dir, snakemake.params.settings, snakemake.params.splits)
    save_dataset(snakemake.output[0], data, n_classes=dataset.n_classes)
