"""The locked environment: requirements.lock pins every dependency of pyproject.toml,
requirements-slurm.lock what the slurm extra adds, the installed versions are the locked ones,
and the conda environment pins the same."""
import re
import tomllib

import pytest
import yaml

from repository import REPO
from study.provenance import installed_versions, lock_differences, read_lock

LOCK = REPO / "requirements.lock"
SLURM_LOCK = REPO / "requirements-slurm.lock"
# conda-forge's names of the PyPI packages the conda environment pins.
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _name(requirement):
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()


@pytest.mark.parametrize("lock", [LOCK, SLURM_LOCK], ids=lambda path: path.name)
def test_every_line_pins_one_exact_version(lock):
    lines = [line for line in lock.read_text().splitlines() if line and not line.startswith("#")]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[A-Za-z0-9_.+!-]+", line) for line in lines)


def _assert_locked_within_range(requirements, lock):
    locked = read_lock(lock)
    as_tuple = lambda version: tuple(int(p) for p in re.findall(r"[0-9]+", version)[:3])
    for requirement in requirements:
        name = _name(requirement)
        assert name in locked, f"{requirement} is not in {lock.name} (run tools/lock.sh)"
        lower = re.search(r">=\s*([0-9][0-9.]*)", requirement)
        if lower:
            assert as_tuple(locked[name]) >= as_tuple(lower.group(1)), requirement
        upper = re.search(r"<\s*([0-9][0-9.]*)", requirement)
        if upper:
            assert as_tuple(locked[name]) < as_tuple(upper.group(1)), requirement


def test_every_dependency_of_pyproject_is_locked_within_its_range():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    _assert_locked_within_range(project["dependencies"] + project["optional-dependencies"]["test"], LOCK)


def test_the_slurm_extra_is_pinned_in_its_own_lock():
    # Installed with `pip install -r requirements.lock -r requirements-slurm.lock`: the extra's
    # packages are pinned in the second file, and none in both (two pins of one could disagree).
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["slurm"]
    _assert_locked_within_range(extra, SLURM_LOCK)
    assert not set(read_lock(SLURM_LOCK)) & set(read_lock(LOCK))


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
