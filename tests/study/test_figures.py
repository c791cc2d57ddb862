"""The figures: each drawn from small fake inputs and written as a non-empty PNG."""
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from study.analyses import ANALYSES
from study.figures import classifier_curves, image_rows, learning_curves, save_figure, scatter_maps
from study.metric_figures import heatmaps, metric_figure, metric_vs_latent
from study.summary.choice import model_free
from study.tables import metric_values
from study.variants import AEVariant, ae_variants

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
METRICS = {name: (analysis, metric) for analysis in ANALYSES.values() for name, metric in analysis.metrics.items()}


def check_png(path, min_bytes=5_000):
    """A real, non-trivial PNG: the magic bytes, a size, and more than one colour."""
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > min_bytes
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image.std() > 0.01


def save(fig, tmp_path, name):
    path = tmp_path / f"{name}.png"
    save_figure(fig, path, dpi=50)
    return path


def values_of(fake_tables, name):
    analysis, metric = METRICS[name]
    return metric_values(fake_tables[analysis.name], metric), metric, model_free(analysis)


def table_of(fake_tables, name):
    """The table of the analysis of metric `name`."""
    return fake_tables[METRICS[name][0].name]


# One metric of each kind: an error (lower is better), one with the noisy input as its
# reference, one selected by classifier, one from the t-SNE table, one with the mean image.
@pytest.mark.parametrize("name, reference_label", [
    ("reconstruction_error", None), ("denoising_psnr", "noisy input"), ("knn_accuracy", "raw pixels"),
    ("tsne_trustworthiness", "raw pixels"), ("inpainting_psnr", "mean image")])
def test_metric_against_latent_size(tmp_path, fake_tables, name, reference_label):
    values, metric, reference = values_of(fake_tables, name)
    # An own baseline is named by its analysis (noisy input), raw pixels by the figures.
    label = METRICS[name][0].baseline_labels.get(reference)
    fig = metric_figure(table_of(fake_tables, name), "digits", metric, kind="lines", reference=reference,
                        reference_label=label)
    assert fig._suptitle.get_text().startswith(f"digits: {metric.label}")
    axes = fig.get_axes()
    assert len(axes) == 2  # one panel per training noise
    assert [ax.get_title() for ax in axes] == ["training noise 0", "training noise 0.5"]
    assert all(ax.get_xlabel() == "latent size" for ax in axes)
    assert axes[0].get_ylabel().replace("\n", " ") == metric.label  # wrapped to the axis' height
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert labels[:3] == ["AE, tanh", "AE, relu", "PCA, same size"]
    assert (reference_label in labels) if reference_label else len(labels) == 3
    # The mean over seeds is drawn: tanh at latent 8 and noise 0 (seeds 0 and 1).
    ae = values[(values["dataset"] == "digits") & (values["activation"] == "tanh") & (values["noise"] == 0)
                & (values["latent_dim"] == 8)]
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata()[1], ae["value"].mean())
    check_png(save(fig, tmp_path, name), min_bytes=3_000)


def test_one_line_style_per_family(fake_tables):
    table, metric = table_of(fake_tables, "reconstruction_error"), METRICS["reconstruction_error"][1]
    other = table[table["method"] == "autoencoder"].copy()
    other["family"] = "conv"
    other["representation"] = "conv" + other["representation"].str.removeprefix("mlp")
    fig = metric_figure(pd.concat([table, other]), "digits", metric)
    labels = [line.get_label() for line in fig.get_axes()[0].get_lines()]
    assert labels[:4] == ["mlp AE, tanh", "mlp AE, relu", "conv AE, tanh", "conv AE, relu"]


@pytest.mark.parametrize("name", ["reconstruction_error", "kmeans_accuracy"])
def test_heatmap(tmp_path, fake_tables, name):
    fig = metric_figure(table_of(fake_tables, name), "mnist", METRICS[name][1], kind="heatmap")
    panels = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["tanh", "relu"]
    assert all(ax.get_xlabel() == "training noise" and ax.get_ylabel() == "latent size" for ax in panels)
    # 2 latent sizes x 2 noises, each annotated with the mean over seeds
    assert len(panels[0].texts) == 4
    check_png(save(fig, tmp_path, name), min_bytes=3_000)


