"""The figures of a metric over the grid, from an analysis' table: the metric against the latent
size, beside PCA and a model-free baseline (:func:`metric_vs_latent`), and the autoencoders'
heatmaps over latent size x training noise (:func:`heatmaps`); :func:`metric_figure` draws and
titles either for one dataset, the heatmap's outline on the configuration the summary chooses
on validation (``study.summary.choice.chosen_on_validation``). Nothing is computed here but
means and t intervals over seeds of the values given (``study.tables.metric_values``).
"""
import itertools
import math

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from study.figures import OTHER_COLOURS, activation_colour, fitted, panel_grid
from study.statistics import format_number
from study.tables import format_value, metric_values, objectives_vary

#: How the figures name a representation that is not an autoencoder's; an analysis names its own
#: baselines (:attr:`study.analyses.Analysis.baseline_labels`).
REPRESENTATION_LABELS = {"pixels": "raw pixels"}

#: Line styles of the model families after the first (solid).
FAMILY_STYLES = ["-", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1))]

#: The least part of [0, 1] a figure of a metric in that range shows (see ``unit_interval_limits``).
UNIT_SPAN = 0.2


def unit_interval_limits(values):
    """y-limits for a metric in [0, 1]: the values' range, padded to at least UNIT_SPAN, the
    padding kept inside [0, 1]. A 0.01 difference then takes a twentieth of the axis, not all of
    it, and a 0.3 one most of it. Values past 0 or 1 (a t interval over seeds may reach there)
    stay inside the limits."""
    lowest, highest = float(np.nanmin(values)), float(np.nanmax(values))
    pad = max(0.02, (UNIT_SPAN - (highest - lowest)) / 2)
    low, high = min(lowest, max(0.0, lowest - pad)), max(highest, min(1.0, highest + pad))
    if high - low < UNIT_SPAN - 1e-9:  # against a bound: extend the other way
        low, high = (low, low + UNIT_SPAN) if low <= 0.0 else (high - UNIT_SPAN, high)
    return low, high


def seed_intervals(rows, by, confidence=0.95):
    """Rows of one configuration but `by` (one per seed) -> DataFrame indexed by `by`, sorted,
    with ``mean``, ``low``, ``high``: the t interval over the seeds (NaN bounds for one seed)."""
    import pandas as pd

    from study.statistics import t_interval

    intervals = {key: t_interval(group["value"], confidence) for key, group in rows.groupby(by)}
    return pd.DataFrame({"mean": [i.mean for i in intervals.values()], "low": [i.low for i in intervals.values()],
                         "high": [i.high for i in intervals.values()]}, index=list(intervals)).sort_index()


#: The opacity of a t interval's shading: faint, so that overlapping bands stay readable, each
#: told apart by its outline in its line's colour.
BAND_ALPHA = 0.08


