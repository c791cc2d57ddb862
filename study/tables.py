"""The study's tables: the analyses' JSON documents gathered into one DataFrame per analysis,
rendered as CSV, Markdown and HTML, and the selections the summary and figures make of them;
all of them in one tidy table (:func:`metrics_table`), which the summary, the figures and the
tools read (:func:`study.results.load`, :func:`analysis_tables`).

One table per analysis, one row per row of each document: per representation (and per test
noise, classifier, mask... where the analysis has several rows). The columns start with
:data:`COLUMNS` (the representation's, :func:`study.representations.describe`), then the
analysis' key columns and its metrics. Nothing is computed here but selections and means.
"""
import io
import math

import numpy as np
import pandas as pd

from diy.atomic import write_text
from study.seals import RERUN, read_checked, write_sealed
from study.variants import AEVariant, ClassifierVariant

COLUMNS = ["dataset", "representation", "method", "family", "latent_dim", "activation", "noise",
           "objective", "seed"]
CLASSIFIER_COLUMNS = ["dataset", "variant", "hidden", "activation", "dropout", "seed",
                      "test_accuracy", "val_accuracy", "epochs_trained", "seconds"]


def analysis_table(documents):
    """One analysis' documents (:mod:`study.results` layout), in order -> DataFrame.

    Columns: COLUMNS, then the row keys in their first-seen order. ``objective`` is read from
    the representation's name (:func:`objective_of`), so documents written before it existed
    have it too.
    """
    records = []
    for document in documents:
        head = {column: document.get(column) for column in COLUMNS}
        head["objective"] = objective_of(document["representation"], document.get("method"))
        records.extend({**head, **row} for row in document["rows"])
    columns = list(COLUMNS)
    for record in records:
        columns.extend(key for key in record if key not in columns)
    return _typed(pd.DataFrame.from_records(records, columns=columns))


#: The tidy table's columns (:func:`metrics_table`), before the analyses' key columns.
METRICS_COLUMNS = [*COLUMNS, "split", "analysis", "metric", "value", "low", "high"]


def metrics_table(tables, analyses):
    """The analyses' tables -> the tidy table, ``results/tables/metrics.csv``: one row per
    measurement, i.e. per row of an analysis' table and metric the analysis declares whose
    ``where`` selects that row (:class:`study.analyses.Metric`).

    tables : ``{analysis name: its table}`` (:func:`analysis_table`), in the order wanted.
    analyses : ``{name: Analysis}`` declaring each table's ``keys`` and ``metrics``.

    Columns: :data:`METRICS_COLUMNS`, i.e. COLUMNS, ``split``, ``analysis``, ``metric`` (its name
    in the declaration), ``value`` (the row's ``metric.column``), ``low`` and ``high`` (the
    row's ``{column}_low`` and ``_high``: the analysis' own interval, where it has one), then
    every analysis' key columns (empty in the other analyses' rows): a metric that averages
    several rows of a representation (denoising's test noises) has one row per key. Rows
    follow their table's, a row's metrics their declaration.
    """
    parts, keys = [], []
    for name, table in tables.items():
        analysis = analyses[name]
        keys += [key for key in analysis.keys if key not in keys]
        blocks = []
        for order, (metric_name, metric) in enumerate(analysis.metrics.items()):
            rows = table
            for column, value in metric.where:
                rows = rows[rows[column] == value]
            interval = {bound: rows[f"{metric.column}_{bound}"] if f"{metric.column}_{bound}" in rows else np.nan
                        for bound in ("low", "high")}
            blocks.append(rows[[*COLUMNS, "split", *analysis.keys]].assign(
                analysis=name, metric=metric_name, value=rows[metric.column].astype(float), **interval,
                _row=rows.index, _order=order))
        if blocks:
            parts.append(pd.concat(blocks).sort_values(["_row", "_order"], kind="stable"))
    columns = METRICS_COLUMNS + keys
    if not parts:
        return pd.DataFrame(columns=columns)
    return _typed(pd.concat(parts, ignore_index=True)[columns])


def analysis_tables(metrics, analyses):
    """The tidy table (:func:`metrics_table`) -> ``{name: table}``: each analysis of `analyses`
    that has rows, its table as :func:`analysis_table` makes it, with its metrics' columns only
    (no intervals, no columns no metric reads, empty cells where no metric reads them: k-means'
    NMI on whitened codes), rows in their first-seen order. What the summary and the figures
    select from (:func:`metric_values`), number for number as from the analysis' own table."""
    tables = {}
    for name, analysis in analyses.items():
        rows = metrics[metrics["analysis"] == name]
        if rows.empty:
            continue
        index = [*COLUMNS, "split", *analysis.keys]
        row = rows.groupby(index, sort=False, dropna=False).ngroup().to_numpy()
        table = rows.loc[~pd.Series(row).duplicated().to_numpy(), index].reset_index(drop=True)
        for key in analysis.keys:
            # Another analysis' rows left a key of whole numbers as floats (empty there).
            if pd.api.types.is_float_dtype(table[key]) and table[key].notna().all() \
                    and (table[key] == table[key].round()).all():
                table[key] = table[key].astype("int64")
        for metric_name, metric in analysis.metrics.items():
            selected = (rows["metric"] == metric_name).to_numpy()
            values = pd.Series(rows["value"].to_numpy()[selected], index=row[selected]).reindex(table.index)
            table[metric.column] = table[metric.column].fillna(values) if metric.column in table else values
        tables[name] = table
    return tables


def objective_of(representation, method):
    """An autoencoder's family and axis values (``mlp noise0.25``, ``vae beta4``:
    ``AEVariant.objective``); a PCA, pixels or baseline row's method."""
    if method != "autoencoder":
        return method
    return AEVariant.parse(representation).objective


