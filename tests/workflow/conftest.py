"""Fixtures of the workflow tests: Snakemake runs (the repository's root, schema, config and quick
study are tests/conftest.py's).

Snakemake runs in a temporary working directory (``-d``), with the repository's Snakefile,
so nothing is written into the repository's data/, results/ or logs/.
"""
import os
import subprocess
import sys

import pytest
import yaml

from repository import REPO



@pytest.fixture
def snakemake(tmp_path):
    """``snakemake(*args, config=None, env=None) -> CompletedProcess`` run in ``tmp_path/work``.

    `config` (a dict) is written to a config file passed with ``--configfile``; otherwise the
    repository's config.yaml is. `env` updates the environment; a value of None removes the
    variable.
    """
    workdir = tmp_path / "work"
    workdir.mkdir()

    def run(*args, config=None, env=None, timeout=300):
        configfile = REPO / "config.yaml"
        if config is not None:
            configfile = tmp_path / "config.yaml"
            configfile.write_text(yaml.safe_dump(config))
        environ = dict(os.environ)
        for key, value in (env or {}).items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"),
                   "-d", str(workdir), "--configfile", str(configfile), *args]
        return subprocess.run(command, capture_output=True, text=True, env=environ,
                              timeout=timeout, cwd=tmp_path)

    run.workdir = workdir
    return run