def test_heatmap_cells_are_means_over_seeds():
    values = pd.DataFrame({"method": "autoencoder", "activation": "tanh", "latent_dim": [2, 2, 8, 8],
                           "noise": [0.0, 0.0, 0.0, 0.0], "seed": [0, 1, 0, 1], "value": [1.0, 2.0, 3.0, 5.0]})
    fig = heatmaps(values, "x", "t")
    texts = sorted(text.get_text() for text in fig.get_axes()[0].texts)
    assert texts == ["1.50", "4.00"]


def test_learning_curves(tmp_path, fake_grid):
    histories = {v: pd.DataFrame({"epoch": np.arange(1, 6), "train_loss": 50 / np.arange(1, 6) + v.noise,
                                  "val_loss": 48 / np.arange(1, 6), "seconds": 0.1})
                 for v in ae_variants(fake_grid)}
    fig = learning_curves(histories, "digits: learning curves")
    # One panel per latent size; one line per activation and noise; its best value in the legend.
    sizes = sorted({v.latent_dim for v in histories})
    assert [ax.get_title() for ax in fig.get_axes()] == [f"latent {k}" for k in sizes]
    ax = fig.get_axes()[0]
    # A plain autoencoder's objective is its reconstruction term, and its label says so.
    assert ax.get_ylabel().replace("\n", " ") == "validation objective: reconstruction BCE per image"
    per_panel = len([v for v in histories if v.latent_dim == sizes[0]])
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert len(ax.get_lines()) == per_panel and len(labels) == len({(v.activation, v.noise) for v in histories})
    assert all(label.endswith(": 9.6") for label in labels)  # min(48 / epoch), epochs 1-5
    check_png(save(fig, tmp_path, "curves"))


def _history(output, penalty=None, name="kl"):
    """A history of per-epoch validation terms: the output's loss, and a penalty's if given."""
    output = np.asarray(output, float)
    frame = {"epoch": np.arange(1, len(output) + 1), "train_loss": output}
    if penalty is None:
        return pd.DataFrame({**frame, "val_loss": output, "seconds": 0.1})
    penalty = np.asarray(penalty, float)
    return pd.DataFrame({**frame, "val_loss": output + penalty, "val_output": output, f"val_{name}": penalty,
                         "seconds": 0.1})


def test_learning_curves_draw_each_objective_and_its_reconstruction_term_apart():
    vae = lambda beta: AEVariant("vae", 8, "relu", settings=(("beta", beta),))
    # beta 1: best objective 25 at epoch 3 (output 23); beta 4: best 34 at epoch 2 (output 27).
    histories = {AEVariant("mlp", 8, "relu"): _history([30, 20, 19]),
                 vae(1.0): _history([30, 25, 23], [4, 3, 2]), vae(4.0): _history([35, 27, 29], [9, 7, 8]),
                 AEVariant("sparse", 8, "relu", settings=(("sparsity", 1.0),)): _history([30, 24, 22], [1, 1, 1],
                                                                                       "sparsity")}
    fig = learning_curves(histories, "t")
    panels = {ax.get_title(): [] for ax in fig.get_axes()}
    for ax in fig.get_axes():
        panels[ax.get_title()].append(ax)
    assert list(panels) == ["mlp, latent 8", "sparse, latent 8", "vae, latent 8"]
    whole, term = panels["vae, latent 8"]
    assert whole.get_ylabel().replace("\n", " ") == "validation whole objective: BCE per image + beta x KL"
    assert term.get_ylabel().replace("\n", " ") == "validation its reconstruction term: BCE per image"
    # beta 1 and beta 4 each their own line and legend entry, at their own best epoch.
    assert [t.get_text() for t in whole.get_legend().get_texts()] == ["relu, beta 1: 25", "relu, beta 4: 34"]
    assert [t.get_text() for t in term.get_legend().get_texts()] == ["relu, beta 1: 23", "relu, beta 4: 27"]
    assert [list(line.get_ydata()) for line in term.get_lines()] == [[30, 25, 23], [35, 27, 29]]
    assert len({line.get_linestyle() for line in whole.get_lines()}) == 2
    assert panels["sparse, latent 8"][0].get_ylabel().replace("\n", " ").endswith("+ sparsity penalty")
    assert len(panels["mlp, latent 8"]) == 1  # its objective is its reconstruction term


def _tick_values(ax):
    return [float(t.get_text()) for t in ax.get_yticklabels()]


