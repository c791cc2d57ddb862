"""Where a result comes from: package versions, the project's commit, the CPU, and the BLAS
kernel and threads that computed it.

Every result JSON records :func:`provenance`, the report shows it once, and a run whose
installed versions differ from ``requirements.lock`` says so at startup
(:func:`lock_differences`): a number computed with other versions may differ in its last
digits (t-SNE, k-means on a new scikit-learn) or more. So may one computed with another BLAS
kernel (OpenBLAS picks its kernel by CPU, or by ``OPENBLAS_CORETYPE``): float32 rounds unlike
from one kernel to the next, which is why :func:`thread_pools` records the kernel that ran.
"""
import functools
import importlib.metadata
import platform
import re
import subprocess
from pathlib import Path

from threadpoolctl import threadpool_info

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


#: What :func:`thread_pools` keeps of each library threadpoolctl finds.
THREAD_POOL_KEYS = ("internal_api", "version", "architecture", "num_threads")


def thread_pools():
    """threadpoolctl's view of the BLAS and OpenMP libraries loaded in this process, one dict
    per library: ``internal_api`` (``openblas``, ``mkl``, ``blis``, ``openmp``), ``version``,
    ``architecture`` (the kernel OpenBLAS runs: ``Haswell``, ``SkylakeX``, ``Katmai``; None for a
    library that names none) and ``num_threads`` (its threads now, in a job the rule's); sorted,
    since the order threadpoolctl finds them in is the order they were loaded in, which the
    imports before the call decide, and a rerun of a job must record the same."""
    pools = [{key: pool.get(key) for key in THREAD_POOL_KEYS} for pool in threadpool_info()]
    return sorted(pools, key=lambda pool: [str(pool[key]) for key in THREAD_POOL_KEYS])


def thread_pools_text(pools):
    """``"openblas 0.3.31 (SkylakeX kernel, 2 threads), openmp (2 threads)"`` for
    :func:`thread_pools`' `pools`, or ``"none loaded"``."""
    def one(pool):
        name = " ".join(str(part) for part in (pool["internal_api"], pool.get("version")) if part)
        kernel = f"{pool['architecture']} kernel, " if pool.get("architecture") else ""
        threads = pool.get("num_threads")
        return f"{name} ({kernel}{threads} thread{'' if threads == 1 else 's'})"

    return ", ".join(one(pool) for pool in pools) or "none loaded"


def provenance():
    """What a result JSON records of where it was computed: ``versions``, ``commit``, ``cpu``
    and ``thread_pools`` (:func:`thread_pools`)."""
    return {"versions": {"python": platform.python_version(), **installed_versions()},
            "commit": git_commit(), "cpu": cpu(), "thread_pools": thread_pools()}
