"""Every figure the study draws keeps its text inside the figure: each drawn from inputs shaped
like the quick study's (8 x 8 digits, 10 examples, latent sizes 2 and 8, the metrics' real
labels); the quick study's own figures in the slow test. And what some figures draw to be read:
a code plane's tiles apart, an inpainting figure's PSNR per mask."""
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from study.analyses import ANALYSES
from study.figures import classifier_curves, learning_curves
from study.metric_figures import metric_figure
from study.summary.choice import model_free
from study.variants import AEVariant, ae_variants

EXAMPLES, SHAPE, PIXELS = 10, (8, 8), 64


def drawn_texts(fig):
    """The visible, non-empty texts of `fig` that Agg draws: tick labels of ticks inside their
    axis' limits only (matplotlib keeps, undrawn, the labels of ticks outside them)."""
    ticks, drawn = set(), []
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = (tick.label1, tick.label2)
                ticks.update(labels)
                if ax.axison and low - 1e-9 * abs(high - low) <= tick.get_loc() <= high + 1e-9 * abs(high - low):
                    drawn += [label for label in labels if label.get_visible()]
    for text in fig.findobj(Text):
        if text in ticks or (text.axes is not None and not text.axes.axison and text is not text.axes.title):
            continue
        drawn += [text] if text.get_visible() else []
    return [text for text in drawn if text.get_text().strip()]


def texts_outside(fig, tolerance=1.0):
    """The texts of `fig` drawn with Agg whose box is not inside the figure's (give or take
    `tolerance` pixels): a label cut at the edge of the PNG."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer, box = canvas.get_renderer(), fig.bbox
    outside = []
    for text in drawn_texts(fig):
        extent = text.get_window_extent(renderer)
        if (extent.x0 < box.x0 - tolerance or extent.x1 > box.x1 + tolerance
                or extent.y0 < box.y0 - tolerance or extent.y1 > box.y1 + tolerance):
            outside.append(text.get_text())
    return outside


def _arrays(analysis, name):
    """What `analysis` saves for representation `name`, in the quick study's shapes."""
    rng = np.random.default_rng(0)
    images = lambda *shape: rng.random((*shape, PIXELS)).astype(np.float32)
    common = {"indices": np.arange(EXAMPLES), "image_shape": np.array(SHAPE)}
    if analysis == "reconstruction":
        return {**common, "clean": images(EXAMPLES), "reconstruction": images(EXAMPLES),
                "worst_indices": np.arange(EXAMPLES), "worst_error": np.linspace(30, 12, EXAMPLES),
                "worst_clean": images(EXAMPLES), "worst_reconstruction": images(EXAMPLES)}
    if analysis == "tsne":
        y = np.repeat(np.arange(10), 30)
        return {"indices": np.arange(300), "y": y, "map": rng.normal(size=(300, 2)) + y[:, None],
                "codes": rng.normal(size=(300, 2))}
    if analysis == "denoising":
        return {**common, "kinds": np.array(["gaussian", "masking", "salt_and_pepper"]),
                "levels": np.array([0.1, 0.25, 0.5]), "clean": images(EXAMPLES), "noisy": images(3, 3, EXAMPLES),
                "output": images(3, 3, EXAMPLES)}
    if analysis == "inpainting":
        return {**common, "masks": np.array(["lower_half", "square"]), "clean": images(EXAMPLES),
                "masked": images(2, EXAMPLES), "output": images(2, EXAMPLES)}
    if analysis == "retrieval":
        return {**common, "queries": images(EXAMPLES), "nearest": images(EXAMPLES)}
    if analysis == "interpolation":
        from study.analyses.interpolation import PLANE_GRID, SHOWN

        return {**common, "paths": images(SHOWN, 7), "plane": images(PLANE_GRID * PLANE_GRID),
                "plane_extent": np.array([-10.3, 10.9, -21.7, -0.6]), "samples": images(2 * SHOWN)}
    raise KeyError(analysis)


GRID = {"grid": {"latent_dim": [2, 8], "family": ["mlp"]}}
ANALYSIS_FIGURES = [(analysis.name, figure) for analysis in ANALYSES.values()
                    for figure, declared in analysis.figures.items() if declared.applies(GRID)]
METRIC_FIGURES = [(analysis.name, name, kind) for analysis in ANALYSES.values()
                  for name, metric in analysis.metrics.items()
                  for kind, drawn in (("lines", metric.lines), ("heatmap", metric.heatmap)) if drawn]


@pytest.mark.parametrize("analysis, figure", ANALYSIS_FIGURES)
def test_analysis_figures_keep_their_text_inside(fake_tables, analysis, figure):
    fig = ANALYSES[analysis].figures[figure].draw(fake_tables, "digits", lambda name: _arrays(analysis, name))
    assert texts_outside(fig) == []


