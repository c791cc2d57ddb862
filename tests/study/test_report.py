"""The report: its categories, numbered and ordered as numbers, one for every registered
analysis; its front page listing them; and its example command, the study's own config files and
--config last, wrapped to fit."""
import html
import re
import shlex
from dataclasses import replace

import pytest

from repository import REPO
from study.analyses import ANALYSES
from study.report import (SUMMARY, TRAINING, category_number, rebuild_command, report_categories,
                          report_category)

TARGET = "results/quick/digits/kmeans/mlp_latent2_tanh_noise0_seed0.json"


def test_the_default_study_needs_no_config():
    assert rebuild_command(TARGET, cwd="/repo") == f"snakemake --cores 2 -f {TARGET}"


def test_a_config_file_inside_the_working_directory_is_given_relative_to_it_outside_as_it_is():
    command = rebuild_command(TARGET, ["/repo/workflow/configs/quick.yaml", "/elsewhere/more.yaml"], cwd="/repo")
    assert command == f"snakemake --cores 2 -f {TARGET} --configfile workflow/configs/quick.yaml /elsewhere/more.yaml"
    # A sibling directory whose name starts like the working directory's is outside it.
    assert rebuild_command(TARGET, ["/repo2/q.yaml"], cwd="/repo").endswith("--configfile /repo2/q.yaml")


def test_command_line_config_entries_come_last_and_are_quoted_as_one_word_each():
    entries = ["datasets=['digits', 'mnist']", "results='results/x'"]
    command = rebuild_command(TARGET, ["/repo/quick.yaml"], entries, cwd="/repo")
    words = shlex.split(command)
    assert words[-3:] == ["--config", *entries]
    assert words[words.index("--configfile") + 1] == "quick.yaml"


# -- the report's categories and its front page ------------------------------------------------
def _menu(names):
    """The report menu's order (snakemake's menu.js: ``localeCompare``, text order)."""
    return sorted(names)


def test_the_menu_orders_the_categories_as_numbers():
    # The registry's analyses (numbered from 2) and one more numbered after them (10 and above):
    # text order is number order.
    after = max(10, *(category_number(analysis.category) for analysis in ANALYSES.values())) + 1
    code_norm = replace(next(iter(ANALYSES.values())), name="code_norm", category=f"{after}. Code norm")
    listed = [name for name, _ in report_categories({**ANALYSES, "code_norm": code_norm})]
    numbers = [category_number(name) for name in listed]
    assert _menu(listed) == listed and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert numbers[:2] == [0, 1] and numbers[-1] == after
    assert listed[:2] == [report_category(TRAINING), report_category(SUMMARY)] == ["00. Training", "01. Summary"]
    assert report_category("6. Classification") == "06. Classification"
    with pytest.raises(ValueError, match="Code norm"):
        report_category("Code norm")


def test_every_registered_analysis_is_listed_under_its_category():
    listed = dict(report_categories(ANALYSES))
    for name, analysis in ANALYSES.items():  # the probe too
        assert name in listed[report_category(analysis.category)], name
    assert sorted(name for held in list(listed.values())[2:] for name in held) == sorted(ANALYSES)


def _front_page(config):
    """workflow/report/workflow.rst as snakemake --report renders it: Jinja, then docutils."""
    from docutils.core import publish_parts
    from jinja2 import Environment

    class Snakemake:
        pass

    Snakemake.config = config
    text = (REPO / "workflow" / "report" / "workflow.rst").read_text()
    rst = Environment(trim_blocks=True, lstrip_blocks=True).from_string(text).render(snakemake=Snakemake)
    return publish_parts(rst, writer="html")["html_body"]


def test_the_front_page_lists_every_category_and_wraps_its_command(small_config):
    analyses = {name: ANALYSES[name] for name in small_config["analyses"]}
    long_target = "results/quick/digits/reconstruction/" + "mlp_latent2_tanh_noise0_seed0" * 3 + ".json"
    config = {**small_config, "report_categories": report_categories(analyses),
              "report_example": rebuild_command(long_target, ["/tmp/a config & <more>.yaml"], cwd="/repo")}
    page = _front_page(config)
    for category, held in report_categories(analyses):
        assert f"<li><strong>{category}</strong>: {', '.join(held)}</li>" in page
    # The command, one unbroken word of a path included, wraps within the text's column instead of
    # running into the workflow graph beside it: a block that breaks lines, anywhere if it must.
    [block] = re.findall(r"<pre style=\"([^\"]*)\">([^<]*)</pre>", page)
    style, command = block
    assert "white-space: pre-wrap" in style and "overflow-wrap: anywhere" in style
    assert html.unescape(command) == config["report_example"]
