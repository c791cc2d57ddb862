"""Rule download: fetch one raw file of a dataset from its mirrors and verify it
(study.data.download)."""
from pathlib import Path

from study.data.download import GENERIC_HINT, fetch_files, local_copy_hint, mirrors_to_try
from study.logs import log_to
from study.extensions import load_extensions

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    settings, variable = snakemake.params.settings, snakemake.params.settings["mirror_env"]
    key = f"data.{snakemake.wildcards.dataset}.mirrors"
    fetch_files(
        Path(snakemake.output[0]).parent,
        mirrors_to_try(settings["mirrors"], variable),
        {name: tuple(spec) for name, spec in settings["expected"].items()},
        timeout=settings["timeout"],
        retries=settings["retries"],
        hint=local_copy_hint(variable, key) if variable else f"{GENERIC_HINT} ({key})",
    )
