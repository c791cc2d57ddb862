"""The study's tables: the per-variant JSON documents gathered, rendered, and summarised.

One table per analysis (:data:`TABLES`), one row per row of each document: per variant
(and per test noise, classifier... where the analysis has several rows) and per baseline.
The columns start with :data:`VARIANT_COLUMNS`; a baseline's row has no activation,
noise, seed or variant, and PCA's ``latent_dim`` is its number of components. Then come the
analysis' key columns (which method or representation, which classifier, which test
noise) and its metrics. Nothing is computed here but selections and means of those rows.
"""
import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from study.variants import ClassifierVariant

VARIANT_COLUMNS = ["dataset", "latent_dim", "activation", "noise", "seed", "variant"]

#: Table name -> the columns that tell its rows apart, besides VARIANT_COLUMNS.
TABLES = {
    "reconstruction": ["method"],
    "kmeans": ["representation", "preprocessing"],
    "tsne": ["representation"],
    "denoising": ["method", "test_noise_kind", "test_noise_level"],
    "classification": ["representation", "classifier"],
}

CLASSIFIER_COLUMNS = ["hidden", "dropout", "test_accuracy", "val_accuracy", "epochs_trained", "seconds"]


def analysis_table(documents):
    """One analysis' documents (``study.results`` layout), in order -> DataFrame.

    Columns: VARIANT_COLUMNS, then the row keys in their first-seen order.
    """
    records = []
    for document in documents:
        head = {column: document.get(column) for column in VARIANT_COLUMNS}
        records.extend({**head, **row} for row in document["rows"])
    return _typed(pd.DataFrame.from_records(records, columns=_columns(records)))


def classifiers_table(entries):
    """Raw-pixel classifier variants -> DataFrame, one row per variant.

    entries : iterable of ``(dataset, variant name, metrics)``, ``metrics`` as in the
        classifier's ``metrics.json`` (its confusion matrix and classes are left out).
    """
    records = []
    for dataset, name, metrics in entries:
        variant = ClassifierVariant.parse(name)
        records.append({
            "dataset": dataset, "latent_dim": None, "activation": variant.activation, "noise": None,
            "seed": variant.seed, "variant": name, "hidden": "-".join(map(str, variant.hidden)),
            "dropout": variant.dropout,
            **{key: metrics.get(key) for key in CLASSIFIER_COLUMNS[2:]},
        })
    return _typed(pd.DataFrame.from_records(records, columns=VARIANT_COLUMNS + CLASSIFIER_COLUMNS))


def _columns(records):
    columns = list(VARIANT_COLUMNS)
    for record in records:
        columns.extend(key for key in record if key not in columns)
    return columns


def _typed(table):
    """Integers that may be missing as nullable Int64, noise as float (missing: NaN)."""
    for column in ("latent_dim", "seed", "epochs_trained", "n_samples"):
        if column in table:
            table[column] = table[column].astype("Int64")
    table["noise"] = table["noise"].astype(float)
    return table


def read_table(path):
    """A table written by the aggregation (CSV) back as a typed DataFrame."""
    return _typed(pd.read_csv(path, keep_default_na=False, na_values=[""]))


def write_csv(table, path):
    """CSV with missing values as empty fields and floats at full precision."""
    from diy.atomic import write_text
    write_text(path, table.to_csv(index=False, na_rep=""))


