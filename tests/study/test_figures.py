"""The figures: each drawn from small fake inputs and written as a non-empty PNG."""
import numpy as np
import pandas as pd
import pytest
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


# One metric of each kind: an error (lower is better), one with the noisy input as its
# reference, one selected by classifier, one from the t-SNE table, one with the mean image.
@pytest.mark.parametrize("name, reference_label", [
    ("reconstruction_error", None), ("denoising_psnr", "noisy input"), ("knn_accuracy", "raw pixels"),
    ("tsne_trustworthiness", "raw pixels"), ("inpainting_psnr", "mean image")])
def test_metric_against_latent_size(tmp_path, fake_tables, name, reference_label):
    values, metric, reference = values_of(fake_tables, name)
    # An own baseline is named by its analysis (noisy input), raw pixels by the figures.
    label = METRICS[name][0].baseline_labels.get(reference)
    fig = metric_figure(values, "digits", metric, kind="lines", reference=reference, reference_label=label)
    assert fig._suptitle.get_text().startswith(f"digits: {metric.label}")
    axes = fig.get_axes()
    assert len(axes) == 2  # one panel per training noise
    assert [ax.get_title() for ax in axes] == ["training noise 0", "training noise 0.5"]
    assert all(ax.get_xlabel() == "latent size" for ax in axes)
    assert axes[0].get_ylabel() == metric.label
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert labels[:3] == ["AE, tanh", "AE, relu", "PCA, same size"]
    assert (reference_label in labels) if reference_label else len(labels) == 3
    # The mean over seeds is drawn: tanh at latent 8 and noise 0 (seeds 0 and 1).
    ae = values[(values["dataset"] == "digits") & (values["activation"] == "tanh") & (values["noise"] == 0)
                & (values["latent_dim"] == 8)]
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata()[1], ae["value"].mean())
    check_png(save(fig, tmp_path, name), min_bytes=3_000)


def test_one_line_style_per_family(fake_tables):
    values, metric, _ = values_of(fake_tables, "reconstruction_error")
    other = values[values["method"] == "autoencoder"].copy()
    other["family"] = "conv"
    fig = metric_figure(pd.concat([values, other]), "digits", metric)
    labels = [line.get_label() for line in fig.get_axes()[0].get_lines()]
    assert labels[:4] == ["mlp AE, tanh", "mlp AE, relu", "conv AE, tanh", "conv AE, relu"]


@pytest.mark.parametrize("name", ["reconstruction_error", "kmeans_accuracy"])
def test_heatmap(tmp_path, fake_tables, name):
    values, metric, _ = values_of(fake_tables, name)
    fig = metric_figure(values, "mnist", metric, kind="heatmap")
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
    assert texts == ["1.5", "4"]


def test_learning_curves(tmp_path, fake_grid):
    histories = {v: pd.DataFrame({"epoch": np.arange(1, 6), "train_loss": 50 / np.arange(1, 6) + v.noise,
                                  "val_loss": 48 / np.arange(1, 6), "seconds": 0.1})
                 for v in ae_variants(fake_grid)}
    fig = learning_curves(histories, "digits: learning curves")
    # One panel per latent size; one line per activation and noise; its final value in the legend.
    sizes = sorted({v.latent_dim for v in histories})
    assert [ax.get_title() for ax in fig.get_axes()] == [f"latent {k}" for k in sizes]
    ax = fig.get_axes()[0]
    assert ax.get_ylabel() == "validation loss"
    per_panel = len([v for v in histories if v.latent_dim == sizes[0]])
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert len(ax.get_lines()) == per_panel and len(labels) == len({(v.activation, v.noise) for v in histories})
    assert all(label.endswith(": 9.6") for label in labels)  # min(48 / epoch), epochs 1-5
    check_png(save(fig, tmp_path, "curves"))


def test_variant_order_does_not_matter_for_learning_curves(fake_grid):
    variants = list(reversed(ae_variants(fake_grid)))
    history = pd.DataFrame({"epoch": [1, 2], "train_loss": [2.0, 1.0], "val_loss": [2.0, 1.0]})
    fig = learning_curves({v: history for v in variants}, "t")
    assert fig.get_axes()[0].get_title() == "latent 2"
    assert fig.get_axes()[0].get_legend().get_texts()[0].get_text().startswith("tanh, noise 0: ")
    assert isinstance(variants[0], AEVariant)


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


def _outlined(ax):
    """(row, column) of the cells outlined in red."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    return sorted((round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in ax.patches
                  if isinstance(p, Rectangle) and p.get_edgecolor() == to_rgba("red") and not p.get_fill())


def test_heatmap_outlines_the_best_cell_and_those_whose_interval_overlaps_it():
    # Higher is better. Latent 8 (row 1) is best: 0.80 [0.775, 0.825] over 3 seeds; latent 2 at
    # noise 0 (row 0, column 0) overlaps it; latent 2 at noise 0.5 is far below with a tight interval.
    values = pd.concat([_seeds({2: [0.76, 0.79, 0.80], 8: [0.79, 0.80, 0.81]}, noise=0.0),
                        _seeds({2: [0.50, 0.50, 0.51], 8: [0.60, 0.61, 0.60]}, noise=0.5)])
    fig = heatmaps(values, "accuracy", "t")
    assert _outlined(fig.get_axes()[0]) == [(0, 0), (1, 0)]
    # Lower is better: the best is latent 2 at noise 0.5, alone.
    fig = heatmaps(values, "error", "t", higher_is_better=False)
    assert _outlined(fig.get_axes()[0]) == [(0, 1)]


def test_heatmap_outlines_only_the_best_cell_with_one_seed():
    values = pd.concat([_seeds({2: [0.79], 8: [0.80]}, noise=0.0), _seeds({2: [0.5], 8: [0.6]}, noise=0.5)])
    fig = heatmaps(values, "accuracy", "t")
    assert _outlined(fig.get_axes()[0]) == [(1, 0)]


def test_heatmap_outlines_cells_of_other_panels_too():
    tanh = _seeds({2: [0.70, 0.71, 0.72], 8: [0.79, 0.80, 0.81]})
    # The best is relu at latent 2, 0.82 [0.770, 0.870]; tanh at latent 8 overlaps it, at latent 2 not.
    relu = _seeds({2: [0.80, 0.82, 0.84], 8: [0.40, 0.41, 0.42]}, activation="relu")
    fig = heatmaps(pd.concat([tanh, relu]), "accuracy", "t")
    panels = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["tanh", "relu"]
    assert _outlined(panels[0]) == [(1, 0)] and _outlined(panels[1]) == [(0, 0)]


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
    values, metric, reference = values_of(fake_tables, "knn_accuracy")
    if kind in ("tsne", "denoising"):
        return ANALYSES[kind].figures[kind].draw(fake_tables, "digits", _maps if kind == "tsne" else _denoised)
    return metric_figure(values, "digits", metric, kind=kind, reference=reference)


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
