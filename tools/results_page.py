"""One run's section of docs/results.md, written from its results tree.

    python tools/results_page.py RESULTS --title TITLE [--command CMD] [--time LOG] [--note TEXT]

RESULTS is a finished run's results directory (``results``, ``results/quick``). The section says
where the run was made (the commit, CPU and versions its result files record; the OpenBLAS
kernel, read here when this machine's CPU is the run's), its wall time (the ``real``, ``user``
and ``sys`` lines that bash's ``time`` wrote at the end of LOG), its jobs' time
(bench/run_time.py), how many of each dataset's primary questions were decided
(``tables/verdicts.csv``), the CPU time of the study's two stages, the summary's verdict table and its exploratory autoencoder-vs-PCA
table. The page's section headed ``## TITLE`` is replaced, or
the section appended; the other sections are left as they are, since a run made elsewhere
cannot be re-read here. Every other page links to this one instead of restating its numbers.

    python tools/results_page.py results/quick --title "The quick study" \\
        --command "snakemake --cores 2 --configfile workflow/configs/quick.yaml" --time quick.log
"""
import argparse
import datetime
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "results.md"
sys.path.insert(0, str(REPO / "bench"))

from run_time import read_benchmarks, stages, summary  # noqa: E402  (bench/ is no package)

from diy.atomic import write_text  # noqa: E402
from study.provenance import cpu, read_lock  # noqa: E402
from study.summary.answers import ANSWERS_HEADING, decided_share  # noqa: E402
from study.tables import markdown_table, read_table  # noqa: E402

#: The summary's sections whose tables are quoted whole: the verdicts, then the exploration's
#: autoencoder-vs-PCA table (tests/test_readme_numbers.py re-derives PCA's numbers from it).
VERSUS_PCA = "Autoencoder vs PCA at each latent size"
QUOTED = (ANSWERS_HEADING, VERSUS_PCA)


def recorded_provenance(results):
    """The provenance (versions, commit, CPU) recorded by the first result JSON of `results`."""
    for path in sorted(Path(results).glob("*/*/*.json")):
        document = json.loads(path.read_text())
        if isinstance(document, dict) and "provenance" in document:
            return document["provenance"]
    raise SystemExit(f"no result JSON with a provenance under {results}/")


def blas_kernel(provenance):
    """The run's OpenBLAS kernel as its files record it (threadpoolctl's view: under
    ``OPENBLAS_CORETYPE`` not this machine's own); from older files, which do not record it, this
    machine's if its CPU is the run's (a kernel depends on the CPU)."""
    recorded = sorted({pool["architecture"] for pool in provenance.get("thread_pools", [])
                       if pool.get("internal_api") == "openblas" and pool.get("architecture")})
    if recorded:
        return "OpenBLAS " + ", ".join(recorded)
    if provenance["cpu"] != cpu():
        return "not recorded (the page was made on another CPU)"
    from threadpoolctl import threadpool_info

    kernels = [pool.get("architecture") for pool in threadpool_info() if pool.get("internal_api") == "openblas"]
    return f"OpenBLAS {kernels[0]}" if kernels else "not OpenBLAS"


def where(provenance):
    """One line: commit, CPU, kernel, and the versions that differ from requirements.lock."""
    locked = read_lock(REPO / "requirements.lock")
    differing = [f"{name} {version} (locked: {locked.get(name.lower())})"
                 for name, version in provenance["versions"].items()
                 if name != "python" and locked.get(name.lower()) != version]
    versions = ("the versions of `requirements.lock`" if not differing
                else "versions differing from `requirements.lock`: " + ", ".join(differing))
    commit = provenance["commit"]  # a hash (``+ local changes``), or why there is none
    made = (f"commit `{commit[:7]}`{commit[40:]}" if re.match(r"[0-9a-f]{40}", commit)
            else f"no commit recorded ({commit})")
    return (f"{made}, {provenance['cpu']}, "
            f"BLAS kernel {blas_kernel(provenance)}; Python {provenance['versions']['python']}, {versions}")


def wall_time(log):
    """``{"real": s, "user": s, "sys": s}`` from the last ``time`` lines of `log` (bash's format)."""
    times = {name: 60 * float(minutes) + float(seconds) for name, minutes, seconds in
             re.findall(r"^(real|user|sys)\s+(\d+)m([\d.]+)s$", Path(log).read_text(), flags=re.M)}
    if set(times) != {"real", "user", "sys"}:
        raise SystemExit(f"{log}: no real, user and sys lines of bash's time")
    return times