# -- text: cells and Markdown ---------------------------------------------------------------------------
def format_value(value, digits=4):
    """A cell: missing -> ``""``; floats to `digits` significant digits, never in e-notation
    above 1e4; integers and text as they are."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.0f}" if abs(value) >= 10**digits else f"{value:.{digits}g}"
    return str(value)


def markdown_table(table, digits=4):
    """A DataFrame as a GitHub-flavoured Markdown table; numeric columns right-aligned."""
    columns = list(table.columns)
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in columns]
    lines = ["| " + " | ".join(map(str, columns)) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(format_value(v, digits).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


# -- metrics and the summary ------------------------------------------------------------
@dataclass(frozen=True)
class Metric:
    """One number per variant or baseline, read from a table.

    table, column : where the value is; ``where`` : (column, value) pairs selecting rows
    (e.g. one classifier); rows that still differ beyond the variant and the method
    (denoising's test noises) are averaged.
    """

    table: str
    column: str
    label: str
    higher_is_better: bool
    where: tuple = ()


_RAW = (("preprocessing", "none"),)

#: The metrics the summary and the figures show.
METRICS = {
    "reconstruction_error": Metric("reconstruction", "squared_error_per_image",
                                   "reconstruction squared error per image", False),
    "reconstruction_bce": Metric("reconstruction", "bce", "reconstruction BCE per image", False),
    "kmeans_accuracy": Metric("kmeans", "accuracy", "k-means accuracy", True, _RAW),
    "kmeans_nmi": Metric("kmeans", "nmi", "k-means NMI", True, _RAW),
    "kmeans_ari": Metric("kmeans", "ari", "k-means ARI", True, _RAW),
    "kmeans_whitened_accuracy": Metric("kmeans", "accuracy", "k-means accuracy on whitened codes", True,
                                       (("preprocessing", "whitened"),)),
    "tsne_trustworthiness": Metric("tsne", "trustworthiness", "t-SNE trustworthiness", True),
    "tsne_knn_accuracy": Metric("tsne", "knn_accuracy", "k-NN accuracy in the t-SNE map", True),
    "tsne_kmeans_accuracy": Metric("tsne", "kmeans_accuracy", "k-means accuracy on the t-SNE map", True),
    "denoising_psnr": Metric("denoising", "psnr", "denoising PSNR (dB), mean over test noises", True),
    "logistic_accuracy": Metric("classification", "test_accuracy", "logistic regression test accuracy",
                                True, (("classifier", "logistic"),)),
    "knn_accuracy": Metric("classification", "test_accuracy", "k-NN test accuracy", True,
                           (("classifier", "knn"),)),
    "mlp_accuracy": Metric("classification", "test_accuracy", "DIY MLP test accuracy", True,
                           (("classifier", "mlp"),)),
}


def metric_values(tables, name):
    """The metric `name` of :data:`METRICS` -> DataFrame of VARIANT_COLUMNS, ``method``, ``value``.

    ``method`` is the table's method or representation column: ``"autoencoder"`` for the
    variants, ``"pca"``, ``"pixels"`` or ``"noisy"`` for the baselines.
    """
    metric = METRICS[name]
    table = tables[metric.table]
    for column, value in metric.where:
        table = table[table[column] == value]
    method = TABLES[metric.table][0]
    keys = VARIANT_COLUMNS + [method]
    values = (table.groupby(keys, dropna=False, sort=False)[metric.column].mean()
              .reset_index().rename(columns={method: "method", metric.column: "value"}))
    return _typed(values)


def best(values, higher_is_better, method="autoencoder"):
    """The row of `values` (from :func:`metric_values`) with the best value among `method`'s."""
    rows = values[(values["method"] == method) & values["value"].notna()]
    if rows.empty:
        return None
    return rows.loc[rows["value"].idxmax() if higher_is_better else rows["value"].idxmin()]


def best_per_latent_dim(values, higher_is_better, method="autoencoder"):
    """``{latent_dim: row}``: the best of `method`'s rows of `values` at each latent size."""
    rows = values[values["method"] == method]
    chosen = {}
    for latent_dim in sorted(int(d) for d in rows["latent_dim"].dropna().unique()):
        row = best(rows[rows["latent_dim"] == latent_dim], higher_is_better, method)
        if row is not None:
            chosen[latent_dim] = row
    return chosen


def _baseline_value(values, dataset, method, latent_dim=None):
    rows = values[(values["dataset"] == dataset) & (values["method"] == method)]
    if latent_dim is not None:
        rows = rows[rows["latent_dim"] == latent_dim]
    return rows["value"].iloc[0] if len(rows) else None


def best_variants_table(tables, datasets, metrics=tuple(METRICS), classifiers=None):
    """Per dataset and metric: the best autoencoder variant and its value, beside PCA of
    the same latent size and the variant-free baseline (raw pixels; for denoising the
    noisy input). With `classifiers` (:func:`classifiers_table`), one more row per dataset:
    the best raw-pixel DIY classifier."""
    records = []
    for dataset in datasets:
        for name in metrics:
            metric = METRICS[name]
            values = metric_values(tables, name)
            row = best(values[values["dataset"] == dataset], metric.higher_is_better)
            if row is None:
                continue
            reference = "noisy" if metric.table == "denoising" else "pixels"
            records.append({
                "dataset": dataset, "metric": metric.label,
                "best": "higher" if metric.higher_is_better else "lower",
                "best autoencoder": row["variant"], "value": row["value"],
                "PCA, same size": _baseline_value(values, dataset, "pca", row["latent_dim"]),
                "raw pixels (denoising: noisy input)": _baseline_value(values, dataset, reference),
            })
        if classifiers is not None and len(classifiers):
            rows = classifiers[(classifiers["dataset"] == dataset) & classifiers["test_accuracy"].notna()]
            if len(rows):
                row = rows.loc[rows["test_accuracy"].idxmax()]
                records.append({"dataset": dataset, "metric": "raw-pixel DIY classifier test accuracy",
                                "best": "higher", "best autoencoder": f"(classifier {row['variant']})",
                                "value": row["test_accuracy"], "PCA, same size": None,
                                "raw pixels (denoising: noisy input)": row["test_accuracy"]})
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "metric", "best", "best autoencoder", "value", "PCA, same size",
        "raw pixels (denoising: noisy input)"])


