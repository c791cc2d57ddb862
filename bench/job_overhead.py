"""What a workflow job pays to exist: its wall time as a process against its own computation.

For each kind of job the quick study runs (each analysis on one representation, ``pca8`` of
digits; the tables; the summary; each kind of figure; a PCA representation; an autoencoder's
training, of 5 epochs), this runs the job as the workflow does, in a new process, on the files
of a finished quick study (read only; the outputs go to a temporary directory):

- an analysis, as rule analysis' command: ``python -m study.launch study.analysis_job ...`` with
  the settings its document recorded;
- a ``script:`` job (tables, summary, figures, representations, training), as Snakemake runs
  one: the script behind Snakemake's preamble (``sys.path``, the pickled ``snakemake`` object,
  the import of ``snakemake.logging`` and ``snakemake.iocontainers``), in a file, by ``python``.

Each job runs twice: alone (its process imports what it uses, as by hand or in a cluster's job)
and served (through a warm job server, study.job_server, as in a local run). Then it times the
same job's computation in this process, once everything it imports is imported (one warm-up run
first): the analysis job's ``main`` or the script's body, reading inputs and writing outputs
included. The difference, job minus computation, is what the job pays to exist: the
interpreter's start, its imports (alone) or the fork (served), and whatever it does once per
process (the git commit a document records). Each figure is a median over ``--runs`` runs; on a
shared machine, compare two versions from runs made one after the other.

    python bench/job_overhead.py                      # results/quick, 5 runs each
    python bench/job_overhead.py --results results/quick --runs 7 --only kmeans figure_metric
"""
import argparse
import contextlib
import io
import json
import os
import pickle
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

