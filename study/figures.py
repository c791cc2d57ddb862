"""How the study's figures are drawn: learning curves, image grids, scatter maps, and what
every figure shares (the activations' colours, a grid of panels, labels that fit, log axes in
plain numbers, :func:`save_figure`). The
figures of a metric over the grid are :mod:`study.metric_figures`. What to draw (which
variant, which images) is chosen by the analyses (``study.analyses.*``) and the workflow's
scripts.

Every function returns a ``matplotlib.figure.Figure`` (no pyplot, no global state: safe
in scripts and tests alike); :func:`save_figure` writes it as PNG atomically. Nothing is
computed here but the mean over seeds of the losses at the best epoch a learning curve's
legend gives.
"""
import itertools
import math
import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullLocator

from diy.atomic import atomic_path
from study.tables import format_value
from study.variants import family_axes

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


def save_figure(fig, path, dpi=110, source=None):
    """Write `fig` to `path` (PNG) atomically, its title in the PNG's ``Title`` text and
    `source` (the results it was drawn from), if given, in ``Source``: a PNG can then be checked
    against the code that draws it (``tools/docs_figures.py``)."""
    text = {"Title": fig.get_suptitle(), "Source": source}
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, metadata={key: value for key, value in text.items() if value})


def fitted(text, inches, fontsize=10):
    """`text` wrapped into lines of at most about `inches` at `fontsize` points (a character
    taken as 0.62 of the size, DejaVu Sans' widest usual letters): an axis or colour-bar label
    longer than its axis would be cut at the figure's edge."""
    return textwrap.fill(text, max(12, int(inches * 72 / (0.62 * fontsize))))


def plain_log_axis(ax, values, axis="y"):
    """A log `axis` of `ax` ticked in plain numbers (36, not 3.6x10^1), its lowest tick at or
    below the least of `values` and its highest at or above the largest, and limited to them,
    so that every curve lies between two labelled ticks. Within a decade the ticks are evenly
    spaced (20, 30, 40), the two ends on a finer step (16 below 20), in one number of decimals;
    over more, 1, 2 and 5 times the powers of ten."""
    values = np.asarray(values, float)
    low, high = float(np.nanmin(values[values > 0])), float(np.nanmax(values))
    ticks = _even_ticks(low, high) if high < 10 * low else None
    if ticks is not None:
        decimals = max(_decimals_of(t) for t in ticks)
        labels = [f"{t:.{decimals}f}" for t in ticks]
    else:
        powers = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        candidates = np.array([m * 10.0 ** e for e in powers for m in (1, 2, 5)])
        ticks = candidates[(candidates >= candidates[candidates <= low].max())
                           & (candidates <= candidates[candidates >= high].min())]
        labels = [f"{t:g}" for t in ticks]
    getattr(ax, f"set_{axis}scale")("log")
    getattr(ax, f"set_{axis}ticks")(ticks, labels)
    getattr(ax, f"{axis}axis").set_minor_locator(NullLocator())
    getattr(ax, f"set_{axis}lim")(ticks[0], ticks[-1])


def _even_ticks(low, high):
    """Evenly spaced ticks inside [low, high] (1, 2, 5 or 10 times a power of ten apart) and
    an end tick at or beyond each of them on a finer step, none nearer another than half a
    step; None when the lower end would be 0 or less."""
    regular = MaxNLocator(nbins=5, steps=[1, 2, 5, 10]).tick_values(low, high)
    step = float(regular[1] - regular[0])
    mantissa = round(step / 10 ** math.floor(math.log10(step)))
    fine = step / (2 if mantissa in (1, 2) else 5)
    # Rounded to the fine step's decimals, so that 1.9 stays 1.9 and not 1.9000000000000001.
    digits = max(0, -math.floor(math.log10(fine)) + 1)
    bottom = round(math.floor(low / fine + 1e-9) * fine, digits)
    top = round(math.ceil(high / fine - 1e-9) * fine, digits)
    if bottom <= 0:
        return None
    inner = [round(float(t), digits) for t in regular if bottom + step / 2 <= t <= top - step / 2]
    return np.array([bottom, *inner, top])


def _decimals_of(number):
    """The decimals `number` needs (0 for 20, 1 for 2.5, 2 for 0.25), to 6 significant digits."""
    text = f"{number:.6g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