#: Metrics of the autoencoder-vs-PCA table, with short column labels.
VERSUS_PCA = {"reconstruction_error": "squared error/image", "kmeans_accuracy": "k-means acc.",
              "kmeans_whitened_accuracy": "whitened k-means acc.", "knn_accuracy": "k-NN acc.",
              "tsne_kmeans_accuracy": "t-SNE k-means acc."}


def versus_pca_table(tables, datasets, metrics=VERSUS_PCA):
    """Per dataset and latent size: for each metric the best autoencoder's value (best over
    activation, noise and seed) and PCA's; for the reconstruction error also their ratio."""
    per_metric = {name: metric_values(tables, name) for name in metrics}
    records = []
    for dataset in datasets:
        sizes = sorted({int(d) for values in per_metric.values()
                        for d in values.loc[values["dataset"] == dataset, "latent_dim"].dropna()})
        for latent_dim in sizes:
            record = {"dataset": dataset, "latent_dim": latent_dim}
            for name, short in metrics.items():
                values = per_metric[name]
                values = values[(values["dataset"] == dataset) & (values["latent_dim"] == latent_dim)]
                row = best(values, METRICS[name].higher_is_better)
                ae = None if row is None else row["value"]
                pca = _baseline_value(values, dataset, "pca", latent_dim)
                record[f"{short} AE"], record[f"{short} PCA"] = ae, pca
                if name == "reconstruction_error":
                    record["AE/PCA error"] = ae / pca if ae is not None and pca else None
            records.append(record)
    return _typed_int(pd.DataFrame.from_records(records), "latent_dim")


