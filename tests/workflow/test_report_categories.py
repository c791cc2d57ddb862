"""The quick study's report (``snakemake --report``): its menu lists the categories in the order of
their numbers (0, 1, 2, ..., 10, not 0, 1, 10, 2), every analysis of the study in the category its
front page lists it under; and the front page's example command stays within the text's column,
clear of the workflow graph beside it (measured in headless Chromium, where there is one)."""
import json
import re
import shutil

import pytest

from study.analyses import ANALYSES
from study.report import category_number, report_categories, report_category

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def report(quick_study, tmp_path_factory):
    # Beside the quick study, not in it: the study is shared and not to be changed.
    path = tmp_path_factory.mktemp("report") / "report.html"
    quick_study.run("--report", str(path))
    return path


def _embedded(page, name):
    """A value the report's page embeds as ``var {name} = {JSON};`` (its template, index.html.jinja2)."""
    return json.loads(re.search(rf"var {name} = (.*?);\n", page).group(1))


def test_the_menu_orders_the_categories_as_numbers_and_holds_every_analysis(report, defaults):
    page = report.read_text()
    categories = _embedded(page, "categories")
    menu = sorted(categories)  # the menu's order (menu.js: text, localeCompare)
    assert [category_number(name) for name in menu] == sorted(category_number(name) for name in categories)
    assert menu[:2] == ["00. Training", "01. Summary"] and max(map(category_number, menu)) >= 10
    analyses = {name: ANALYSES[name] for name in defaults["analyses"]}  # the quick study's (it keeps the defaults')
    front = _embedded(page, "workflow_desc")
    for category, held in report_categories(analyses):
        assert f"<li><strong>{category}</strong>: {', '.join(held)}</li>" in front
    for name, analysis in analyses.items():  # the probe too: its table in its category
        tables = categories[report_category(analysis.category)]["tables"]
        assert any(path.endswith(f"/tables/{name}.html") for path in tables), name


@pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None, reason="no chromium and chromedriver "
                    "(Debian: apt-get install chromium chromium-driver, as .ci/run does)")
def test_the_front_page_command_stays_clear_of_the_workflow_graph(report, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000",
                 f"--user-data-dir={tmp_path}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    try:
        browser.get(report.resolve().as_uri())
        WebDriverWait(browser, 30).until(lambda b: b.execute_script(
            "const g = document.getElementById('rulegraph'); return g && g.getBoundingClientRect().width > 0"
            " && document.querySelector('.prose pre')"))
        command, text_right, widest, graph_left = browser.execute_script("""
            const prose = document.querySelector('.prose');
            const boxes = [...prose.querySelectorAll('*')].map(e => e.getBoundingClientRect().right);
            return [prose.querySelector('pre').innerText, prose.getBoundingClientRect().right,
                    Math.max(...boxes), document.getElementById('rulegraph').getBoundingClientRect().left];
        """)
    finally:
        browser.quit()
    assert command.startswith("snakemake ") and "--configfile" in command
    # Every box of the front page's text, the command's included, ends within its column, left of the graph.
    assert widest <= text_right + 0.5 and widest <= graph_left, (widest, text_right, graph_left)