def objectives_vary(ae):
    """Whether autoencoder rows differ in objective beyond the training noise (two families, a
    VAE's beta): then a figure's lines and columns, or a pivot's columns, are objectives, so
    that none mixes two of them."""
    return "objective" in ae and ae["objective"].nunique() > ae["noise"].nunique()


def classifiers_table(entries):
    """Raw-pixel classifier variants -> DataFrame, one row per variant.

    entries : iterable of ``(dataset, variant name, metrics)``, ``metrics`` as in the
        classifier's ``metrics.json`` (its confusion matrix and classes are left out).
    """
    records = []
    for dataset, name, metrics in entries:
        variant = ClassifierVariant.parse(name)
        records.append({"dataset": dataset, "variant": name, "hidden": "-".join(map(str, variant.hidden)),
                        "activation": variant.activation, "dropout": variant.dropout,
                        "seed": variant.seed, **{key: metrics.get(key) for key in CLASSIFIER_COLUMNS[6:]}})
    return _typed(pd.DataFrame.from_records(records, columns=CLASSIFIER_COLUMNS))


def _typed(table):
    """Integers that may be missing as nullable Int64, noise as float (missing: NaN)."""
    for column in ("latent_dim", "seed", "epochs_trained", "n_samples"):
        if column in table:
            table[column] = table[column].astype("Int64")
    if "noise" in table:
        table["noise"] = table["noise"].astype(float)
    return table


def read_table(path, columns=()):
    """A table written by :func:`write_csv` back as a typed DataFrame, once it is the one written
    (its seal, :func:`study.seals.read_checked`: not edited, cut short or replaced since), with
    `columns` (a table that cannot be read, or lacks one, another table's copied over it with its
    seal, is a ValueError naming the file). An analysis table written before the ``objective``
    column existed gets it, read from the names."""
    data = read_checked(path, "table")
    try:
        table = _typed(pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""]))
    except (UnicodeDecodeError, ValueError) as error:  # pandas' ParserError and EmptyDataError too
        raise ValueError(f"{path}: not a readable table ({str(error).strip()}); {RERUN}") from None
    missing = [column for column in columns if column not in table]
    if missing:
        raise ValueError(f"{path}: has no column {', '.join(map(repr, missing))}: not the table this job reads "
                         f"(another table copied over it); {RERUN}")
    if "representation" in table and "method" in table and "objective" not in table:
        table.insert(table.columns.get_loc("noise") + 1, "objective",
                     [objective_of(r, m) for r, m in zip(table["representation"], table["method"])])
    return table


def write_csv(table, path):
    """CSV with missing values as empty fields and floats at full precision, atomically, and its
    seal beside it (``{path}.seal``, :func:`study.seals.write_sealed`), which :func:`read_table`
    checks."""
    write_sealed(path, table.to_csv(index=False, na_rep=""))


# -- rendering -------------------------------------------------------------------------------
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


def _numeric(table):
    return [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
            for c in table.columns]


def markdown_table(table, digits=4):
    """A DataFrame as a GitHub-flavoured Markdown table (pandas' ``to_markdown``), cells as
    :func:`format_value` writes them, numeric columns right-aligned."""
    cells = table.astype(object).map(lambda value: format_value(value, digits).replace("|", "\\|"))
    align = ["right" if numeric else "left" for numeric in _numeric(table)]
    return cells.to_markdown(index=False, tablefmt="pipe", colalign=align or None,
                             disable_numparse=True) + "\n"


STYLE = """body { font-family: sans-serif; font-size: 14px; margin: 1em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
th { background: #eee; position: sticky; top: 0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f8f8f8; }"""


def html_table(table, digits=4):
    """A DataFrame as an HTML table through pandas' Styler, cells as in the Markdown tables."""
    numeric = [c for c, n in zip(table.columns, _numeric(table)) if n]
    # A fixed uuid: the same table gives the same page, byte for byte.
    styler = (table.style.set_uuid("table").hide(axis="index").format(lambda value: format_value(value, digits), escape="html")
              .set_td_classes(pd.DataFrame({c: "number" if c in numeric else "" for c in table.columns},
                                           index=table.index)))
    # Styles stay out (the page's STYLE has them); classes stay in, so td.number applies.
    return styler.to_html(exclude_styles=False, table_styles=[], cell_ids=False)


def html_page(title, body):
    """A standalone HTML page."""
    import html

    title = html.escape(title)
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f"<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n")


# -- selections -------------------------------------------------------------------------------
def metric_values(table, metric, split="test"):
    """A metric (:class:`study.analyses.Metric`) of an analysis' table on one `split` ->
    DataFrame of COLUMNS and ``value``: one row per representation (rows that differ beyond
    it are averaged)."""
    for column, value in (("split", split), *metric.where):
        table = table[table[column] == value]
    values = (table.groupby(COLUMNS, dropna=False, sort=False)[metric.column].mean()
              .reset_index().rename(columns={metric.column: "value"}))
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


def value_of_representation(values, name):
    """The value of representation `name` in `values`, or NaN."""
    rows = values[values["representation"] == name]
    return float(rows["value"].iloc[0]) if len(rows) else float("nan")


def value_of(values, method, latent_dim=None):
    """The value of the one representation of `method` (and `latent_dim`) in `values`, or NaN."""
    rows = values[values["method"] == method]
    if latent_dim is not None:
        rows = rows[rows["latent_dim"] == latent_dim]
    return float(rows["value"].iloc[0]) if len(rows) else float("nan")