def noise_effect_table(tables, datasets):
    """Denoising PSNR per test noise (rows) and training noise of the autoencoder (columns),
    each the best over latent size, activation and seed; beside the noisy input's PSNR and
    the best PCA denoiser's."""
    table = tables["denoising"]
    records = []
    for dataset in datasets:
        rows = table[table["dataset"] == dataset]
        ae = rows[rows["method"] == "autoencoder"]
        for (kind, level), group in rows.groupby(["test_noise_kind", "test_noise_level"], sort=False):
            record = {"dataset": dataset, "test noise": kind, "level": level,
                      "noisy input": _max(group[group["method"] == "noisy"]["psnr"])}
            for noise in sorted(ae["noise"].dropna().unique()):
                trained = group[(group["method"] == "autoencoder") & (group["noise"] == noise)]
                record[f"AE trained at noise {format_value(noise)}"] = _max(trained["psnr"])
            record["PCA (best size)"] = _max(group[group["method"] == "pca"]["psnr"])
            records.append(record)
    return pd.DataFrame.from_records(records)


def _max(series):
    return float(series.max()) if len(series.dropna()) else None


def _typed_int(table, column):
    if column in table:
        table[column] = table[column].astype("Int64")
    return table


SUMMARY_TITLE = "Summary of the study"
SUMMARY_INTRO = ("All numbers are on the test split and come from `results/tables/*.csv`; variants "
                 "are named `latent{size}_{activation}_noise{training noise}_seed{seed}`.")


def summary_sections(tables, datasets, classifiers=None):
    """The summary's ``(heading, text, DataFrame)`` sections: the study's answers."""
    return [
        ("Best autoencoder per metric and dataset",
         "The best variant of the grid for each metric, beside PCA with as many components as "
         "that variant's latent size and the baseline that needs no model (raw pixels; for "
         "denoising, the noisy input itself). The last row of each dataset is the best DIY "
         "classifier trained on raw pixels, the supervised reference.",
         best_variants_table(tables, datasets, classifiers=classifiers)),
        ("Autoencoder vs PCA at each latent size",
         "For each latent size, the best autoencoder (over activation, training noise and seed) "
         "beside PCA of the same size. `AE/PCA error` below 1: the autoencoder reconstructs "
         "better than the best linear code of its size.",
         versus_pca_table(tables, datasets)),
        ("Effect of training noise on denoising",
         "PSNR in dB (higher is better) of the test images corrupted by each test noise, against "
         "the clean images: the noisy input itself, the best autoencoder trained at each training "
         "noise level (best over latent size, activation and seed) and the best PCA denoiser.",
         noise_effect_table(tables, datasets)),
    ]


def summary_markdown(tables, datasets, classifiers=None):
    """``summary.md``: the study's answers in three short tables."""
    parts = [f"# {SUMMARY_TITLE}\n", SUMMARY_INTRO + "\n"]
    for heading, text, table in summary_sections(tables, datasets, classifiers):
        parts += [f"## {heading}\n", text + "\n", markdown_table(table)]
    return "\n".join(parts)


def summary_html(tables, datasets, classifiers=None):
    """``summary.html``: the same as :func:`summary_markdown`, as a web page (for the report)."""
    body = [f"<p>{_html_text(SUMMARY_INTRO)}</p>"]
    for heading, text, table in summary_sections(tables, datasets, classifiers):
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{_html_text(text)}</p>", html_table(table)]
    return html_page(SUMMARY_TITLE, "\n".join(body))


# -- HTML (what the report shows) ---------------------------------------------------------
_STYLE = """body { font-family: sans-serif; font-size: 14px; margin: 1em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
th { background: #eee; position: sticky; top: 0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f8f8f8; }"""


def html_table(table, digits=4):
    """A DataFrame as an HTML table, cells formatted as in the Markdown tables."""
    columns = list(table.columns)
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    number = ' class="number"'
    rows = []
    for row in table.itertuples(index=False):
        cells = "".join(f"<td{number if n else ''}>{html.escape(format_value(v, digits))}</td>"
                        for v, n in zip(row, numeric))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def html_page(title, body):
    """A standalone HTML page."""
    title = html.escape(title)
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f"<style>\n{_STYLE}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n")


def _html_text(text):
    """Escaped text with `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