def metric_vs_latent(values, label, title, reference=None, reference_label=REPRESENTATION_LABELS["pixels"],
                     unit_interval=False, confidence=0.95):
    """A metric against the latent size: one panel per training noise, one line per
    activation (colour) and family (line style), the mean over seeds with its t interval
    shaded and outlined (`confidence`; none with one seed) and each seed a faint point; PCA
    of each size dashed and a model-free `reference` (e.g. ``"pixels"``) dotted. The y-limits
    hold every point and every band.

    values : DataFrame from ``study.tables.metric_values`` for one dataset.
    """
    ae = values[values["method"] == "autoencoder"]
    pca = values[values["method"] == "pca"].sort_values("latent_dim")
    reference = values[values["method"] == reference]["value"]
    # One line style per family; when the study compares objectives, one panel and one colour
    # per objective (its noise is part of it), the line style for the activation.
    kind = "objective" if objectives_vary(ae) else "family"
    families = list(dict.fromkeys(ae[kind]))
    noises = [None] if kind == "objective" else sorted(ae["noise"].dropna().unique())
    activations = list(dict.fromkeys(ae["activation"]))
    sizes = sorted(int(s) for s in values["latent_dim"].dropna().unique())
    fig, axes = panel_grid(1, max(len(noises), 1), width=3.8, height=3.2, sharey=True)
    drawn = [values["value"].to_numpy(float)]  # every y drawn, for the unit interval's limits
    for ax, noise in zip(axes[0], noises):
        for family, activation in itertools.product(families, activations):
            rows = ae[((ae["noise"] == noise) | (noise is None)) & (ae["activation"] == activation)
                      & (ae[kind] == family)]
            if rows.empty:
                continue
            stats = seed_intervals(rows, "latent_dim", confidence)
            x = stats.index.astype(int)
            if kind == "objective":
                colour = OTHER_COLOURS[families.index(family) % len(OTHER_COLOURS)]
                style, name = FAMILY_STYLES[activations.index(activation) % len(FAMILY_STYLES)], f"{family}, {activation}"
            else:
                colour, style = activation_colour(activation, activations), FAMILY_STYLES[families.index(family) % len(FAMILY_STYLES)]
                name = f"{family} AE, {activation}" if len(families) > 1 else f"AE, {activation}"
            ax.plot(x, stats["mean"], marker="o", color=colour, label=name, ls=style)
            if stats["low"].notna().any():
                ax.fill_between(x, stats["low"], stats["high"], facecolor=to_rgba(colour, BAND_ALPHA),
                                edgecolor=colour, lw=0.8)
                drawn += [stats["low"].to_numpy(float), stats["high"].to_numpy(float)]
            ax.scatter(rows["latent_dim"].astype(int), rows["value"], color=colour, s=8, alpha=0.35, lw=0)
        if len(pca):
            ax.plot(pca["latent_dim"].astype(int), pca["value"], marker="s", color="k", ls="--",
                    label="PCA, same size")
        if len(reference):
            ax.axhline(float(reference.iloc[0]), color="grey", ls=":", label=reference_label)
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [str(s) for s in sizes])
        ax.minorticks_off()
        ax.set(xlabel="latent size", title="every objective" if noise is None else f"training noise {format_value(noise)}")
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel(fitted(label, 2.4))
    # Beside the panels, where it hides no band or point.
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside right center", fontsize=8)
    if unit_interval and values["value"].notna().any():
        axes[0, 0].set_ylim(*unit_interval_limits(np.concatenate(drawn)))
    fig.suptitle(title, wrap=True)
    return fig


def heatmaps(values, label, title, higher_is_better=True, confidence=0.95, chosen=None, validation=None,
             kind="error"):
    """The autoencoders' metric over latent size (rows) x training noise (columns), one
    panel per activation, the mean over seeds written in each cell in one number of decimals
    (`kind`: :data:`study.statistics.NUMBER_FORMATS`, the decimals of the cell that needs the
    most); a shared colour scale whose bright end is the better one.

    chosen : the configuration chosen on validation (a row with ``activation``,
        ``latent_dim``, ``noise``, ``objective``: :func:`study.summary.choice.chosen_on_validation`'s),
        outlined in red, or None.
    validation : the same metric on the validation split (:func:`study.tables.metric_values`):
        every cell whose t interval over seeds there overlaps the chosen one's is outlined
        dashed, the configurations validation cannot tell from the chosen one (none with one
        seed, which has no interval).
    """
    ae = values[values["method"] == "autoencoder"]
    activations = list(dict.fromkeys(ae["activation"]))
    sizes = sorted(int(s) for s in ae["latent_dim"].unique())
    # Columns: the training noise, or the objective when the study compares objectives.
    column = "objective" if objectives_vary(ae) else "noise"
    noises = list(dict.fromkeys(ae[column])) if column == "objective" else sorted(ae["noise"].unique())

    def cells(rows):
        return seed_intervals(rows.assign(cell=list(zip(rows["activation"], rows["latent_dim"].astype(int),
                                                        rows[column]))), "cell", confidence)

    means = cells(ae)["mean"]
    outlines = {}  # cell -> line style
    if chosen is not None:
        best = (chosen["activation"], int(chosen["latent_dim"]), chosen[column])
        intervals = None if validation is None else cells(validation[validation["method"] == "autoencoder"])
        if intervals is not None and best in intervals.index:
            around = intervals.loc[[best]].iloc[0]
            near = (intervals["low"] <= around["high"]) & (intervals["high"] >= around["low"])
            outlines.update((cell, "--") for cell in intervals.index[near])
        outlines[best] = "-"
    low, high = float(means.min()), float(means.max())
    decimals = max(_decimals(format_number(value, kind)) for value in means.dropna())
    cmap = "viridis" if higher_is_better else "viridis_r"
    fig, axes = panel_grid(1, max(len(activations), 1), width=3.4, height=0.45 * len(sizes) + 2)
    image = None
    for ax, activation in zip(axes[0], activations):
        grid = np.full((len(sizes), len(noises)), np.nan)
        for (act, size, noise), value in means.items():
            if act == activation:
                grid[sizes.index(size), noises.index(noise)] = value
        for (act, size, noise), style in outlines.items():
            if act == activation and size in sizes and noise in noises:
                i, j = sizes.index(size), noises.index(noise)
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="red", ls=style,
                                       lw=2.5 if style == "-" else 1.5, zorder=3 if style == "-" else 2))
        image = ax.imshow(grid, cmap=cmap, vmin=low, vmax=high, aspect="auto", origin="lower")
        middle = (low + high) / 2
        for (i, j), value in np.ndenumerate(grid):
            if not math.isnan(value):
                bright = (value > middle) == higher_is_better
                ax.text(j, i, format_number(value, kind, decimals), ha="center", va="center", fontsize=8,
                        color="k" if bright else "w")
        ax.set_xticks(range(len(noises)), [format_value(n) for n in noises],
                      rotation=45 if column == "objective" else 0, ha="right" if column == "objective" else "center")
        ax.set_yticks(range(len(sizes)), [str(s) for s in sizes])
        ax.set(xlabel="training noise" if column == "noise" else "objective", ylabel="latent size", title=activation)
    if image is not None:
        fig.colorbar(image, ax=axes[0].tolist(), label=fitted(label, 0.45 * len(sizes) + 1.3), shrink=0.9)
    fig.suptitle(title, wrap=True)
    return fig


