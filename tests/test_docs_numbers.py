"""The numbers the pages quote from runs have one source each. A job count beside a command
(``snakemake ...  # 1,189 jobs on a fresh clone``) is what a dry run of that command plans in an
empty directory, so a change to the grid, the analyses or the rules that moves it fails here; any
other job count is a past run's, said so (``647 jobs then``), and the runs' times and results
are in docs/results.md, written by tools/results_page.py from a results tree."""
import json
import re
import shlex
import subprocess
import sys

import pytest

from repository import REPO

sys.path.insert(0, str(REPO / "tools"))
import results_page  # noqa: E402  (tools/ is no package)
from study.confirmation import verdicts_table  # noqa: E402
from study.tables import write_csv  # noqa: E402

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
RESULTS_PAGE = REPO / "docs" / "results.md"
COUNTED = re.compile(r"^\s*(snakemake .*?)\s+#\s*([\d,]+) jobs on a fresh clone$")


def counted_commands():
    """``[(page, command, jobs)]``: every shell line of the pages that quotes its job count."""
    found = []
    for page in PAGES:
        for block in re.findall(r"^ *```sh\n(.*?)```", page.read_text(), flags=re.S | re.M):
            for line in block.splitlines():
                match = COUNTED.match(line)
                if match:
                    found.append((page.name, match.group(1), int(match.group(2).replace(",", ""))))
    return found


