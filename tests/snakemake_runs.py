"""Snakemake runs of the workflow tests that keep a working directory across several runs (a
module-scoped study, then re-runs and dry runs of it), and the job counts of their output."""
import os
import subprocess
import sys

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


class Run:
    """A working directory, a config file, and `run(*args)` of Snakemake on them."""

    def __init__(self, root, config):
        self.workdir = root / "work"
        self.workdir.mkdir()
        self.configfile = root / "config.yaml"
        self.configfile.write_text(yaml.safe_dump(config))

    def run(self, *args, check=True, env=None, timeout=600):
        command = [sys.executable, "-m", "snakemake", "-s", os.path.join(REPO, "Snakefile"),
                   "-d", str(self.workdir), "--configfile", str(self.configfile), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, **(env or {})})
        if check:
            assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
        return result

    def path(self, relative):
        return self.workdir / relative


def job_counts(output):
    """``{rule: count}`` from Snakemake's "Job stats" table ({} if nothing is to be done)."""
    if "Job stats:" not in output:
        return {}
    counts = {}
    for line in output.split("Job stats:")[1].splitlines()[3:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        counts[parts[0]] = int(parts[1])
    return counts
