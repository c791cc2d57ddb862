"""Choosing on validation: for a metric, the configuration (a variant without its ``_seed``)
of best validation mean over its training seeds, its test row, and the per-seed test values
that a paired comparison reads."""
import pandas as pd

from study.aggregates import configuration_of, configuration_values
from study.analyses import ANALYSES
from study.report import category_number
from study.statistics import format_interval, paired_comparison, t_interval
from study.tables import metric_values


def analysis_metrics(tables):
    """``(analysis, name, Metric)`` of every registered analysis whose table is given, in the
    report's order of their categories (by number: 2 before 10)."""
    return [(analysis, name, metric)
            for analysis in sorted(ANALYSES.values(), key=lambda a: category_number(a.category))
            if analysis.name in tables
            for name, metric in analysis.metrics.items()]


def model_free(analysis):
    """The baseline that needs no model: raw pixels, else the analysis' own first baseline."""
    return "pixels" if "pixels" in analysis.baselines else next(iter(analysis.own_baselines), None)


def configuration_rows(table, metric, dataset, split, method="autoencoder", **where):
    """:func:`study.aggregates.configuration_values` of `metric` on one split of `dataset`'s
    `method` rows (restricted by ``where``: column=value), indexed by configuration."""
    values = metric_values(table, metric, split)
    values = values[(values["dataset"] == dataset) & (values["method"] == method)]
    for column, value in where.items():
        values = values[values[column] == value]
    return configuration_values(values).set_index("configuration")


def chosen_on_validation(table, metric, dataset, method="autoencoder", **where):
    """The configuration of `method` (restricted by ``where``: column=value) with the best
    validation mean of `metric` on `dataset` -> ``(validation row, test row)`` of
    :func:`study.aggregates.configuration_values`, or None."""
    rows = {split: configuration_rows(table, metric, dataset, split, method, **where) for split in ("val", "test")}
    validation = rows["val"]["mean"].dropna()
    if validation.empty:
        return None
    name = validation.idxmax() if metric.higher_is_better else validation.idxmin()
    return rows["val"].loc[name], rows["test"].loc[name] if name in rows["test"].index else None


def seed_values(table, metric, dataset, configuration=None, method="autoencoder", **where):
    """Test values of `metric` per seed (a Series indexed by seed) of one configuration (or of
    every `method` row, restricted by ``where``, averaged within each seed)."""
    values = metric_values(table, metric)
    values = values[(values["dataset"] == dataset) & (values["method"] == method)]
    if configuration is not None:
        values = values[values["representation"].map(configuration_of) == configuration]
    for column, value in where.items():
        values = values[values[column] == value]
    return values.groupby("seed")["value"].mean()


def interval_text(row, metric):
    return "" if row is None else format_interval(row["mean"], row["low"], row["high"], metric.number_kind,
                                                  metric.value_range)


def single_value(table, metric, dataset, method, latent_dim=None):
    """The test value of a representation without training seeds (PCA of a size, pixels, an
    own baseline), or NaN."""
    values = metric_values(table, metric)
    values = values[(values["dataset"] == dataset) & (values["method"] == method)]
    if latent_dim is not None:
        values = values[values["latent_dim"] == latent_dim]
    return float(values["value"].mean()) if len(values) else float("nan")


def best_classifier(classifiers, dataset):
    """The raw-pixel classifier configuration (its variant without ``_seed``) of `dataset` with
    the best validation accuracy averaged over its seeds -> ``(name, t_interval of its test
    accuracies, sorted epochs its seeds trained)``, or None."""
    rows = classifiers[(classifiers["dataset"] == dataset) & classifiers["val_accuracy"].notna()]
    if rows.empty:
        return None
    rows = rows.assign(configuration=rows["variant"].map(configuration_of))
    name = rows.groupby("configuration", sort=False)["val_accuracy"].mean().idxmax()
    chosen = rows[rows["configuration"] == name]
    return name, t_interval(chosen["test_accuracy"]), sorted({int(e) for e in chosen["epochs_trained"].dropna()})


def chosen_per_latent_size(table, metric, dataset):
    """For each latent size of the autoencoders of `dataset`: ``(latent_dim, validation row,
    test row)`` of the configuration of that size chosen on validation (sizes without one skipped)."""
    ae = table[(table["dataset"] == dataset) & (table["method"] == "autoencoder")]
    for latent_dim in sorted({int(d) for d in ae["latent_dim"].dropna()}):
        picked = chosen_on_validation(table, metric, dataset, latent_dim=latent_dim)
        if picked is not None:
            yield (latent_dim, *picked)


def paired_by_seed(a, b):
    """:func:`study.statistics.paired_comparison` of two per-seed Series (a - b), on the seeds both have."""
    seeds = pd.concat([a, b], axis=1, ignore_index=True).dropna()
    return paired_comparison(seeds[0].to_numpy(), seeds[1].to_numpy())
