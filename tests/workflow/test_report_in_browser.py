"""The quick study's report (``snakemake --report``), browsed as a reader browses it, in headless
Chromium driven by Selenium through Debian's chromedriver: every category of the menu clicked,
every subcategory, every entry's view button (and each value of a toggle, where the report makes
one), so that every figure the workflow made is shown, and its front page's example command runs
as shown. A click is WebDriver's: refused unless the element is displayed, enabled and the one
under the pointer, so a link hidden behind another or still moving is not clicked.

One run (module-scoped, a minute or two): the quick config, all of it, in a temporary directory.
"""
import base64
import json
import os
import shlex
import shutil
import struct
import subprocess
import sys

import pytest
import yaml

from snakemake_runs import REPO, job_counts

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in requirements.lock")
from selenium.common.exceptions import ElementClickInterceptedException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

#: Debian's chromium and chromium-driver packages (.ci/run installs both).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1600,1000"]
TIMEOUT = 30

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                                 reason="no chromium and chromedriver to browse the report with "
                                 "(Debian: apt-get install chromium chromium-driver, as .ci/run does)")]

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
def browsed(study, tmp_path_factory):
    return browse(study.path(f"{R}/report.html"), tmp_path_factory.mktemp("chromium-profile"))


def chromium(profile):
    """A headless Chromium with a fresh profile in `profile`, driven by Debian's chromedriver
    (named, so that Selenium never looks for a driver to download)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))


def browse(report, profile):
    """``(front page text, categories, [what each view button showed])``, from one walk
    through every category and subcategory of the report at `report` (a path)."""
    shown = []
    browser = chromium(profile)
    try:
        browser.get(report.resolve().as_uri())
        wait_for(browser, MENU_LINK.format(name=js("Workflow")), "the report's menu")
        wait_for(browser, "document.querySelector('.prose')", "the front page")
        front = evaluate(browser, "document.querySelector('.prose').innerText")
        # The menu's categories: the links after its "Results" heading.
        categories = evaluate(browser, """(() => {
            const items = [...document.querySelectorAll('nav ul > li')];
            const heading = items.findIndex(li => !li.querySelector('a') && li.textContent.trim() === 'Results');
            return items.slice(heading + 1).map(li => li.textContent.trim());
        })()""")
        for category in categories:
            click(browser, MENU_LINK.format(name=js(category)), f"category {category}")
            wait_for(browser, BREADCRUMB.format(name=js(category)), f"category {category} to open")
            if evaluate(browser, "Boolean(document.querySelector('nav table'))"):  # one subcategory: shown at once
                _view_subcategory(browser, shown)
            else:
                for subcategory in _texts(browser, "nav ul a"):
                    click(browser, MENU_LINK.format(name=js(subcategory)), f"{category}: {subcategory}")
                    wait_for(browser, "document.querySelector('nav table')", f"{category}: {subcategory} to open")
                    _view_subcategory(browser, shown)
                    click(browser, BREADCRUMB.format(name=js(category)), f"back to {category}")
                    wait_for(browser, "!document.querySelector('nav table')", f"back to {category}")
            click(browser, BREADCRUMB.format(name=js("Results")), "back to the menu")
            wait_for(browser, MENU_LINK.format(name=js(categories[0])), "the menu")
    finally:
        browser.quit()
    return front, categories, shown


def js(value):
    """`value` as a JavaScript literal."""
    return json.dumps(value)


def evaluate(browser, expression):
    """The value of a JavaScript expression, evaluated in the page (a DOM element comes back as
    Selenium's WebElement)."""
    return browser.execute_script(f"return {expression};")


def wait_for(browser, condition, what):
    """Wait until the JavaScript `condition` is true."""
    WebDriverWait(browser, TIMEOUT).until(lambda b: evaluate(b, f"Boolean({condition})"),
                                          f"timed out waiting for {what}")


def click(browser, element, what):
    """Click the element the JavaScript expression `element` returns, as WebDriver clicks: scrolled
    into view and refused while another element covers its middle. The report's links have CSS
    transitions and its layout settles as fonts and icons load, so a refused click is retried
    until the timeout."""
    def clicked(b):
        target = evaluate(b, element)
        assert target is not None, f"cannot click {what}: no such element"
        try:
            target.click()
        except ElementClickInterceptedException:
            return False
        return True
    WebDriverWait(browser, TIMEOUT).until(clicked, f"cannot click {what}: not visible")


def _texts(browser, selector):
    return evaluate(browser, f"[...document.querySelectorAll({js(selector)})].map(e => e.textContent.trim())")


def _view_subcategory(browser, shown):
    """Every entry of the subcategory shown, under each value of its toggle if it has one."""
    values = _texts(browser, "nav fieldset label")
    for value in values or [None]:
        if value is not None:
            click(browser, f"[...document.querySelectorAll('nav fieldset label')]"
                  f".find(l => l.textContent.trim() === {js(value)})", f"toggle {value}")
        _view_rows(browser, shown)


def _view_rows(browser, shown):
    """Click each row's view button; `shown` gets what the content pane then shows."""
    for i in range(evaluate(browser, f"{ROWS}.length")):
        before = evaluate(browser, SHOWN)
        click(browser, f"{ROWS}[{i}].querySelector('td:last-child a')", f"the view button of row {i}")
        wait_for(browser, f"JSON.stringify({SHOWN}) !== {js(json.dumps(before))}", f"row {i} to be shown")
        if evaluate(browser, SHOWN)[0] == "img":
            wait_for(browser, f"{CONTENT}.querySelector('img').complete", f"row {i}'s image to load")
        shown.append(evaluate(browser, SHOWN))


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
    assert len(categories) >= 8 and "01. Summary" in categories
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