def minutes(seconds):
    return f"{seconds / 60:.1f} minutes" if seconds >= 600 else f"{seconds:.0f} s"


def primary_questions(results):
    """One line: each dataset's decided primary questions of all, from the run's verdicts."""
    path = Path(results, "tables", "verdicts.csv")
    if not path.exists():
        raise SystemExit(f"{path} is missing: the run did not reach its verdicts")
    verdicts = read_table(path)
    stages = sorted(set(verdicts["stage"]))
    shares = "; ".join(f"{dataset}, {decided} of {questions} decided"
                       for dataset, (decided, questions) in decided_share(verdicts).items())
    return f"Primary questions: {shares or 'none'}" + (f" (stage: {', '.join(stages)})" if stages else "")


def summary_table(results, heading):
    """The table of `heading`'s section in the run's summary.md."""
    text = Path(results, "tables", "summary.md").read_text()
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    if match is None:
        raise SystemExit(f"{results}/tables/summary.md has no section {heading!r}")
    return "\n".join(line for line in match.group(1).splitlines() if line.startswith("|"))


def section(results, title, command=None, log=None, note=None):
    """The Markdown section of the run in `results`."""
    jobs = read_benchmarks(results)
    if jobs.empty:
        raise SystemExit(f"no benchmark files under {results}/benchmarks/")
    finished = datetime.datetime.fromtimestamp(jobs["end"].max(), datetime.timezone.utc).date()
    lines = [f"## {title}\n"]
    if note:
        lines.append(f"{note}\n")
    run = f"`{command}`" if command else "The run"
    if log:
        times = wall_time(log)
        run += (f" took {minutes(times['real'])} (`time`: real {times['real']:.1f} s, user "
                f"{times['user']:.1f} s, sys {times['sys']:.1f} s)")
    lines.append(f"- {run}, finished on {finished.isoformat()}.")
    lines.append(f"- Made with {where(recorded_provenance(results))}.")
    table = summary(jobs)
    total = table.iloc[-1]
    lines.append(f"- Its jobs (`python bench/run_time.py {results}`): {len(jobs):,} with a benchmark file "
                 f"(downloads, tables and figures have none), {total['job_minutes']:.1f} job-minutes, "
                 f"{total['cpu_minutes']:.1f} CPU-minutes.")
    lines.append(f"- {primary_questions(results)}.\n")
    table = table.round({"job_minutes": 2, "cpu_minutes": 2}).astype({"peak_mb": int})
    table = table.rename(columns={"job_minutes": "job-minutes", "cpu_minutes": "CPU-minutes", "peak_mb": "peak MB"})
    lines.append(markdown_table(table))
    lines.append("The study's two stages (the confirmation: the fresh seeds' training and analyses):\n")
    by_stage = stages(jobs, results).round({"job_minutes": 2, "cpu_minutes": 2, "span_minutes": 1})
    lines.append(markdown_table(by_stage.rename(columns={
        "job_minutes": "job-minutes", "cpu_minutes": "CPU-minutes", "span_minutes": "span (minutes)"})))
    for heading in QUOTED:
        lines.append(f"{heading} (`{results}/tables/summary.md`):\n")
        lines.append(summary_table(results, heading) + "\n")
    return "\n".join(lines)


def replace_section(page, title, text):
    """`page` with its ``## title`` section (up to the next ``## ``) replaced by `text`, or
    `text` appended."""
    pattern = rf"^## {re.escape(title)}\n.*?(?=^## |\Z)"
    if re.search(pattern, page, flags=re.S | re.M):
        return re.sub(pattern, lambda _: text.rstrip("\n") + "\n\n", page, count=1, flags=re.S | re.M).rstrip("\n") + "\n"
    return page.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="a finished run's results directory")
    parser.add_argument("--title", required=True, help="the section's heading")
    parser.add_argument("--command", help="the command that made the run")
    parser.add_argument("--time", metavar="LOG", help="a file ending in bash's time output of that command")
    parser.add_argument("--note", help="what the tree cannot say (the machine was shared, ...)")
    parser.add_argument("--page", default=PAGE, type=Path, help="default: docs/results.md")
    args = parser.parse_args(argv)
    text = section(args.results, args.title, args.command, args.time, args.note)
    write_text(args.page, replace_section(args.page.read_text() if args.page.exists() else "", args.title, text))
    print(f"wrote the section {args.title!r} of {args.page}")


if __name__ == "__main__":
    main()
