"""The README and its pages under docs/ run as written: the README's two commands are CI's,
every Python block runs (those that read the quick study's results, in it), every shell command runs (the quick study for real; the long ones as
dry runs of a small study, so that a wrong target, option or config key fails here and not for a
reader), and every link between the pages leads to a file and a heading that exist."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from repository import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# The test command installs the slurm extra's lock too (the cluster test needs the plugin);
# the study's command keeps the local install small.
INSTALL = ("python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.lock{} "
           "&& pip install --no-deps -e . && ")


def blocks(language):
    """The code blocks of every page in `language`, in page order."""
    return [block for page in PAGES
            for block in re.findall(rf"^ *```{language}\n(.*?)```", page.read_text(), flags=re.S | re.M)]


def anchor(heading):
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_is_a_front_page_and_links_to_every_page():
    readme = PAGES[0].read_text()
    assert len(readme.splitlines()) < 250
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, f"the README does not link to docs/{page.name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_leads_to_a_file_and_heading(page):
    for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
        if target.startswith(("http://", "https://")):
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} names no file"
        if fragment:
            headings = re.findall(r"^#+ (.*)$", linked.read_text(), flags=re.M)
            assert fragment in {anchor(heading) for heading in headings}, f"{page.name}: no heading #{fragment}"


def commands():
    """Every shell command of the README and its pages (one per line, comments dropped)."""
    lines = [line.split("  #")[0].strip() for block in blocks("sh") for line in block.splitlines()]
    return [line for line in lines if line]


def test_the_two_commands_are_ci_s_test_command_and_the_study():
    lines = (REPO / ".ci" / "run").read_text().splitlines()
    ci = lines[lines.index("# The README's test command:") + 1]
    installs = [line for line in commands() if line.startswith("python3 -m venv")]
    assert installs == [INSTALL.format(" -r requirements-slurm.lock") + "python -m pytest",
                        INSTALL.format("") + "snakemake --cores all"]
    assert ci == installs[0]


def python_blocks(reads_results):
    """The Python blocks that read the quick study's results (they name ``results/quick``:
    docs/notebook.md's), or the others."""
    return [block for block in blocks("python") if ("results/quick" in block) == reads_results]


@pytest.mark.parametrize("index", range(len(python_blocks(False))))
def test_python_block_runs(index, tmp_path):
    result = subprocess.run([sys.executable, "-c", python_blocks(False)[index]], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(python_blocks(True))))
def test_python_block_runs_on_the_quick_study(index, quick_study):
    # In the session's quick study, as a reader runs it where the study ran (reading only).
    result = subprocess.run([sys.executable, "-c", python_blocks(True)[index]], cwd=quick_study.workdir,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip()


def _snakemake(line, workdir, config):
    """`line` (a README command) as an argument list run in `workdir`."""
    environment = dict(os.environ)
    words = shlex.split(line)
    while "=" in words[0]:  # VARIABLE=value prefixes
        name, value = words.pop(0).split("=", 1)
        environment[name] = value
    assert words[0] == "snakemake", line
    arguments = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(workdir),
                 *words[1:]]
    # Last: --configfile takes every word that follows it (the README's own --config still wins).
    return arguments + (["--configfile", str(config)] if config is not None else []), environment


@pytest.mark.slow
def test_every_snakemake_command_runs(tmp_path, quick_study):
    # A small study under the default results/ directory, for the commands that do not name a
    # study config of their own: the same targets, seconds instead of an hour.
    small = yaml.safe_load((REPO / "workflow" / "configs" / "quick.yaml").read_text())
    small.pop("results")
    small_config = tmp_path / "small.yaml"
    small_config.write_text(yaml.safe_dump(small))
    # The quick study's commands run for real in a copy of the session's quick study (same
    # config, so Snakemake finds its jobs done and runs what they add: the report), since
    # running the study once more would take minutes.
    workdir = tmp_path / "work"
    shutil.copytree(quick_study.workdir, workdir, symlinks=True)
    snakemake_lines = [line for line in commands() if "snakemake" in line and not line.startswith("python3")]
    assert len(snakemake_lines) >= 10
    for line in snakemake_lines:
        real = "workflow/configs/quick.yaml" in line  # the quick study itself runs for real
        command, environment = _snakemake(line.replace("workflow/configs/", f"{REPO}/workflow/configs/"),
                                          workdir, None if real else small_config)
        if not real:  # a dry run, on one core
            if "--cores" in command:
                del command[command.index("--cores"):command.index("--cores") + 2]
            command += ["-n", "--cores", "1"]
        if "DIY_MNIST_MIRROR" in environment and not Path(environment["DIY_MNIST_MIRROR"]).is_dir():
            environment.pop("DIY_MNIST_MIRROR")
        result = subprocess.run(command, cwd=workdir, env=environment, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert (workdir / "results" / "quick" / "report.html").stat().st_size > 100_000


@pytest.mark.slow
def test_the_benchmark_command_runs():
    line = next(line for line in commands() if line.startswith("python bench/"))
    words = shlex.split(line)
    result = subprocess.run([sys.executable, *words[1:], "--seconds", "0.3", "--threads", "1"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "samples/s" in result.stdout