def _decimals(text):
    """The decimals of a number written as `text`."""
    return len(text.split(".")[1]) if "." in text else 0


def metric_figure(table, dataset, metric, kind="lines", reference=None, reference_label=None, confidence=0.95):
    """A metric (:class:`study.analyses.Metric`) of one dataset from its analysis' `table`:
    :func:`metric_vs_latent` of its test values (``kind="lines"``, with the model-free
    `reference` representation dotted, named `reference_label`: by default as in
    :data:`REPRESENTATION_LABELS`, else by its name) or :func:`heatmaps` (``kind="heatmap"``,
    outlined on the configuration chosen on validation, as the summary chooses it), titled
    with the dataset, the metric and what is drawn."""
    values = metric_values(table, metric)
    values = values[values["dataset"] == dataset]
    seeds = values.loc[values["method"] == "autoencoder", "seed"].nunique()
    over_seeds = f"mean over {seeds} seeds, {confidence:.0%} interval" if seeds > 1 else "one seed"
    if kind == "heatmap":
        from study.summary.choice import chosen_on_validation

        picked = chosen_on_validation(table, metric, dataset)
        validation = metric_values(table, metric, split="val")
        direction = "higher" if metric.higher_is_better else "lower"
        outlined = "red: the configuration chosen on validation" + (
            f", dashed: those whose {confidence:.0%} interval on validation overlaps its" if seeds > 1 else "")
        cells = f"test split, mean over {seeds} seeds" if seeds > 1 else "test split, one seed"
        return heatmaps(values, metric.label, f"{dataset}: {metric.label} of each autoencoder\n"
                        f"(cells: {cells}; {direction} is better; {outlined})", metric.higher_is_better,
                        confidence, chosen=None if picked is None else picked[0],
                        validation=validation[validation["dataset"] == dataset], kind=metric.number_kind)
    label = reference_label or REPRESENTATION_LABELS.get(reference, reference)
    beside = "PCA" + (f" and {label}" if (values["method"] == reference).any() else "")
    return metric_vs_latent(values, metric.label, f"{dataset}: {metric.label}\nagainst the latent "
                            f"size, autoencoders ({over_seeds}) beside {beside}",
                            reference, label, metric.unit_interval, confidence)