@pytest.mark.parametrize("low, high", [(17.1, 32.0), (21.7, 36.0), (0.9, 2.6), (0.5, 300.0), (17.1, 17.3)])
def test_log_axes_have_plain_ticks_round_every_curve(low, high):
    from study.figures import plain_log_axis

    ax = Figure().subplots()
    ax.plot([1, 2], [high, low])
    plain_log_axis(ax, [high, low])
    texts = [t.get_text() for t in ax.get_yticklabels()]
    assert all(re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) for text in texts), texts  # no 3.6x10^1
    ticks = _tick_values(ax)
    assert ticks[0] <= low and high <= ticks[-1] and len(ticks) >= 3
    assert ax.get_ylim() == pytest.approx((ticks[0], ticks[-1]))
    if high < 10 * low:  # evenly spaced: one number of decimals
        assert len({len(text.partition(".")[2]) for text in texts}) == 1


def test_learning_curve_panels_are_ticked_below_their_lowest_curve():
    epochs = np.arange(1, 101)
    histories = {AEVariant("mlp", k, "tanh"): _history(base + 15 * np.exp(-epochs / 10)) for k, base in ((2, 21.7), (8, 17.1))}
    for ax in learning_curves(histories, "t").get_axes():
        ticks, lowest = _tick_values(ax), min(line.get_ydata().min() for line in ax.get_lines())
        assert ticks[0] <= lowest and "x" not in "".join(t.get_text() for t in ax.get_yticklabels())


def test_classifier_curves(tmp_path):
    epochs = np.arange(1, 8)
    history = pd.DataFrame({"epoch": epochs, "train_loss": 1 / epochs, "val_loss": 1.1 / epochs,
                            "val_accuracy": 1 - 0.1 / epochs, "seconds": 1.0})
    fig = classifier_curves({"hidden64_relu_dropout0_seed0": history,
                             "hidden32_relu_dropout0_seed0": history * 1.01}, "digits: classifiers")
    assert [ax.get_ylabel() for ax in fig.get_axes()][1] == "validation accuracy"
    check_png(save(fig, tmp_path, "classifiers"))


def test_image_rows_and_maps_handle_ragged_input(tmp_path):
    rng = np.random.default_rng(1)
    fig = image_rows([("a", rng.random((3, 4))), ("b", rng.random((1, 4)))], (2, 2), "ragged")
    assert [ax.get_ylabel() for ax in fig.get_axes()[::3]] == ["a", "b"]
    check_png(save(fig, tmp_path, "ragged"), min_bytes=1_000)
    fig = scatter_maps([("one", rng.normal(size=(20, 2)), np.arange(20) % 3)], "one map")
    assert fig.get_axes()[0].get_title() == "one"
    check_png(save(fig, tmp_path, "map"), min_bytes=1_000)


def test_scatter_maps_lay_panels_in_rows():
    rng = np.random.default_rng(0)
    panels = [(str(i), rng.normal(size=(10, 2)), np.arange(10) % 2) for i in range(5)]
    fig = scatter_maps(panels, "five", n_cols=3, axis_label="code")
    titled = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in titled] == ["0", "1", "2", "3", "4"]
    assert titled[0].get_xlabel() == "code 1"


def test_save_figure_is_atomic(tmp_path):
    save_figure(image_rows([("a", np.zeros((1, 4)))], (2, 2), "t"), tmp_path / "f.png", dpi=30)
    assert [p.name for p in tmp_path.iterdir()] == ["f.png"]


# -- intervals over seeds ---------------------------------------------------------------------
def _seeds(values_by_cell, activation="tanh", noise=0.0):
    """Autoencoder rows of metric_values: {latent_dim: [value of seed 0, 1, ...]}."""
    return pd.DataFrame([{"dataset": "digits", "method": "autoencoder", "family": "mlp", "activation": activation,
                          "noise": noise, "latent_dim": k, "seed": s, "value": v}
                         for k, seeds in values_by_cell.items() for s, v in enumerate(seeds)])


def _bands(ax):
    from matplotlib.collections import PolyCollection

    return [c for c in ax.collections if isinstance(c, PolyCollection)]


