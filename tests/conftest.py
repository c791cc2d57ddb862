"""Fixtures of every test directory: the repository's root, its schema and config.yaml, and the
quick study, run once per session by whichever test needs it first (the first-look, report,
README and SLURM tests all read it)."""
import pytest
import yaml

from repository import CONFIG, REPO, SCHEMA


@pytest.fixture(scope="session")
def repo_root():
    return REPO


@pytest.fixture(scope="session")
def schema():
    """The repository's schema with the registries' sections (built before any test registers more)."""
    from study.config import load_schema

    return load_schema(SCHEMA)


@pytest.fixture(scope="session")
def defaults():
    """config.yaml as written (before validation): every default of the study."""
    from study.config import read_yaml

    return read_yaml(CONFIG)


@pytest.fixture(scope="session")
def quick_study(tmp_path_factory):
    """The quick study (workflow/configs/quick.yaml), run whole once in a temporary directory:
    the largest run of the tests, a few minutes on 2 cores. Tests may read it, dry-run commands
    in it and copy it, never change it."""
    from snakemake_runs import Run

    run = Run(tmp_path_factory.mktemp("quick"), yaml.safe_load((REPO / "workflow" / "configs" / "quick.yaml").read_text()))
    result = run.run("--cores", "2", timeout=2400)
    run.log = result.stdout + result.stderr  # Snakemake's log of the run: one "localrule" per job
    return run
