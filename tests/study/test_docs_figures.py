"""The figures under docs/ are the current code's: tools/docs_figures.py writes into each PNG the
title it was drawn with and the results tree it was drawn from; drawn again by today's code from
that run (the quick study, which the slow tests run), its title is the same."""
import sys

import pytest

from repository import REPO

sys.path.insert(0, str(REPO / "tools"))
import docs_figures  # noqa: E402  (tools/ is no package)

FIGURES = sorted((REPO / "docs").glob("*.png"))
#: The run the docs figures are drawn from (the README says so beside each).
SOURCE = "results/quick"


@pytest.mark.parametrize("path", FIGURES, ids=lambda path: path.name)
def test_every_docs_figure_says_what_it_was_drawn_from(path):
    text = docs_figures.png_text(path)
    assert text.get("Source", "").startswith(SOURCE), f"{path.name}: redraw it: python tools/docs_figures.py {SOURCE}"
    assert text.get("Title", "").startswith(path.stem.split("_")[0] + ": ")


def test_a_figure_drawn_by_the_tool_keeps_its_title_and_source(tmp_path, fake_tables):
    from study.figures import save_figure
    from study.metric_figures import metric_figure
    from study.analyses import ANALYSES

    fig = metric_figure(fake_tables["kmeans"], "digits", ANALYSES["kmeans"].metrics["kmeans_accuracy"])
    save_figure(fig, tmp_path / "digits_kmeans_accuracy_vs_latent.png", dpi=30, source="results/x")
    text = docs_figures.png_text(tmp_path / "digits_kmeans_accuracy_vs_latent.png")
    assert (text["Title"], text["Source"]) == (fig.get_suptitle(), "results/x")


@pytest.mark.slow
@pytest.mark.parametrize("path", FIGURES, ids=lambda path: path.name)
def test_each_docs_figure_has_the_title_the_code_draws_now(quick_study, path):
    results = quick_study.path(SOURCE)
    dataset, figure = docs_figures.split_name(path, ["digits", "mnist"])
    if not (results / dataset).is_dir():
        pytest.skip(f"the quick study has no {dataset}")
    assert docs_figures.png_text(path)["Title"] == docs_figures.draw(results, dataset, figure).get_suptitle()