@pytest.mark.parametrize("confidence", [0.95, 0.5])
def test_the_band_is_the_t_interval_over_seeds_and_each_seed_a_point(confidence):
    from study.statistics import t_interval

    seeds = {2: [0.50, 0.56, 0.53], 8: [0.70, 0.71, 0.75], 32: [0.80, 0.86, 0.81]}
    fig = metric_vs_latent(_seeds(seeds), "accuracy", "t", confidence=confidence)
    ax = fig.get_axes()[0]
    [line] = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), [np.mean(v) for v in seeds.values()])
    [band] = _bands(ax)
    vertices = band.get_paths()[0].vertices
    for k, values in seeds.items():
        interval = t_interval(values, confidence)
        at = vertices[np.isclose(vertices[:, 0], k), 1]
        assert min(at) == pytest.approx(interval.low) and max(at) == pytest.approx(interval.high)
    # Every seed drawn as a point of its own.
    [points] = [c for c in ax.collections if c not in _bands(ax)]
    np.testing.assert_allclose(sorted(map(tuple, points.get_offsets())),
                               sorted((k, v) for k, values in seeds.items() for v in values))


def test_one_seed_has_no_band():
    fig = metric_vs_latent(_seeds({2: [0.5], 8: [0.7]}), "accuracy", "t")
    ax = fig.get_axes()[0]
    assert _bands(ax) == [] and len(ax.get_lines()) == 1
    assert len(ax.collections[0].get_offsets()) == 2  # the seeds' points still


def _outlined(ax, style=None):
    """(row, column) of the cells outlined in red (solid or dashed, or of line `style`: "-", "--")."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    return sorted((round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in ax.patches
                  if isinstance(p, Rectangle) and p.get_edgecolor() == to_rgba("red") and not p.get_fill()
                  and (style is None or p.get_linestyle() == style))


def _chosen(activation="tanh", latent_dim=8, noise=0.0):
    """A configuration row as study.summary.choice.chosen_on_validation gives it."""
    return pd.Series({"activation": activation, "latent_dim": latent_dim, "noise": noise, "objective": "mlp"})


def test_heatmap_outlines_the_chosen_cell_and_those_whose_validation_interval_overlaps_it():
    # On test, latent 2 at noise 0.5 is best by far; the outline follows validation: latent 8
    # at noise 0 chosen, 0.80 [0.775, 0.825] over 3 seeds, and latent 2 at noise 0 overlaps it.
    test = pd.concat([_seeds({2: [0.6, 0.6, 0.6], 8: [0.6, 0.6, 0.6]}, noise=0.0),
                      _seeds({2: [0.9, 0.9, 0.9], 8: [0.6, 0.6, 0.6]}, noise=0.5)])
    validation = pd.concat([_seeds({2: [0.76, 0.79, 0.80], 8: [0.79, 0.80, 0.81]}, noise=0.0),
                            _seeds({2: [0.50, 0.50, 0.51], 8: [0.60, 0.61, 0.60]}, noise=0.5)])
    ax = heatmaps(test, "accuracy", "t", chosen=_chosen(), validation=validation).get_axes()[0]
    assert _outlined(ax, "-") == [(1, 0)] and _outlined(ax, "--") == [(0, 0)]
    # Without a choice, nothing is outlined: no cell is picked on the numbers drawn.
    assert _outlined(heatmaps(test, "accuracy", "t").get_axes()[0]) == []


def test_heatmap_outlines_only_the_chosen_cell_with_one_seed():
    values = pd.concat([_seeds({2: [0.79], 8: [0.80]}, noise=0.0), _seeds({2: [0.5], 8: [0.6]}, noise=0.5)])
    ax = heatmaps(values, "accuracy", "t", chosen=_chosen(latent_dim=2), validation=values).get_axes()[0]
    assert _outlined(ax) == [(0, 0)]


def test_heatmap_outlines_cells_of_other_panels_too():
    tanh = _seeds({2: [0.70, 0.71, 0.72], 8: [0.79, 0.80, 0.81]})
    # Chosen: relu at latent 2, 0.82 [0.770, 0.870]; tanh at latent 8 overlaps it, at latent 2 not.
    relu = _seeds({2: [0.80, 0.82, 0.84], 8: [0.40, 0.41, 0.42]}, activation="relu")
    values = pd.concat([tanh, relu])
    fig = heatmaps(values, "accuracy", "t", chosen=_chosen("relu", 2), validation=values)
    panels = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["tanh", "relu"]
    assert _outlined(panels[0], "--") == [(1, 0)] and _outlined(panels[1], "-") == [(0, 0)]


@pytest.mark.parametrize("name", ["kmeans_accuracy", "reconstruction_error"])
def test_the_heatmap_outlines_the_configuration_the_summary_chooses_on_validation(fake_tables, name):
    from study.summary.choice import chosen_on_validation

    # The fake study's ReLU autoencoders are best on validation, its tanh ones on test.
    table, metric = table_of(fake_tables, name), METRICS[name][1]
    validation, test = chosen_on_validation(table, metric, "digits")
    assert validation["activation"] == "relu"
    fig = metric_figure(table, "digits", metric, kind="heatmap")
    panels = {ax.get_title(): ax for ax in fig.get_axes() if ax.get_title()}
    sizes, noises = [2, 8], [0.0, 0.5]
    assert _outlined(panels["relu"], "-") == [(sizes.index(validation["latent_dim"]),
                                                  noises.index(validation["noise"]))]
    assert _outlined(panels["tanh"], "-") == []
    assert "red: the configuration chosen on validation" in fig.get_suptitle()
    assert "cells: test split" in fig.get_suptitle()


def test_heatmap_cells_have_one_number_of_decimals():
    # Errors (3 significant digits) of 9.3 and 12.14 would print "9.3" beside "12.1".
    values = pd.concat([_seeds({2: [12.14], 8: [9.3]}), _seeds({2: [40.0], 8: [0.5]}, noise=0.5)])
    texts = [t.get_text() for t in heatmaps(values, "error", "t", higher_is_better=False).get_axes()[0].texts]
    assert sorted(texts) == ["0.500", "12.140", "40.000", "9.300"]
    texts = [t.get_text() for t in heatmaps(values, "psnr", "t", kind="psnr").get_axes()[0].texts]
    assert sorted(texts) == ["0.50", "12.14", "40.00", "9.30"]


def test_overlapping_bands_are_told_apart_by_an_outline_in_their_line_colour():
    from matplotlib.colors import to_rgba

    values = pd.concat([_seeds({2: [0.50, 0.56, 0.53], 8: [0.70, 0.71, 0.75]}),
                        _seeds({2: [0.52, 0.55, 0.50], 8: [0.69, 0.74, 0.72]}, activation="relu")])
    ax = metric_vs_latent(values, "accuracy", "t").get_axes()[0]
    bands, lines = _bands(ax), ax.get_lines()
    assert len(bands) == len(lines) == 2
    for band, line in zip(bands, lines):
        [face], [edge] = band.get_facecolor(), band.get_edgecolor()
        assert face[3] <= 0.1  # faint enough for the band beneath to show through
        assert tuple(edge) == to_rgba(line.get_color()) and band.get_linewidth()[0] > 0


@pytest.mark.parametrize("unit_interval", [True, False])
def test_the_y_limits_hold_every_band_and_every_point(unit_interval):
    # Three seeds whose t interval reaches past the seeds themselves, and past 1 at latent 8.
    values = _seeds({2: [0.50, 0.60, 0.55], 8: [0.90, 0.99, 0.95]})
    ax = metric_vs_latent(values, "accuracy", "t", unit_interval=unit_interval).get_axes()[0]
    low, high = ax.get_ylim()
    [band] = _bands(ax)
    bounds = band.get_paths()[0].vertices[:, 1]
    assert bounds.max() > 1.0  # the band the test is about
    assert low <= bounds.min() and bounds.max() <= high
    assert low <= values["value"].min() and values["value"].max() <= high


# -- titles ------------------------------------------------------------------------------------
def _title_box(fig):
    """The suptitle's bounding box in the figure drawn with Agg, and the figure's."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig._suptitle.get_window_extent(canvas.get_renderer()), fig.bbox


