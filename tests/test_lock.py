"""The locked environment: requirements.lock pins every dependency of pyproject.toml, the
installed versions are the locked ones, and the conda environment pins the same."""
import re
import tomllib
from pathlib import Path

import yaml

from study.provenance import installed_versions, lock_differences, read_lock

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
# conda-forge's names of the PyPI packages the conda environment pins.
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _name(requirement):
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()


def test_every_line_pins_one_exact_version():
    lines = [line for line in LOCK.read_text().splitlines() if line and not line.startswith("#")]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[A-Za-z0-9_.+!-]+", line) for line in lines)


def test_every_dependency_of_pyproject_is_locked_within_its_range():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    locked = read_lock(LOCK)
    for requirement in requirements:
        name = _name(requirement)
        assert name in locked, f"{requirement} is not in requirements.lock (run tools/lock.sh)"
        lower = re.search(r">=\s*([0-9][0-9.]*)", requirement)
        if lower:
            as_tuple = lambda version: tuple(int(p) for p in re.findall(r"[0-9]+", version)[:3])
            assert as_tuple(locked[name]) >= as_tuple(lower.group(1)), requirement


def test_the_installed_versions_are_the_locked_ones():
    # The README's two commands install from the lock; a different version may move numbers.
    assert lock_differences(LOCK) == [], "pip install -r requirements.lock"
    assert all(version is not None for version in installed_versions().values())


def test_the_conda_environment_pins_the_locked_versions():
    environment = yaml.safe_load((REPO / "workflow" / "envs" / "diy.yaml").read_text())
    locked = read_lock(LOCK)
    pins = [entry for entry in environment["dependencies"] if not entry.startswith("python ")]
    assert len(pins) >= 10
    for entry in pins:
        name, version = (part.strip() for part in entry.split("="))
        assert locked[CONDA_NAMES.get(name, name)] == version, entry
