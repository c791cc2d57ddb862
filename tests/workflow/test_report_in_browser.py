"""The quick study's report (``snakemake --report``), browsed as a reader browses it, in headless
Chromium (tests/workflow/chromium.py): every category of the menu clicked, every subcategory,
every entry's view button (and each value of a toggle, where the report makes one), so that
every figure the workflow made is shown, and its front page's example command runs as shown.

One run (module-scoped, a minute or two): the quick config, all of it, in a temporary directory.
"""
import base64
import json
import os
import shlex
import struct
import subprocess
import sys

import pytest
import yaml

from chromium import CHROMIUM, Chromium
from snakemake_runs import REPO, job_counts

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium to browse the report in "
                                 "(Debian: apt-get install chromium, as .ci/run does)")]

QUICK = yaml.safe_load(open(os.path.join(REPO, "workflow", "configs", "quick.yaml")))
R = QUICK["results"]

# The report's parts, by what it renders (snakemake/report/html_reporter/template/components).
MENU_LINK = "[...document.querySelectorAll('nav ul a')].find(a => a.textContent.trim() === {name})"
BREADCRUMB = "[...document.querySelectorAll('nav ol a')].find(a => a.textContent.trim() === {name})"
ROWS = "document.querySelectorAll('nav table tbody tr')"
CONTENT = "document.querySelector('#app div.justify-center')"
# What the content pane shows: ["img", its data URI, natural width, height, drawn width] or
# ["iframe", its data URI], or null.
SHOWN = f"""(() => {{
    const image = {CONTENT}.querySelector('img'), frame = {CONTENT}.querySelector('iframe');
    if (image) return ["img", image.src, image.naturalWidth, image.naturalHeight,
                       image.getBoundingClientRect().width];
    return frame ? ["iframe", frame.src] : null;
}})()"""


@pytest.fixture(scope="module")
def study(quick_study):
    # The whole quick study (shared with test_quick_study), then its report.
    quick_study.run("--report", f"{R}/report.html")
    return quick_study


@pytest.fixture(scope="module")
def browsed(study):
    return browse(study.path(f"{R}/report.html"))


def browse(report):
    """``(front page text, categories, [what each view button showed])``, from one walk
    through every category and subcategory of the report at `report` (a path)."""
    shown = []
    with Chromium() as browser:
        page = browser.open(report.resolve().as_uri())
        page.wait_for(MENU_LINK.format(name=js("Workflow")), "the report's menu")
        page.wait_for("document.querySelector('.prose')", "the front page")
        front = page.evaluate("document.querySelector('.prose').innerText")
        # The menu's categories: the links after its "Results" heading.
        categories = page.evaluate("""(() => {
            const items = [...document.querySelectorAll('nav ul > li')];
            const heading = items.findIndex(li => !li.querySelector('a') && li.textContent.trim() === 'Results');
            return items.slice(heading + 1).map(li => li.textContent.trim());
        })()""")
        for category in categories:
            page.click(MENU_LINK.format(name=js(category)), f"category {category}")
            page.wait_for(BREADCRUMB.format(name=js(category)), f"category {category} to open")
            if page.evaluate("Boolean(document.querySelector('nav table'))"):  # one subcategory: shown at once
                _view_subcategory(page, shown)
            else:
                for subcategory in _texts(page, "nav ul a"):
                    page.click(MENU_LINK.format(name=js(subcategory)), f"{category}: {subcategory}")
                    page.wait_for("document.querySelector('nav table')", f"{category}: {subcategory} to open")
                    _view_subcategory(page, shown)
                    page.click(BREADCRUMB.format(name=js(category)), f"back to {category}")
                    page.wait_for("!document.querySelector('nav table')", f"back to {category}")
            page.click(BREADCRUMB.format(name=js("Results")), "back to the menu")
            page.wait_for(MENU_LINK.format(name=js(categories[0])), "the menu")
    return front, categories, shown


def js(value):
    """`value` as a JavaScript literal."""
    return json.dumps(value)


def _texts(page, selector):
    return page.evaluate(f"[...document.querySelectorAll({js(selector)})].map(e => e.textContent.trim())")


def _view_subcategory(page, shown):
    """Every entry of the subcategory shown, under each value of its toggle if it has one."""
    values = _texts(page, "nav fieldset label")
    for value in values or [None]:
        if value is not None:
            page.click(f"[...document.querySelectorAll('nav fieldset label')]"
                       f".find(l => l.textContent.trim() === {js(value)})", f"toggle {value}")
        _view_rows(page, shown)


def _view_rows(page, shown):
    """Click each row's view button; `shown` gets what the content pane then shows."""
    for i in range(page.evaluate(f"{ROWS}.length")):
        before = page.evaluate(SHOWN)
        page.click(f"{ROWS}[{i}].querySelector('td:last-child a')", f"the view button of row {i}")
        page.wait_for(f"JSON.stringify({SHOWN}) !== {js(json.dumps(before))}", f"row {i} to be shown")
        if page.evaluate(SHOWN)[0] == "img":
            page.wait_for(f"{CONTENT}.querySelector('img').complete", f"row {i}'s image to load")
        shown.append(page.evaluate(SHOWN))


def png_size(data):
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def decoded(uri):
    header, _, payload = uri.partition(",")
    assert header.endswith(";base64"), header
    return base64.b64decode(payload)


def test_every_figure_is_reached_by_clicking_through_the_report(study, browsed):
    _, categories, shown = browsed
    assert len(categories) >= 8 and "1. Summary" in categories
    # {file's bytes: (natural width, height, drawn width)} of every image a view button showed.
    images = {decoded(uri): tuple(size) for kind, uri, *size in shown if kind == "img"}
    figures = sorted(study.path(f"{R}/figures").glob("*.png"))
    assert len(figures) >= 20  # every kind of figure of the quick study's one dataset
    missing = [path.name for path in figures if path.read_bytes() not in images]
    assert not missing, f"figures that no click through the report shows: {missing}"
    for path in figures:
        width, height, drawn = images[path.read_bytes()]
        assert (width, height) == png_size(path.read_bytes()) and drawn > 100, path.name
    # And every HTML table is an entry of its own.
    tables = {decoded(uri) for kind, uri, *_ in shown if kind == "iframe"}
    assert {path.read_bytes() for path in study.path(f"{R}/tables").glob("*.html")} <= tables


def test_the_front_page_command_rebuilds_a_file_of_this_study(study, browsed):
    front, _, _ = browsed
    [command] = [line for line in front.splitlines() if line.startswith("snakemake ")]
    words = shlex.split(command)
    # This study's own config file, and a file of its results.
    assert words[words.index("--configfile") + 1] == str(study.configfile)
    target = words[words.index("-f") + 1]
    assert target.startswith(f"{R}/digits/") and study.path(target).is_file()
    # As typed in the study's directory (a dry run): that one file is rebuilt, nothing else.
    result = subprocess.run([sys.executable, "-m", "snakemake", "-s", os.path.join(REPO, "Snakefile"), *words[1:], "-n"],
                            cwd=study.workdir, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert sum(job_counts(result.stdout).values()) == 1 and target in result.stdout