def _maps(name):
    """The arrays the t-SNE analysis saves for representation `name` (100 points, 10 labels)."""
    y = np.repeat(np.arange(10), 10)
    return {"indices": np.arange(100), "y": y, "map": np.random.default_rng(0).normal(size=(100, 2)) + y[:, None]}


def _denoised(name):
    """The arrays the denoising analysis saves: 6 images of 8 x 8, 2 kinds x 2 levels."""
    clean = np.random.default_rng(0).random((6, 64))
    stack = np.broadcast_to(clean, (2, 2, 6, 64))
    return {"indices": np.arange(6), "kinds": np.array(["gaussian", "masking"]), "levels": np.array([0.1, 0.5]),
            "clean": clean, "image_shape": np.array([8, 8]), "noisy": stack * 0.5, "output": stack * 0.9}


def _figure(fake_tables, kind):
    """A figure of `kind`, with its real title: t-SNE maps in 3 columns, image rows, metrics."""
    _, metric, reference = values_of(fake_tables, "knn_accuracy")
    if kind in ("tsne", "denoising"):
        return ANALYSES[kind].figures[kind].draw(fake_tables, "digits", _maps if kind == "tsne" else _denoised)
    return metric_figure(table_of(fake_tables, "knn_accuracy"), "digits", metric, kind=kind, reference=reference)


