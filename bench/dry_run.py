"""Seconds to plan a large grid: ``snakemake -n --quiet rules`` of a digits-only study.

The grid is 11 latent sizes x 3 activations x 3 noise levels x ``--seeds`` training seeds
(10: 990 variants), with every default analysis, its results directory one that no run writes
(``results/.dry_run``: the plan is the whole study whatever ``results/`` holds). The script
prints the median wall and CPU seconds over ``--repeats`` runs and the number of jobs planned;
then, as the control, the same for a Snakefile with none of the study's code and as many jobs
of the analysis rule's shape (three wildcards, two inputs, two outputs, a log and a benchmark
file): what Snakemake itself costs per job, which no change to the study's rules can go below.

    python bench/dry_run.py              # 990 variants, about 7,000 jobs
    python bench/dry_run.py --seeds 1    # 99 variants
"""
import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LATENT_SIZES = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 32]

# The control: an analysis-shaped rule and the rules its inputs come from, nothing else; like
# the study, one job that makes codes for every six analysis jobs (about N jobs in all).
CONTROL_SNAKEFILE = """
N = int(config["jobs"])
rule all:
    input: expand("out/digits/analysis{a}/rep{i}.json", a=range(6), i=range((N - 2) // 7))
rule data:
    output: "data.npz"
    shell: "touch {output}"
rule codes:
    output: "codes/{representation}.npz"
    shell: "touch {output}"
rule analysis:
    input: data="data.npz", codes="codes/{representation}.npz"
    output:
        json="out/{dataset}/{analysis}/{representation}.json",
        arrays="out/{dataset}/{analysis}/{representation}.npz",
    log: "logs/{dataset}/{analysis}/{representation}.log"
    benchmark: "benchmarks/{dataset}/{analysis}/{representation}.tsv"
    shell: "touch {output}"
"""


def dry_run(args, cwd):
    """(wall seconds, CPU seconds, jobs planned) of one ``snakemake -n --quiet rules`` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--quiet", "rules", *args],
                          cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"snakemake -n failed in {cwd}:\n{(done.stdout + done.stderr)[-2000:]}")
    jobs = re.search(r"^total\s+(\d+)", done.stdout + done.stderr, re.MULTILINE)
    if jobs is None:
        sys.exit(f"snakemake -n in {cwd} printed no job count:\n{done.stdout[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, int(jobs.group(1))


def report(name, runs):
    walls, cpus, jobs = zip(*runs)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    each = ", ".join(f"{w:.1f}" for w in walls)
    print(f"{name:9s} {jobs[0]:6,d} jobs  {wall:5.1f} s wall  {cpu:5.1f} s CPU  "
          f"{1000 * wall / jobs[0]:.2f} ms per job  (runs: {each} s)")
    return jobs[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "grid.yaml")
        config.write_text(
            "datasets: [digits]\nresults: results/.dry_run\n"
            f"grid:\n  latent_dim: {LATENT_SIZES}\n  seed: {list(range(args.seeds))}\n")
        variants = len(LATENT_SIZES) * 3 * 3 * args.seeds
        print(f"snakemake -n --quiet rules of a {variants}-variant digits grid, "
              f"median of {args.repeats}")
        jobs = report("study", [dry_run(["--configfile", str(config)], REPO)
                                for _ in range(args.repeats)])
        control = Path(tmp, "control")
        control.mkdir()
        Path(control, "Snakefile").write_text(CONTROL_SNAKEFILE)
        report("control", [dry_run(["--cores", "1", "--config", f"jobs={jobs}"], control)
                           for _ in range(args.repeats)])


if __name__ == "__main__":
    main()
