"""The workflow on a real SLURM cluster: slurm_local.sh installs and starts a one-node cluster
(slurmctld, slurmd, munged) and runs part of the quick study through it with
workflow/profiles/slurm: its models and the k-means and reconstruction tables (every rule but
the figures' and the other analyses', which the same analysis rule runs). Every job must have
gone through SLURM, and the models and tables must equal those of a local run of the same
config bit for bit. Needs root and apt-get (Debian); fails where they are
missing, saying so."""
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from repository import REPO

SCRIPT = REPO / "tests" / "cluster" / "slurm_local.sh"
QUICK = REPO / "workflow" / "configs" / "quick.yaml"
RESULTS = Path("results") / "quick"  # the quick config's results root, inside each run's directory
# Wall-clock measurements, which differ between any two runs: the classifiers table's training time.
TIMING_COLUMNS = {"seconds"}
# This cluster has no accounting daemon for sacct to ask, so job states come from squeue. The
# plugin waits its initial wait again after a check that saw a job end, 10 s more than last time
# after one that did not; that initial wait is 1 s here (its default, 40 s, suits a cluster's
# long jobs, not these seconds-long ones). Successful jobs' SLURM logs are kept, as evidence.
# What the cluster makes: the data, every model, two analyses' jobs and tables. The whole quick
# study (158 jobs) took 454 s through SLURM at a few seconds of submission and polling per job.
TARGETS = [f"{RESULTS}/tables/kmeans.csv", f"{RESULTS}/tables/reconstruction.csv"]
SLURM_OPTIONS = ["--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "1",
                 "--seconds-between-status-checks", "1", "--slurm-keep-successful-logs"]

pytestmark = [pytest.mark.slow, pytest.mark.cluster]


def _run_through_slurm(workdir, environment):
    """slurm_local.sh's (returncode, output), stopped with TERM (its daemons with it) on a timeout."""
    process = subprocess.Popen(["bash", str(SCRIPT), "--directory", str(workdir), *SLURM_OPTIONS, *TARGETS],
                               cwd=REPO,
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=1200)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=300)
        pytest.fail(f"slurm_local.sh took over 20 minutes:\n{output[-5000:]}")
    return process.returncode, output


def _table_without_timing(path):
    rows = list(csv.reader(path.open()))
    kept = [i for i, name in enumerate(rows[0]) if name not in TIMING_COLUMNS]
    return [[row[i] for i in kept] for row in rows]


def test_the_quick_study_through_slurm_equals_a_local_run(tmp_path, quick_study):
    # The local run is the session's quick study (tests/conftest.py): the same config, run with
    # --cores 2 on this machine.
    local, cluster = quick_study.workdir, tmp_path / "slurm"
    cluster.mkdir()
    # The jobs run `python -m snakemake` with this interpreter, and find the rest on the PATH
    # that sbatch exports to them.
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    returncode, output = _run_through_slurm(cluster, environment)
    assert returncode == 0, output[-5000:]

    # Every job was submitted with sbatch (none ran locally), each of a rule the local run ran
    # too, each left a SLURM log under .snakemake/slurm_logs/ and is one that slurmctld ran to
    # completion.
    jobs = lambda log, prefix: Counter(re.findall(rf"^{prefix}rule (\w+):$", log, flags=re.M))
    remote = jobs(output, "")
    assert not jobs(output, "local") and remote.total() > 20
    assert set(remote) <= set(jobs(quick_study.log, "local")) and {"train_autoencoder", "analysis"} <= set(remote)
    submitted = dict(re.findall(r"has been submitted with SLURM jobid (\d+) \(log: (\S+)\)", output))
    states = dict(re.findall(r"^(\d+)\|([A-Z_]+)\|", output, flags=re.M))
    assert len(submitted) == remote.total()
    for job_id, log in submitted.items():
        assert states.get(job_id) == "COMPLETED", (job_id, states.get(job_id))
        assert Path(log).is_relative_to(cluster / ".snakemake" / "slurm_logs") and Path(log).is_file(), log

    # The representations' models (autoencoders, PCA); the classifiers' are not among the targets.
    models = sorted(path.relative_to(local) for path in (local / RESULTS).glob("*/repr/*/model.npz"))
    tables = sorted(path.relative_to(cluster) for path in (cluster / RESULTS / "tables").glob("*.csv"))
    assert len(models) > 5
    assert models == sorted(path.relative_to(cluster) for path in (cluster / RESULTS).glob("*/repr/*/model.npz"))
    assert {"kmeans.csv", "reconstruction.csv"} <= {table.name for table in tables}
    for model in models:
        assert (local / model).read_bytes() == (cluster / model).read_bytes(), model
    for table in tables:
        assert _table_without_timing(local / table) == _table_without_timing(cluster / table), table
    shutil.rmtree(cluster)
