"""Where a finished run's time went, from the benchmark files its jobs wrote.

Every training and analysis job writes ``{results}/benchmarks/{dataset}/{stage}/{name}.tsv``
in Snakemake's benchmark columns: its wall seconds, CPU seconds and peak memory, its own
(study.launch: of the job server's child that computed it, from ``wait4``, or of the job's
process when it ran alone). This prints, per rule kind and dataset, the number of jobs, their
job-minutes (wall time summed over jobs), their CPU-minutes and the largest peak memory, and the
whole run's span from the first job's start to the last job's end (from the benchmark files'
modification times: a file is written when its job ends, and its job started ``s`` seconds
earlier).

The jobs' CPU leaves out Snakemake's own process and each job's launching interpreter; the
whole run's CPU, every process included, is what ``/usr/bin/time`` reports for the
``snakemake`` command (bench/cpu_split.py splits it). In the runs docs/results.md records up to
``153a899``, Snakemake's ``benchmark:`` timed the training jobs: their CPU there is a lower
bound, its last sample, taken every 30 s after a job's first 15 s.

Each job belongs to one of the study's two stages (study.confirmation): ``confirmation``, the
training and analyses of a variant on a fresh seed that a dataset's
``confirmation_plan.json`` asks for; ``exploration``, every other job. A second table gives
each stage's jobs, job-minutes, CPU-minutes and its span (first start to last end), and the
confirmation's CPU as a share of the exploration's.

    python bench/run_time.py results            # the default study
    python bench/run_time.py results/quick      # a study config's results directory
"""
import argparse
import json
from pathlib import Path

import pandas as pd

from study.confirmation import confirmation_variants


def read_benchmarks(results):
    """One row per job: dataset, stage (repr, clf, or the analysis), name, seconds, cpu, MB, end."""
    records = []
    for path in sorted(Path(results, "benchmarks").glob("*/*/*.tsv")):
        row = pd.read_csv(path, sep="\t").iloc[-1]
        dataset, stage = path.parts[-3], path.parts[-2]
        kind = ("pca" if path.stem.startswith("pca") else "pixels" if path.stem == "pixels"
                else "autoencoder") if stage == "repr" else stage
        records.append({"dataset": dataset, "stage": kind, "name": path.stem, "seconds": row["s"],
                        "cpu_seconds": row["cpu_time"], "max_rss_mb": row["max_rss"],
                        "end": path.stat().st_mtime})
    return pd.DataFrame.from_records(records)


def confirmation_runs(results):
    """``{(dataset, name)}`` of the confirmation stage's variants, from each dataset's plan."""
    runs = set()
    for path in Path(results).glob("*/confirmation_plan.json"):
        plan = json.loads(path.read_text())
        runs |= {(plan["dataset"], variant) for variant, _ in confirmation_variants(plan)}
    return runs


def stages(jobs, results):
    """Per stage of the study (exploration, confirmation): jobs, job- and CPU-minutes, span."""
    fresh = confirmation_runs(results)
    stage = ["confirmation" if (dataset, name) in fresh else "exploration"
             for dataset, name in zip(jobs["dataset"], jobs["name"])]
    records = []
    for name, group in jobs.groupby(pd.Series(stage, index=jobs.index), sort=False):
        records.append({"stage of the study": name, "jobs": len(group), "job_minutes": group["seconds"].sum() / 60,
                        "cpu_minutes": group["cpu_seconds"].sum() / 60,
                        "span_minutes": (group["end"].max() - (group["end"] - group["seconds"]).min()) / 60})
    return pd.DataFrame.from_records(records)


def summary(jobs):
    """Per (stage, dataset): jobs, job-minutes, CPU-minutes, peak memory (MB); and a total row."""
    table = (jobs.groupby(["stage", "dataset"])
             .agg(jobs=("name", "size"), job_minutes=("seconds", "sum"),
                  cpu_minutes=("cpu_seconds", "sum"), peak_mb=("max_rss_mb", "max"))
             .reset_index())
    table[["job_minutes", "cpu_minutes"]] /= 60
    total = {"stage": "total", "dataset": "", "jobs": len(jobs), "job_minutes": jobs["seconds"].sum() / 60,
             "cpu_minutes": jobs["cpu_seconds"].sum() / 60, "peak_mb": jobs["max_rss_mb"].max()}
    return pd.concat([table.sort_values("job_minutes", ascending=False), pd.DataFrame([total])])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="?", default="results", help="a study's results directory")
    args = parser.parse_args()
    jobs = read_benchmarks(args.results)
    if jobs.empty:
        raise SystemExit(f"no benchmark files under {args.results}/benchmarks/")
    print(summary(jobs).to_markdown(index=False, floatfmt=".1f"))
    span = (jobs["end"].max() - (jobs["end"] - jobs["seconds"]).min()) / 60
    print(f"\nwall time from the first job's start to the last job's end: {span:.1f} minutes "
          f"({len(jobs)} jobs with a benchmark file; download, tables and figures have none)")
    print("CPU-minutes: each job's own, its launching process left out\n")
    table = stages(jobs, args.results)
    print(table.to_markdown(index=False, floatfmt=".1f"))
    cpu = dict(zip(table["stage of the study"], table["cpu_minutes"]))
    if cpu.get("exploration") and "confirmation" in cpu:
        print(f"\nconfirmation CPU / exploration CPU: {cpu['confirmation'] / cpu['exploration']:.2f}")


if __name__ == "__main__":
    main()
