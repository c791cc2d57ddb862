"""How the study's figures are drawn: learning curves, image grids, scatter maps, and what
every figure shares (the activations' colours, a grid of panels, :func:`save_figure`). The
figures of a metric over the grid are :mod:`study.metric_figures`. What to draw (which
variant, which images) is chosen by the analyses (``study.analyses.*``) and the workflow's
scripts.

Every function returns a ``matplotlib.figure.Figure`` (no pyplot, no global state: safe
in scripts and tests alike); :func:`save_figure` writes it as PNG atomically. Nothing is
computed here but the mean over seeds of the final losses a learning curve's legend gives.
"""
import itertools
import math

import numpy as np
from matplotlib.figure import Figure

from diy.atomic import atomic_path
from study.tables import format_value

#: Line colours of the activations, fixed so that every figure uses the same.
ACTIVATION_COLOURS = {"tanh": "tab:blue", "relu": "tab:orange", "sigmoid": "tab:green"}
OTHER_COLOURS = ["tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive", "tab:cyan"]


def activation_colour(activation, activations):
    """The line colour of `activation` among the figure's `activations`: its own, or the next
    of OTHER_COLOURS."""
    if activation in ACTIVATION_COLOURS:
        return ACTIVATION_COLOURS[activation]
    others = [a for a in activations if a not in ACTIVATION_COLOURS]
    return OTHER_COLOURS[others.index(activation) % len(OTHER_COLOURS)]


def _activation_order(activations):
    """The activations in the order of ACTIVATION_COLOURS, then any others by name: the same
    order whatever order the variants come in."""
    known = list(ACTIVATION_COLOURS)
    return sorted(activations, key=lambda a: (known.index(a) if a in known else len(known), a))


def panel_grid(n_rows, n_cols, width=3.2, height=2.6, **kwargs):
    """A figure of `n_rows` x `n_cols` panels of about `width` x `height` inches each, and its
    axes as a 2-D array (``kwargs``: of ``Figure.subplots``, e.g. ``sharey``)."""
    fig = Figure(figsize=(max(width * n_cols, 5), height * n_rows + 0.8), layout="constrained")
    axes = np.atleast_2d(fig.subplots(n_rows, n_cols, squeeze=False, **kwargs))
    return fig, axes


