"""An analysis' table over training seeds: one row per configuration, wide pivots a person
reads in a terminal, and the effect of each factor of the grid.

A *configuration* is a representation less its training seed (``mlp_latent16_tanh_noise0.25``;
PCA and raw pixels are their own configuration, of no seed). Every number here is a mean over
seeds with its Student t interval (:mod:`study.statistics`): with one seed the interval is
empty, never of zero width.
"""
import re

import pandas as pd

from study.statistics import aggregate_over_seeds, factor_effects, format_interval, t_interval
from study.tables import COLUMNS, markdown_table, metric_values, objectives_vary

#: The columns naming a configuration, in the aggregated tables.
CONFIGURATION = ["dataset", "configuration", "method", "family", "latent_dim", "activation", "noise", "objective"]
#: The grid's factors whose effect is shown, averaged over the others (``objective`` only when
#: objectives differ beyond family and noise: a VAE's beta).
FACTORS = ["activation", "noise", "latent_dim", "family", "objective"]
_SEED = re.compile(r"_seed[0-9]+$")


def configuration_of(representation):
    """``mlp_latent16_tanh_noise0.25_seed2`` -> ``mlp_latent16_tanh_noise0.25``; others unchanged."""
    return _SEED.sub("", representation)


def _with_configuration(table):
    return table.assign(configuration=table["representation"].map(configuration_of))


def configurations_table(table, keys, confidence=0.95):
    """An analysis' per-seed table -> one row per configuration, split and key (`keys`, the
    analysis' own key columns): for every metric column, ``_mean``, ``_std``, ``_ci_low``,
    ``_ci_high`` over the seeds, then ``n_seeds``. Bootstrap bounds (``*_low``, ``*_high``)
    and counts are left out: they are per seed."""
    groups = CONFIGURATION + ["split", *keys]
    metrics = [column for column in table.columns
               if column not in COLUMNS + groups and not column.endswith(("_low", "_high"))
               and pd.api.types.is_float_dtype(table[column])]
    return aggregate_over_seeds(_with_configuration(table), groups, metrics, confidence)


def configuration_values(values, confidence=0.95):
    """:func:`study.tables.metric_values` (one row per representation) -> one row per
    configuration: CONFIGURATION, ``mean``, ``low``, ``high``, ``n_seeds``."""
    values = _with_configuration(values)
    records = []
    for _, group in values.groupby(CONFIGURATION, dropna=False, sort=False):
        interval = t_interval(group["value"], confidence)
        records.append({**group.iloc[0][CONFIGURATION].to_dict(), "mean": interval.mean,
                        "low": interval.low, "high": interval.high, "n_seeds": len(group)})
    return pd.DataFrame.from_records(records, columns=CONFIGURATION + ["mean", "low", "high", "n_seeds"])


def pivots(values, metric, confidence=0.95):
    """``[(heading, DataFrame)]``: per dataset, family and activation, the metric's mean over
    seeds and its interval at each latent size (rows) and training noise (columns; a family
    without that axis: its own, e.g. a VAE's beta), PCA of each size in the last column. Cells are text (:func:`study.statistics.format_interval`)."""
    by_configuration = configuration_values(values, confidence)
    cell = lambda row: format_interval(row["mean"], row["low"], row["high"], metric.number_kind, metric.value_range)
    blocks = []
    for dataset, rows in by_configuration.groupby("dataset", sort=False):
        pca = {int(row["latent_dim"]): cell(row) for _, row in rows[rows["method"] == "pca"].iterrows()}
        ae = rows[rows["method"] == "autoencoder"]
        for (family, activation), block in ae.groupby(["family", "activation"], sort=False):
            # Columns: the training noise, or the family's other axis (a VAE's beta).
            by_noise = not objectives_vary(block)
            wide = block.assign(cell=block.apply(cell, axis=1)).pivot(
                index="latent_dim", columns="noise" if by_noise else "objective", values="cell").sort_index()
            wide.columns = [f"noise {c:g}" if by_noise else c.removeprefix(f"{family} ") for c in wide.columns]
            wide = wide.reset_index().rename(columns={"latent_dim": "latent"})
            wide["PCA"] = [pca.get(int(size), "") for size in wide["latent"]]
            blocks.append((f"{dataset}, {family}, {activation}", wide))
    return blocks


def factors(values, metric, confidence=0.95):
    """The effect of each factor of the grid that has two levels or more, averaged over the
    other factors within each seed, then over seeds (:func:`study.statistics.factor_effects`):
    a DataFrame of ``dataset, factor, level``, the mean with its interval (text), ``n_seeds``
    and ``n_rows`` (autoencoders averaged, all seeds)."""
    ae = values[values["method"] == "autoencoder"]
    parts = []
    for factor in FACTORS:
        if ae[factor].nunique() < 2:
            continue
        if factor == "objective" and ae[factor].nunique() <= len(set(zip(ae["family"], ae["noise"]))):
            continue  # the family and noise factors already tell the objectives apart
        effects = factor_effects(ae, factor, "value", ["dataset"], confidence)
        parts.append(pd.DataFrame({
            "dataset": effects["dataset"], "factor": factor, "level": effects[factor].astype(str),
            metric.label: [format_interval(m, lo, hi, metric.number_kind, metric.value_range) for m, lo, hi in
                           effects[["value_mean", "value_ci_low", "value_ci_high"]].itertuples(index=False)],
            "n_seeds": effects["n_seeds"], "n_rows": effects["n_rows"]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def pivots_markdown(table, analysis, confidence=0.95):
    """``{analysis}_pivots.md``: for each of the analysis' metrics on the test split, the
    pivots then the factor effects, as Markdown."""
    parts = [f"# {analysis.name}: means over training seeds with {confidence:.0%} intervals\n",
             "Test split. A cell is the mean over seeds [t interval]; `(n=1)`: one seed, no interval.\n"
             "Factor effects average the other factors within each seed first.\n"]
    for metric in analysis.metrics.values():
        values = metric_values(table, metric)
        if values.empty:
            continue
        direction = "higher" if metric.higher_is_better else "lower"
        parts.append(f"## {metric.label} ({direction} is better)\n")
        for heading, wide in pivots(values, metric, confidence):
            parts += [f"### {heading}\n", markdown_table(wide)]
        effects = factors(values, metric, confidence)
        if len(effects):
            parts += ["### Effect of each factor, averaged over the others\n", markdown_table(effects)]
    return "\n".join(parts)
