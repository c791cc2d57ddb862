"""Where a result comes from: package versions, the project's commit, the CPU.

Every result JSON records :func:`provenance`, the report shows it once, and a run whose
installed versions differ from ``requirements.lock`` says so at startup
(:func:`lock_differences`): a number computed with other versions may differ in its last
digits (t-SNE, k-means on a new scikit-learn) or more.
"""
import functools
import importlib.metadata
import platform
import re
import subprocess
from pathlib import Path

#: The packages whose versions a result depends on.
PACKAGES = ("numpy", "scipy", "scikit-learn", "pandas", "matplotlib", "joblib", "threadpoolctl",
            "openTSNE", "umap-learn", "snakemake")
REPOSITORY = Path(__file__).resolve().parents[1]


def _normalised(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions(packages=PACKAGES):
    """``{package: version}`` of the installed `packages` (None where one is missing)."""
    versions = {}
    for name in packages:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def read_lock(path):
    """``{normalised name: version}`` of a ``requirements.lock`` (``name==version`` lines)."""
    locked = {}
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            locked[_normalised(name)] = version
    return locked


def lock_differences(path, packages=PACKAGES):
    """``["numpy 2.4.5 (locked: 2.4.6)", ...]``: the `packages` installed at another version
    than `path` locks."""
    locked = read_lock(path)
    return [f"{name} {version} (locked: {locked.get(_normalised(name))})"
            for name, version in installed_versions(packages).items()
            if version != locked.get(_normalised(name))]


@functools.cache
def git_commit(directory=REPOSITORY):
    """The checkout's commit (``+ local changes`` if its tracked files differ), or
    ``"not a git checkout"``."""
    def git(*args):
        return subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True,
                              timeout=10)

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode:
            return "not a git checkout"
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "not a git checkout"
    return head.stdout.strip() + (" + local changes" if dirty else "")


@functools.cache
def cpu():
    """The CPU's model name (from /proc/cpuinfo on Linux), else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def provenance():
    """What a result JSON records of where it was computed."""
    return {"versions": {"python": platform.python_version(), **installed_versions()},
            "commit": git_commit(), "cpu": cpu()}