def save_figure(fig, path, dpi=110):
    """Write `fig` to `path` (PNG) atomically."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)


#: Line styles of the training noise levels, in increasing order.
NOISE_STYLES = ["-", "--", ":", "-."]


def learning_curves(histories, title):
    """Autoencoder learning curves: one panel per latent size (and family), the validation loss
    per epoch of every variant, colour for the activation, line style for the training noise;
    each panel's legend gives every line's final (best) validation loss, the mean over seeds.

    histories : dict mapping an ``AEVariant`` to a DataFrame with columns ``epoch``,
        ``train_loss``, ``val_loss``.
    """
    variants = list(histories)
    panels = sorted({(v.family, v.latent_dim) for v in variants})
    families = {family for family, _ in panels}
    noises = sorted({v.noise for v in variants})
    activations = _activation_order({v.activation for v in variants})
    n_cols = min(len(panels), 4)
    fig, axes = panel_grid(math.ceil(len(panels) / n_cols), n_cols, width=3.6, height=3.0)
    for ax, (family, size) in zip(axes.flat, panels):
        for activation, noise in itertools.product(activations, noises):
            runs = [h for v, h in histories.items()
                    if (v.family, v.latent_dim, v.activation, v.noise) == (family, size, activation, noise)]
            if not runs:
                continue
            final = np.mean([np.nanmin(h["val_loss"]) for h in runs])
            style = dict(color=activation_colour(activation, activations), lw=1.2,
                         ls=NOISE_STYLES[noises.index(noise) % len(NOISE_STYLES)])
            for k, history in enumerate(runs):
                ax.plot(history["epoch"], history["val_loss"], **style,
                        label=None if k else f"{activation}, noise {format_value(noise)}: {format_value(final, 4)}")
        ax.set_title(f"{family} latent {size}" if len(families) > 1 else f"latent {size}", fontsize=9)
        ax.set(xlabel="epoch", ylabel="validation loss", yscale="log")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6, title="final (best) loss", title_fontsize=6)
    for ax in axes.flat[len(panels):]:
        ax.set_axis_off()
    fig.suptitle(title, wrap=True)
    return fig


def classifier_curves(histories, title):
    """Raw-pixel classifier learning curves: losses (solid validation, dashed train) and
    validation accuracy against the epoch, one colour per variant.

    histories : dict mapping a variant name to a DataFrame with columns ``epoch``,
        ``train_loss``, ``val_loss``, ``val_accuracy``.
    """
    fig, axes = panel_grid(1, 2, width=5, height=3.6)
    loss, accuracy = axes[0]
    for i, (name, history) in enumerate(histories.items()):
        colour = f"C{i % 10}"
        loss.plot(history["epoch"], history["val_loss"], color=colour, label=name)
        loss.plot(history["epoch"], history["train_loss"], color=colour, ls="--", alpha=0.7)
        accuracy.plot(history["epoch"], history["val_accuracy"], color=colour, label=name)
    loss.set(xlabel="epoch", ylabel="cross-entropy (solid validation, dashed train)", yscale="log",
             title="loss")
    accuracy.set(xlabel="epoch", ylabel="validation accuracy", title="validation accuracy")
    for ax in axes[0]:
        ax.grid(alpha=0.3)
    accuracy.legend(fontsize=8)
    fig.suptitle(title, wrap=True)
    return fig


def image_rows(rows, image_shape, title):
    """A grid of images: one row per ``(label, images)`` of `rows`, images of shape (m, d)
    (flattened, values in [0, 1]) drawn as `image_shape` in grey levels."""
    n_cols = max(len(images) for _, images in rows)
    fig = Figure(figsize=(max(1.0 * n_cols + 2.6, 5), 1.0 * len(rows) + 0.8), layout="constrained")
    axes = np.atleast_2d(fig.subplots(len(rows), n_cols, squeeze=False))
    shape = tuple(int(s) for s in image_shape)
    for i, (label, images) in enumerate(rows):
        for j in range(n_cols):
            ax = axes[i, j]
            ax.set_xticks([])
            ax.set_yticks([])
            if j < len(images):
                ax.imshow(np.asarray(images[j]).reshape(shape), cmap="gray", vmin=0, vmax=1)
            else:
                ax.set_axis_off()
        axes[i, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    fig.suptitle(title, wrap=True)
    return fig


def scatter_maps(panels, title, n_cols=None, axis_label="t-SNE"):
    """2-D maps side by side (t-SNE maps, 2-dimensional codes), points coloured by class label.

    panels : list of ``(label, Y, y)``, Y of shape (m, 2), y of shape (m,) integer labels.
    """
    n_cols = n_cols or min(len(panels), 4)
    n_rows = math.ceil(len(panels) / n_cols)
    fig, axes = panel_grid(n_rows, n_cols, width=3.6, height=3.4)
    classes = np.unique(np.concatenate([np.asarray(y) for _, _, y in panels]))
    for ax, (label, Y, y) in zip(axes.flat, panels):
        for k, c in enumerate(classes):
            points = Y[np.asarray(y) == c]
            ax.scatter(points[:, 0], points[:, 1], s=3, color=f"C{k % 10}", label=str(c), alpha=0.8,
                       linewidths=0)
        ax.set_title(label, fontsize=8)
        ax.set(xlabel=f"{axis_label} 1", ylabel=f"{axis_label} 2")
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes.flat[len(panels):]:
        ax.set_axis_off()
    handles = [axes.flat[0].scatter([], [], s=20, color=f"C{k % 10}", label=str(c))
               for k, c in enumerate(classes)]
    fig.legend(handles=handles, title="label", loc="outside right center", fontsize=8)
    fig.suptitle(title, wrap=True)
    return fig