DATASET = "digits"
REPRESENTATION = "pca8"
TRAINED, TRAINING_EPOCHS = "mlp_latent8_relu_noise0_seed0", 5  # the training job's variant and epochs
SCRIPTS = REPOSITORY / "workflow" / "scripts"
# The jobs import this checkout's study package (as the workflow's jobs do, run from it).
ENVIRONMENT = {**{key: value for key, value in os.environ.items() if key != "DIY_JOB_SERVER"},
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")]))}


def analysis_job(results, out, analysis):
    """(argv of ``python -m study.analysis_job``) for `analysis` of pca8, as rule analysis runs it."""
    from study.analyses import ANALYSES

    document = json.loads(Path(results, DATASET, analysis, f"{REPRESENTATION}.json").read_text())
    inputs = ANALYSES[analysis].inputs(results, DATASET, REPRESENTATION).values()
    return [DATASET, analysis, REPRESENTATION, *(str(REPOSITORY / path) if path.startswith("data/") else path
                                                  for path in inputs),
            "--json", f"{out}/{analysis}.json", "--arrays", f"{out}/{analysis}.npz",
            "--log", f"{out}/{analysis}.log", "--threads", str(ANALYSES[analysis].threads(REPRESENTATION)),
            "--settings", json.dumps(document["params"], sort_keys=True)]


def files(kind, entries):
    """A Snakemake ``InputFiles``/``OutputFiles``/``Log``/``Params``/``Wildcards`` of `entries`,
    ``[(name or None, value or list of values), ...]``, named as a rule names them."""
    import snakemake.iocontainers as io

    flat, names = [], []
    for name, value in entries:
        start = len(flat)
        flat += value if isinstance(value, list) else [value]
        names.append((name, start, len(flat) if isinstance(value, list) else None))
    container = getattr(io, kind)(toclone=flat)
    for name, start, end in names:
        if name is not None:
            container._set_name(name, start, end)
    return container


def script_jobs(results, out, config):
    """name -> (script, Snakemake object), one per kind of script job, on the quick study's files."""
    import snakemake.iocontainers as io

    from study.analyses import ANALYSES
    from study.settings import family_params, training_params

    tables, digits = Path(results, "tables"), Path(results, DATASET)
    metrics = str(tables / "metrics.csv")
    variants = sorted(path.name for path in (digits / "repr").glob("mlp_*"))
    classifiers = sorted(path.name for path in (digits / "clf").iterdir())
    analyses = sorted(path.name for path in digits.iterdir() if path.is_dir() and path.name not in ("repr", "clf"))
    confidence = config["analysis"]["bootstrap"]["confidence"]
    kmeans = sorted(str(path) for path in (digits / "kmeans").glob("*.json"))
    figure_arrays = sorted((digits / "reconstruction").glob("*.npz"))
    jobs = {
        "table": ("table.py", [("", kmeans)], [(key, f"{out}/kmeans{suffix}") for key, suffix in (
            ("csv", ".csv"), ("md", ".md"), ("html", ".html"), ("configurations_csv", "_configurations.csv"),
            ("configurations_md", "_configurations.md"), ("pivots", "_pivots.md"))],
            [("confidence", confidence), ("caption", "")], {"table": "kmeans"}, "table"),
        "classifiers_table": ("classifiers_table.py",
                              [(None, [str(digits / "clf" / name / "metrics.json") for name in classifiers])],
                              [(key, f"{out}/classifiers.{key}") for key in ("csv", "md", "html")],
                              [("entries", [[DATASET, name] for name in classifiers])], {}, "classifiers_table"),
        "metrics_table": ("metrics_table.py", [(None, [str(tables / f"{name}.csv") for name in analyses])],
                          [(None, f"{out}/metrics.csv")], [("analyses", analyses)], {}, "metrics_table"),
        "summary": ("summary.py", [("metrics", metrics), ("verdicts", str(tables / "verdicts.csv")),
                                   ("classifiers", str(tables / "classifiers.csv")),
                                   ("histories", [str(digits / "repr" / name / "history.csv") for name in variants])],
                    [("md", f"{out}/summary.md"), ("html", f"{out}/summary.html")],
                    [("datasets", [DATASET]), ("failed", {}),
                     ("epochs", {DATASET: config["training"]["epochs"]})], {}, "summary"),
        "figure_learning_curves": ("figure_learning_curves.py",
                                   [(None, [str(digits / "repr" / name / "history.csv") for name in variants])],
                                   [(None, f"{out}/learning_curves.png")], [("variants", variants)],
                                   {"dataset": DATASET}, "learning_curves_figure"),
        "figure_classifier_curves": ("figure_classifier_curves.py",
                                     [(None, [str(digits / "clf" / name / "history.csv") for name in classifiers])],
                                     [(None, f"{out}/classifier_curves.png")], [("variants", classifiers)],
                                     {"dataset": DATASET}, "classifier_curves_figure"),
        "figure_metric": ("figure_metric.py", [(None, metrics)], [(None, f"{out}/kmeans_accuracy_vs_latent.png")],
                          [("analysis", "kmeans"), ("label", ANALYSES["kmeans"].metrics["kmeans_accuracy"].label),
                           ("confidence", confidence)],
                          {"dataset": DATASET, "metric": "kmeans_accuracy", "kind": "vs_latent"}, "metric_figure"),
        "figure_analysis": ("figure.py", [("metrics", metrics), ("arrays", [str(path) for path in figure_arrays])],
                            [(None, f"{out}/reconstructions.png")],
                            [("analysis", "reconstruction"), ("names", [path.stem for path in figure_arrays]),
                             ("caption", "")], {"dataset": DATASET, "figure": "reconstructions"}, "analysis_figure"),
        "representation_pca": ("representation.py", [(None, str(REPOSITORY / "data" / f"{DATASET}.npz"))],
                               [("model", f"{out}/pca8/model.npz"), ("codes", f"{out}/pca8/codes.npz")],
                               [("seed", config["analysis"]["seed"])],
                               {"dataset": DATASET, "latent_dim": "8"}, "pca"),
        # A short training (TRAINING_EPOCHS): its fixed cost is a long one's.
        "train_autoencoder": ("train_autoencoder.py", [(None, str(REPOSITORY / "data" / f"{DATASET}.npz"))],
                              [(key, f"{out}/{TRAINED}/{key}.{suffix}") for key, suffix in (
                                  ("model", "npz"), ("history", "csv"), ("codes", "npz"), ("benchmark", "tsv"))],
                              [("family", family_params(config["families"]["mlp"], DATASET)), ("noise_type", None),
                               ("training", {**training_params(config["training"], DATASET),
                                             "epochs": TRAINING_EPOCHS}),
                               ("failed", f"{out}/failed/{TRAINED}.json")],
                              {"dataset": DATASET, "variant": TRAINED}, "train_autoencoder"),
    }
    made = {}
    for name, (script, inputs, outputs, params, wildcards, rule) in jobs.items():
        made[name] = (SCRIPTS / script, io.Snakemake(
            files("InputFiles", [(key or None, value) for key, value in inputs]), files("OutputFiles", outputs),
            files("Params", params), files("Wildcards", list(wildcards.items())), 1,
            io.ResourceList(),
            files("Log", [(None, f"{out}/logs/{name}.log")]), config, rule, None, str(SCRIPTS)))
    return made


def with_preamble(script, snakemake, directory):
    """A copy of `script` behind the preamble Snakemake writes before a ``script:`` (9.x), which
    names the script's own path ``__file__``."""
    searchpaths = [str(Path(sys.modules["snakemake"].__file__).parents[1]), str(script.parent)]
    preamble = (f"import sys; sys.path.extend({searchpaths!r}); import pickle; "
                f"snakemake = pickle.loads({pickle.dumps(snakemake, protocol=4)!r}); "
                "from snakemake.logging import logger; from snakemake.iocontainers import Snakemake;"
                f"__real_file__ = __file__; __file__ = {str(script)!r};")
    path = Path(directory, f"{script.stem}.snakemake.py")
    path.write_text(preamble + "\n" + script.read_text())
    return path


def wall(argv, runs, environment=ENVIRONMENT):
    """Median wall seconds of `argv` as a new process (which must succeed)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, cwd=REPOSITORY, stdout=subprocess.DEVNULL, env=environment)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(run, runs):
    """Median seconds of `run()` in this process, after one warm-up run (its imports)."""
    with contextlib.redirect_stdout(io.StringIO()):
        run()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_module(argv):
    def run():
        sys.argv = ["study.analysis_job", *argv]
        runpy.run_module("study.analysis_job", run_name="__main__")
    return run


def run_script(script, snakemake):
    return lambda: runpy.run_path(str(script), init_globals={"snakemake": snakemake}, run_name="__main__")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", default="results/quick", help="a finished quick study (read only)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each job, each way (median)")
    parser.add_argument("--only", nargs="+", help="these jobs only (an analysis' name or a script job's)")
    args = parser.parse_args()
    from study import job_server
    from study.config import merge, read_yaml

    results = str(Path(args.results).resolve())
    config = merge(read_yaml(REPOSITORY / "config.yaml"), read_yaml(REPOSITORY / "workflow/configs/quick.yaml"))
    analyses = sorted(path.name for path in Path(results, DATASET).iterdir()
                      if path.is_dir() and path.name not in ("repr", "clf"))
    rows = []
    with tempfile.TemporaryDirectory() as job_out, tempfile.TemporaryDirectory() as own_out:
        jobs = {}
        for analysis in analyses:
            jobs[analysis] = ([sys.executable, "-m", "study.launch", "study.analysis_job",
                               *analysis_job(results, job_out, analysis)],
                              run_module(analysis_job(results, own_out, analysis)))
        for name, (script, snakemake) in script_jobs(results, job_out, config).items():
            _, own = script_jobs(results, own_out, config)[name]
            jobs[name] = ([sys.executable, str(with_preamble(script, snakemake, job_out))], run_script(script, own))
        server, path = job_server.start()
        served = {**ENVIRONMENT, "DIY_JOB_SERVER": path}
        try:
            for name, (argv, run) in jobs.items():
                if args.only and name not in args.only:
                    continue
                alone, job, compute = wall(argv, args.runs), wall(argv, args.runs, served), in_process(run, args.runs)
                rows.append((name, alone, job, compute))
                print(f"{name}: alone {alone:.2f} s, served {job:.2f} s, computation {compute:.2f} s", file=sys.stderr)
        finally:
            job_server.stop(server, path)
    print("| job | alone (s) | served (s) | computation (s) | fixed cost alone (s) | fixed cost served (s) |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name, alone, job, compute in rows:
        print(f"| {name} | {alone:.2f} | {job:.2f} | {compute:.2f} | {alone - compute:.2f} | {job - compute:.2f} |")
    for way, column in (("alone", 1), ("served", 2)):
        fixed = sorted(row[column] - row[3] for row in rows)
        print(f"\nfixed cost {way}: median {statistics.median(fixed):.2f} s, largest {fixed[-1]:.2f} s "
              f"({args.runs} runs each, median)")


if __name__ == "__main__":
    main()
