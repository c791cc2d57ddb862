"""Rule download: fetch one raw file of a dataset from its mirrors and verify it
(study.data.download)."""
import os
from pathlib import Path

from study.data.download import fetch_files
from study.logs import log_to
from study.registry import load_extensions

with log_to(snakemake.log[0]):
    load_extensions(snakemake.config["extensions"])
    settings = snakemake.params.settings
    first = os.environ.get(settings["mirror_env"] or "", "").strip()
    fetch_files(
        Path(snakemake.output[0]).parent,
        ([first] if first else []) + [m for m in settings["mirrors"] if m != first],
        {name: tuple(spec) for name, spec in settings["expected"].items()},
        timeout=settings["timeout"],
        retries=settings["retries"],
    )