@pytest.mark.parametrize("analysis, name, kind", METRIC_FIGURES)
def test_metric_figures_keep_their_text_inside(fake_tables, analysis, name, kind):
    declared = ANALYSES[analysis]
    reference = model_free(declared)
    fig = metric_figure(fake_tables[analysis], "digits", declared.metrics[name], kind, reference,
                        declared.baseline_labels.get(reference))
    assert texts_outside(fig) == []


def _curve(start, end, epochs=100):
    return end + (start - end) * np.exp(-np.arange(epochs) / 10)


def test_learning_and_classifier_curves_keep_their_text_inside(fake_grid):
    epochs = np.arange(1, 101)
    histories = {v: pd.DataFrame({"epoch": epochs, "train_loss": _curve(40, 20), "val_loss": _curve(35, 21 - v.noise)})
                 for v in ae_variants(fake_grid)}
    for k in (2, 8):  # the objectives study's families beside the plain ones
        for beta in (1.0, 4.0):
            output, kl = _curve(35, 22), _curve(3, beta * 2)
            histories[AEVariant("vae", k, "relu", settings=(("beta", beta),))] = pd.DataFrame(
                {"epoch": epochs, "train_loss": output + kl, "val_loss": output + kl, "val_output": output,
                 "val_kl": kl})
    assert texts_outside(learning_curves(histories, "digits: autoencoder learning curves on the validation split "
                                         "(the whole objective; below it, for a family with a penalty, its "
                                         "reconstruction term)")) == []
    history = pd.DataFrame({"epoch": np.arange(1, 11), "train_loss": _curve(2.5, 0.9, 10),
                            "val_loss": _curve(2.4, 0.88, 10), "val_accuracy": np.linspace(0.1, 0.9, 10)})
    assert texts_outside(classifier_curves({"hidden256_relu_dropout0_seed0": history},
                                           "digits: raw-pixel DIY classifiers' learning curves")) == []


def test_the_text_check_finds_a_cut_label():
    from study.figures import panel_grid

    fig, axes = panel_grid(1, 1, width=3.8, height=3.2)
    axes[0, 0].set_ylabel("inpainting PSNR (dB) on the hidden pixels, mean over masks, and more words still")
    assert texts_outside(fig) == [axes[0, 0].get_ylabel()]


def test_the_code_plane_has_gaps_between_its_tiles(fake_tables):
    from study.analyses.interpolation import PLANE_GRID

    fig = ANALYSES["interpolation"].figures["code_plane"].draw(fake_tables, "digits",
                                                                lambda name: _arrays("interpolation", name))
    [image] = fig.get_axes()[0].get_images()
    mosaic = np.ma.getdata(image.get_array()).astype(float)
    blank_rows = np.flatnonzero(np.isnan(mosaic).all(axis=1))
    blank_columns = np.flatnonzero(np.isnan(mosaic).all(axis=0))
    # Between every two neighbouring tiles, a line of background across the whole plane.
    tile = mosaic.shape[0] // PLANE_GRID
    for k in range(1, PLANE_GRID):
        assert {k * tile - 1, k * tile} <= set(blank_rows) and {k * tile - 1, k * tile} <= set(blank_columns)


def test_the_inpainting_figure_prints_each_masks_psnr_and_says_how_models_were_chosen(fake_tables):
    fig = ANALYSES["inpainting"].figures["inpainting"].draw(fake_tables, "digits",
                                                            lambda name: _arrays("inpainting", name))
    labels = [ax.get_ylabel() for ax in fig.get_axes()[::EXAMPLES]]
    table = fake_tables["inpainting"]
    test = table[(table["dataset"] == "digits") & (table["split"] == "test")]
    for mask in ("lower_half", "square"):
        block = labels[labels.index(f"masked: {mask}") + 1:][:5]
        for label in block:
            name = label.split("\n")[0].removeprefix("AE ").replace("PCA ", "pca").replace("mean image", "mean")
            psnr = test.loc[(test["representation"] == name) & (test["mask"] == mask), "psnr"].iloc[0]
            assert label.split("\n")[1] == f"PSNR {psnr:.2f} dB"
    title = fig.get_suptitle()
    assert "chosen on validation" in title and "PSNR: on that mask's hidden pixels, over the whole test split" in title


@pytest.mark.slow
def test_the_quick_studys_figures_keep_their_text_inside(quick_study):
    import sys

    from repository import REPO

    sys.path.insert(0, str(REPO / "tools"))
    import docs_figures  # noqa: E402  (tools/ is no package)

    results = quick_study.path("results/quick")
    names = docs_figures.figure_names(results, "digits")
    drawn = {path.stem.removeprefix("digits_") for path in (results / "figures").glob("digits_*.png")}
    assert set(names) == drawn  # every figure the workflow drew
    for name in names:
        assert texts_outside(docs_figures.draw(results, "digits", name)) == [], name