@pytest.mark.parametrize("kind", ["tsne", "denoising", "lines", "heatmap"])
def test_the_title_lies_inside_the_figure(fake_tables, kind):
    title, figure = _title_box(_figure(fake_tables, kind))
    assert figure.x0 <= title.x0 and title.x1 <= figure.x1 and figure.y0 <= title.y0 and title.y1 <= figure.y1


def test_the_tsne_title_lists_each_row_in_the_order_drawn(fake_tables):
    fig = _figure(fake_tables, "tsne")
    panels = [ax for ax in fig.get_axes() if ax.get_title()]
    rows = {}  # top row first, each left to right
    for ax in sorted(panels, key=lambda ax: (-ax.get_position().y0, ax.get_position().x0)):
        rows.setdefault(round(ax.get_position().y0, 3), []).append(ax.get_title().split("\n")[0])
    top, bottom = rows.values()
    # Drawn: the chosen autoencoders by latent size, raw pixels; PCA of each size beneath.
    assert [name.split("_")[1] for name in top[:-1]] == ["latent2", "latent8"] and top[-1] == "raw pixels"
    assert bottom == ["PCA 2", "PCA 8"]
    title = fig._suptitle.get_text()
    said = dict(part.split(" row: ") for part in title.split("; ")[1:])
    assert said == {"top": "the autoencoder of latent size 2, 8 with the lowest validation loss, then raw pixels",
                    "bottom": "PCA of size 2, 8"}


@pytest.mark.parametrize("best_is_plain", [False, True])
def test_the_denoising_title_lists_each_row_under_a_noisy_input_in_the_order_drawn(fake_tables, best_is_plain):
    import re

    tables = dict(fake_tables)
    if best_is_plain:  # the denoising autoencoders far worse on validation: the best is a plain one
        table = tables["denoising"].copy()
        table.loc[(table["split"] == "val") & (table["noise"] > 0), "psnr"] -= 50
        tables["denoising"] = table
    fig = ANALYSES["denoising"].figures["denoising"].draw(tables, "digits", _denoised)
    labels = [ax.get_ylabel().split("\n")[0] for ax in fig.get_axes()[::6]]
    first = labels.index("noisy: gaussian 0.5")
    block = labels[first:labels.index("noisy: masking 0.5")]
    assert len(labels) == 1 + 2 * len(block) and len(block) == (3 if best_is_plain else 4)
    title = fig._suptitle.get_text()
    said = title.split("then for each test noise: ")[1].split("\n")[0].split(", ")
    assert len(said) == len(block) and said[0] == "the noisy input"
    for label, words in zip(block[1:], said[1:]):
        if label.startswith("PCA"):
            assert words == label
        else:  # an autoencoder, named by its training noise
            noise = float(re.search(r"_noise([0-9.]+)_seed", label).group(1))
            assert words.endswith("(trained without noise)" if noise == 0 else f"(training noise {noise:g})")
    named = " ".join(said)
    assert ("denoising autoencoder" in named) != best_is_plain and ("plain" in named) != best_is_plain


def test_objectives_get_their_own_columns_lines_and_colours():
    # Two objectives at noise 0 (an AE and a VAE of beta 4) and a denoising AE: family and noise
    # cannot tell the first two apart, so the heatmap's columns and the lines are objectives.
    rows = [("mlp", "mlp noise0", 0.0), ("mlp", "mlp noise0.5", 0.5), ("vae", "vae beta4", 0.0)]
    values = pd.concat([_seeds({2: [0.5 + i / 10] * 2, 8: [0.6 + i / 10] * 2}).assign(family=f, objective=o, noise=n)
                        for i, (f, o, n) in enumerate(rows)])
    fig = heatmaps(values, "accuracy", "t")
    ax = fig.get_axes()[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["mlp noise0", "mlp noise0.5", "vae beta4"]
    assert ax.get_xlabel() == "objective" and len(ax.texts) == 6
    fig = metric_vs_latent(values, "accuracy", "t")
    panels = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["every objective"]
    lines = [line for line in panels[0].get_lines() if line.get_label().endswith(", tanh")]
    assert [line.get_label() for line in lines] == ["mlp noise0, tanh", "mlp noise0.5, tanh", "vae beta4, tanh"]
    assert len({line.get_color() for line in lines}) == 3
