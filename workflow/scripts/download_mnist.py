"""Rule download_mnist: fetch and verify the four MNIST IDX files (study.data.download)."""
from pathlib import Path

from study.data.download import fetch_mnist, mirrors_to_try
from study.logs import log_to

with log_to(snakemake.log[0]):
    fetch_mnist(
        Path(snakemake.output[0]).parent,
        mirrors_to_try(snakemake.params.mirrors),
        timeout=snakemake.params.timeout,
        retries=snakemake.params.retries,
    )
