"""Fixtures of the workflow tests: the repository's schema and config, and Snakemake runs.

Snakemake runs in a temporary working directory (``-d``), with the repository's Snakefile,
so nothing is written into the repository's data/, results/ or logs/.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from study.config import load_schema

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root():
    return REPO


@pytest.fixture(scope="session")
def schema():
    return load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


@pytest.fixture(scope="session")
def quick_study(tmp_path_factory):
    """The quick study (workflow/configs/quick.yaml), run whole once in a temporary directory
    and shared by the tests that read it (test_quick_study, test_report_in_browser): the
    largest run of the workflow tests, a few minutes on 2 cores. Tests may read it and
    dry-run commands in it, never change it."""
    from snakemake_runs import Run

    run = Run(tmp_path_factory.mktemp("quick"), yaml.safe_load((REPO / "workflow" / "configs" / "quick.yaml").read_text()))
    run.run("--cores", "2", timeout=2400)
    return run


@pytest.fixture(scope="session")
def repo_config():
    """config.yaml as written (before validation)."""
    return yaml.safe_load((REPO / "config.yaml").read_text())


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
