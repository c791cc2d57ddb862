"""Variants whose training failed: a record each, so that the tables say so.

A training job that fails (diverged, exploding weights, collapsed codes, a classifier at
chance) leaves no model, and Snakemake's ``--keep-going`` builds the rest. It also leaves
``{results}/{dataset}/failed/{variant}.json`` (the variant and why); the next run plans the
analyses and tables without that variant and the summary lists it. A successful re-training
removes the record.
"""
import contextlib
import json
from pathlib import Path

from diy.atomic import write_text
from diy.train import TrainingDiverged
from study.degenerate import DegenerateTraining


def record_failure(path, variant, error):
    """Write the failure record of `variant` (its error's message) to `path`, atomically."""
    write_text(path, json.dumps({"variant": variant, "error": str(error)}, indent=1) + "\n")


def clear_failure(path):
    """Remove the failure record at `path`, if any."""
    Path(path).unlink(missing_ok=True)


def read_failures(directory):
    """``{variant: error}`` of the failure records in `directory` (none if it does not exist)."""
    failures = {}
    for path in sorted(Path(directory).glob("*.json")):
        record = json.loads(path.read_text())
        failures[record["variant"]] = record["error"]
    return failures


@contextlib.contextmanager
def recorded(path, variant):
    """Within the block, a diverged or degenerate training of `variant` is recorded at `path`
    (then re-raised: the job fails); a block that ends well removes an earlier record."""
    try:
        yield
    except (TrainingDiverged, DegenerateTraining) as error:
        record_failure(path, variant, error)
        raise
    clear_failure(path)
