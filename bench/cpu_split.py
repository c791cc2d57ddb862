"""Where a study's CPU time goes: training, the analyses' computation, the tables' and figures'
computation, the job server's imports, the jobs' process starts, and Snakemake's own process.

Runs the study from an empty results directory in a copy of this checkout (its ``data/`` copied
too, so nothing is downloaded twice, and its ``.git``, so the results record the commit), as
``snakemake --cores N ARGS`` (ARGS: a study's ``--configfile``, ``--config`` values), and
measures:

- the whole run's CPU: the ``snakemake`` process and every process it waited for, which is
  every job's (the job server waits for its jobs, Snakemake for the server): ``wait4``;
- Snakemake's own process and the job server's own (its imports, once): their ``/proc`` CPU
  counters, read every 0.2 s until they end;
- each job the server ran, analysis or script: its CPU from the server (``DIY_JOB_LEDGER``);
- training (autoencoders, classifiers, PCA): the CPU their jobs' benchmark files record, each
  job's own whether the server ran it or not (bench/run_time.py);
- the rest: the jobs' own processes, each an interpreter started to run one job (an analysis'
  ``study.launch``, a script behind Snakemake's preamble, the shell around it).

    python bench/cpu_split.py --configfile workflow/configs/quick.yaml
    python bench/cpu_split.py --config 'datasets=[digits]'
    python bench/cpu_split.py --no-hooks --configfile workflow/configs/quick.yaml  # no job server
    python bench/cpu_split.py --keep /tmp/digits --config 'datasets=[digits]'  # keep its results

``--keep DIR`` copies the run's results tree to DIR, to compare its tables with another run's.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_time import read_benchmarks  # noqa: E402 (bench/ is not a package)

REPOSITORY = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
TRAINING_STAGES = ("autoencoder", "pca", "clf")  # run_time.read_benchmarks' stages of training jobs
# The scripts of training jobs and of the pixels, whose ledger entries the training row (or, for
# the pixels' copy of the data, the rest) already holds.
TRAINING_SCRIPTS = ("train_autoencoder", "train_classifier", "representation")


def own_cpu(pid):
    """Seconds of CPU process `pid` has used itself (its threads, not its children), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def server_of(pid):
    """The pid of the job server among `pid`'s children, or None."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return None
    for child in children:
        try:
            if b"study.job_server" in Path(f"/proc/{child}/cmdline").read_bytes():
                return int(child)
        except FileNotFoundError:
            continue
    return None


def run(copy, cores, arguments, ledger):
    """Run Snakemake in `copy` -> (wall seconds, whole CPU, Snakemake's own, the server's own)."""
    environment = {**os.environ, "DIY_JOB_LEDGER": str(ledger)}
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "snakemake", "--cores", str(cores), *arguments],
                               cwd=copy, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    last = {"snakemake": 0.0, "server": 0.0}
    done = threading.Event()

    def sample():
        server = None
        while not done.is_set():
            last["snakemake"] = own_cpu(process.pid) or last["snakemake"]
            server = server or server_of(process.pid)
            if server:
                last["server"] = own_cpu(server) or last["server"]
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    if status:
        sys.exit(f"snakemake failed:\n{stderr.decode()[-3000:]}")
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime, last


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="copy the run's results tree here")
    args, arguments = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch, "study")
        shutil.copytree(REPOSITORY, copy, ignore=shutil.ignore_patterns(".snakemake", ".venv", "results"))
        ledger = Path(scratch, "ledger.tsv")
        ledger.touch()
        wall, total, own = run(copy, args.cores, arguments, ledger)
        served = pd.read_csv(ledger, sep="\t", names=["kind", "cpu_seconds", "seconds"])
        results = next(path for path in (copy / "results").rglob("benchmarks")).parent
        jobs = read_benchmarks(results)
        if args.keep:
            shutil.copytree(copy / "results", args.keep)
    trained = jobs[jobs["stage"].isin(TRAINING_STAGES)]
    analyses = served[served["kind"] == "study.analysis_job"]
    scripts = served[~served["kind"].isin(["study.analysis_job", *TRAINING_SCRIPTS])]
    rows = [("training (autoencoders, classifiers, PCA; benchmark files)", len(trained), trained["cpu_seconds"].sum()),
            ("analyses' computation (in the job server)", len(analyses), analyses["cpu_seconds"].sum()),
            ("tables', figures' and summary's computation (in the job server)", len(scripts), scripts["cpu_seconds"].sum()),
            ("the job server's imports (once)", int(own["server"] > 0), own["server"]),
            ("Snakemake's own process", 1, own["snakemake"])]
    rest = total - sum(cpu for _, _, cpu in rows)
    rows.append(("the jobs' own processes: start, imports, waiting for the server", None, rest))
    print(f"snakemake --cores {args.cores} {' '.join(arguments)}: {wall:.1f} s wall, {total:.1f} CPU-seconds\n")
    print("| where | jobs | CPU-seconds | share |\n|---|---:|---:|---:|")
    for name, count, cpu in rows:
        print(f"| {name} | {'' if count is None else count} | {cpu:.1f} | {cpu / total:.0%} |")
    print(f"| total | | {total:.1f} | 100% |")


if __name__ == "__main__":
    main()