def dry_run_arguments(command, workdir):
    """`command` as a dry run of this checkout's Snakefile in `workdir`, on one core, printing
    only each rule's count."""
    words = shlex.split(command)[1:]
    if "--cores" in words:
        del words[words.index("--cores"):words.index("--cores") + 2]
    words = [str(REPO / word) if word.startswith("workflow/configs/") else word for word in words]
    return [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(workdir),
            "-n", "--cores", "1", *words, "--quiet", "rules"]


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    """``{command: jobs}``: each counted command's dry run in an empty directory (a fresh
    clone's data/ and results/), all at once."""
    commands = sorted({command for _, command, _ in counted_commands()})
    runs = {command: subprocess.Popen(dry_run_arguments(command, tmp_path_factory.mktemp("fresh")),
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for command in commands}
    jobs = {}
    for command, run in runs.items():
        output = run.communicate(timeout=300)[0]
        total = re.search(r"^total\s+(\d+)$", output, flags=re.M)
        assert run.returncode == 0 and total, f"{command}\n{output[-3000:]}"
        jobs[command] = int(total.group(1))
    return jobs


def test_the_pages_quote_the_job_counts_of_the_study_commands():
    commands = [command for _, command, _ in counted_commands()]
    assert "snakemake --cores all --configfile workflow/configs/quick.yaml" in commands
    assert "snakemake --cores all aggregate --config 'datasets=[digits]'" in commands
    assert "snakemake --cores all" in commands


@pytest.mark.parametrize("page, command, jobs", counted_commands(), ids=lambda value: str(value)[:60])
def test_a_quoted_job_count_is_the_dry_run_s(planned, page, command, jobs):
    assert jobs == planned[command], (f"{page}: `{command}` plans {planned[command]:,} jobs on a fresh "
                                      f"clone, not {jobs:,}: correct the page")


@pytest.mark.parametrize("page", [page for page in PAGES if page != RESULTS_PAGE], ids=lambda page: page.name)
def test_any_other_job_count_is_a_past_run_s(page):
    for line in page.read_text().splitlines():
        if COUNTED.match(line):
            continue
        for count in re.finditer(r"\b\d\d[\d,]* jobs\b(?! then)", line):  # a study's, not "8 jobs at once"
            raise AssertionError(f"{page.name}: {line.strip()!r} quotes {count.group(0)!r}: beside its command "
                                 f"as `# N jobs on a fresh clone`, as a past run's (`N jobs then`), or in "
                                 f"docs/results.md")


# -- tools/results_page.py on a tiny results tree ------------------------------------------------
SUMMARY = """# Summary of the study

## Answers to the primary questions

How to read them, which the page leaves out.

| dataset   |   latent | metric           | verdict            |
|:----------|---------:|:-----------------|:-------------------|
| digits    |        2 | k-means accuracy | autoencoder better |

## Autoencoder vs PCA at each latent size

Text the page leaves out.

| dataset   |   latent | metric              | AE test    |
|:----------|---------:|:--------------------|:-----------|
| digits    |        2 | squared error/image | 2.58 (n=1) |

## Effect of training noise on denoising

| dataset   | not quoted |
"""


@pytest.fixture
def tree(tmp_path):
    results = tmp_path / "results"
    for stage, name, seconds in [("repr", "mlp_latent2_tanh_noise0_seed0", 90.0), ("kmeans", "pca2", 30.0)]:
        benchmark = results / "benchmarks" / "digits" / stage / f"{name}.tsv"
        benchmark.parent.mkdir(parents=True)
        benchmark.write_text("s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
                             f"{seconds}\t0:01:30\t100.5\t1\t1\t1\t0\t0\t50\t{seconds / 2}\n")
    document = results / "digits" / "kmeans" / "pca2.json"
    document.parent.mkdir(parents=True)
    document.write_text(json.dumps({"provenance": {"versions": {"python": "3.11.7", "numpy": "0.0.1"},
                                                   "commit": "0123456789" * 4, "cpu": "A CPU of another machine"}}))
    (results / "tables").mkdir()
    (results / "tables" / "summary.md").write_text(SUMMARY)
    verdicts = [{"dataset": dataset, "latent": latent, "metric": "kmeans_accuracy", "A": f"mlp_latent{latent}",
                 "B": f"pca{latent}", "verdict": verdict, "A - B": 0.1, "low": 0.05, "high": 0.15, "margin": 0.02,
                 "seeds": 5, "stage": "confirmation", "seeds to decide": None, "planned": 5}
                for dataset, latent, verdict in [("digits", 2, "autoencoder better"), ("digits", 8, "undecided"),
                                                 ("digits", 16, "equivalent (within 0.02)"),
                                                 ("mnist", 2, "PCA better")]]
    write_csv(verdicts_table(verdicts), results / "tables" / "verdicts.csv")
    log = tmp_path / "run.log"
    log.write_text("Finished.\n\nreal\t2m5.500s\nuser\t3m0.250s\nsys\t0m10.000s\n")
    return results, log


def test_the_results_page_section_is_written_from_the_tree(tree):
    results, log = tree
    text = results_page.section(results, "A run", "snakemake --cores 2", log, "Not idle.")
    assert text.startswith("## A run\n\nNot idle.\n")
    assert "`snakemake --cores 2` took 126 s (`time`: real 125.5 s, user 180.2 s, sys 10.0 s)" in text
    assert "commit `0123456`, A CPU of another machine, BLAS kernel not recorded" in text
    assert "numpy 0.0.1 (locked: " in text
    assert "2 with a benchmark file (downloads, tables and figures have none), 2.0 job-minutes, 1.0 CPU-minutes" in text
    assert "- Primary questions: digits, 2 of 3 decided; mnist, 1 of 1 decided (stage: confirmation).\n" in text
    assert "Holm" not in text
    # The verdict table first, then the exploration's table against PCA, each quoted whole.
    assert text.index("| digits    |        2 | k-means accuracy | autoencoder better |") < text.index(
        "| digits    |        2 | squared error/image | 2.58 (n=1) |")
    assert "Answers to the primary questions (`" in text
    assert "Text the page leaves out" not in text and "which the page leaves out" not in text
    assert "not quoted" not in text


def test_the_results_page_needs_the_run_s_verdicts(tree):
    results, log = tree
    (results / "tables" / "verdicts.csv").unlink()
    with pytest.raises(SystemExit, match="verdicts.csv is missing"):
        results_page.section(results, "A run")


def test_the_results_page_replaces_its_own_section_only():
    page = "# Results\n\nIntro.\n\n## A run\n\nold\n\n## Another run\n\nkept\n"
    assert (results_page.replace_section(page, "A run", "## A run\n\nnew\n")
            == "# Results\n\nIntro.\n\n## A run\n\nnew\n\n## Another run\n\nkept\n")
    assert results_page.replace_section(page, "Third", "## Third\n\nx\n").endswith("kept\n\n## Third\n\nx\n")


def test_every_page_s_run_numbers_link_to_the_results_page():
    readme = (REPO / "README.md").read_text()
    assert "](docs/results.md" in readme and "96 minutes" not in readme and "not yet timed" not in readme


def test_the_results_page_names_the_kernel_the_run_recorded():
    # Under OPENBLAS_CORETYPE the run's kernel is not this machine's own: the files say which.
    pools = [{"internal_api": "openblas", "architecture": "Haswell", "num_threads": 1},
             {"internal_api": "openmp", "architecture": None, "num_threads": 1}]
    assert results_page.blas_kernel({"cpu": "another CPU", "thread_pools": pools}) == "OpenBLAS Haswell"
    assert results_page.blas_kernel({"cpu": "another CPU"}).startswith("not recorded")