#: Line styles of a family's settings (the training noise, a VAE's beta...), in increasing order.
NOISE_STYLES = ["-", "--", ":", "-."]
#: How a learning curve names the reconstruction term of each ``training.loss``.
RECONSTRUCTION_LABELS = {"bce": "BCE per image", "mse": "squared error per image"}
#: How a learning curve names a penalty of the objective (``diy`` modules' ``penalty_name``),
#: others as "{name} penalty".
TERM_LABELS = {"kl": "beta x KL"}
#: Columns of a history beginning with ``val_`` that are not terms of the objective.
_NOT_TERMS = ("val_loss", "val_metric", "val_accuracy")


def objective_terms(history):
    """The terms a history logs beside the whole objective (``["output", "kl"]``: the loss of
    the output, then each penalty, ``diy.train.fit``'s ``val_{term}`` columns), or ``[]`` when
    the objective is the loss of the output alone."""
    return [c.removeprefix("val_") for c in history.columns if c.startswith("val_") and c not in _NOT_TERMS]


def _settings_text(variant):
    """A variant's family settings as a legend writes them: ``noise 0.25``, ``beta 4``."""
    return ", ".join(f"{axis} {format_value(variant.setting(axis))}" for axis in family_axes(variant.family))


def learning_curves(histories, title, loss="bce"):
    """Autoencoder learning curves on the validation split, one column of panels per latent
    size. Each family has a row of the whole objective (``val_loss``: the reconstruction term
    plus the penalties); a family whose objective has penalties (a VAE's KL, a sparsity or
    contractive term) a second row of its reconstruction term alone (``val_output``), the
    number to compare across families. In a panel, one line per run: colour for the
    activation, line style for the family's settings (training noise, beta, ...); the legend
    gives each configuration's value at its best epoch (lowest validation objective), the mean
    over its seeds.

    histories : dict mapping an ``AEVariant`` to a DataFrame with columns ``epoch``,
        ``val_loss`` (and ``val_output``, ``val_kl``, ... when the objective has penalties).
    loss : ``training.loss``, naming the reconstruction term (:data:`RECONSTRUCTION_LABELS`).
    """
    variants = list(histories)
    sizes = sorted({v.latent_dim for v in variants})
    families = sorted({v.family for v in variants})
    activations = _activation_order({v.activation for v in variants})
    reconstruction = RECONSTRUCTION_LABELS.get(loss, loss)
    rows = []  # (family, column plotted, y label)
    for family in families:
        terms = sorted({t for v in variants if v.family == family for t in objective_terms(histories[v])},
                       key=lambda t: (t != "output", t))
        if terms:
            penalties = " + ".join(TERM_LABELS.get(t, f"{t} penalty") for t in terms if t != "output")
            rows += [(family, "val_loss", f"whole objective: {reconstruction} + {penalties}"),
                     (family, "val_output", f"its reconstruction term: {reconstruction}")]
        else:
            rows.append((family, "val_loss", f"objective: reconstruction {reconstruction}"))
    fig, axes = panel_grid(len(rows), len(sizes), width=3.8, height=3.0)
    for (family, column, what), panels in zip(rows, axes):
        settings = sorted({tuple(v.setting(a) for a in family_axes(v.family)) for v in variants if v.family == family})
        for ax, size in zip(panels, sizes):
            drawn = []
            for activation, setting in itertools.product(activations, settings):
                runs = [(v, h) for v, h in histories.items() if v.family == family and v.latent_dim == size
                        and v.activation == activation and tuple(v.setting(a) for a in family_axes(v.family)) == setting]
                if not runs:
                    continue
                best = np.mean([h[column].iloc[int(np.nanargmin(h["val_loss"]))] for _, h in runs])
                style = dict(color=activation_colour(activation, activations), lw=1.2,
                             ls=NOISE_STYLES[settings.index(setting) % len(NOISE_STYLES)])
                label = f"{activation}, {_settings_text(runs[0][0])}: {format_value(best, 4)}"
                for k, (_, history) in enumerate(runs):
                    ax.plot(history["epoch"], history[column], **style, label=None if k else label)
                    drawn.append(history[column].to_numpy(float))
            if not drawn:
                ax.set_axis_off()
                continue
            plain_log_axis(ax, np.concatenate(drawn))
            ax.set_title(f"{family}, latent {size}" if len(families) > 1 else f"latent {size}", fontsize=9)
            ax.set(xlabel="epoch", ylabel=fitted(f"validation {what}", 2.2, fontsize=9))
            ax.yaxis.label.set_fontsize(9)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=6, title="at the best epoch, mean over seeds", title_fontsize=6)
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
    plain_log_axis(loss, np.concatenate([h[c].to_numpy(float) for h in histories.values()
                                         for c in ("train_loss", "val_loss")]))
    loss.set(xlabel="epoch", ylabel="cross-entropy (solid validation, dashed train)", title="loss")
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
