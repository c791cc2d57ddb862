"""The study's answers: ``results/tables/summary.md`` and ``.html``, from the analyses' tables.

Three short tables: the best autoencoder per metric beside PCA of its size and the baseline
that needs no model; autoencoder vs PCA at each latent size; the effect of training noise on
denoising. The metrics come from the analyses registry, so a new analysis' metrics join.
"""
import html

import pandas as pd

from study.analyses import ANALYSES
from study.tables import best, format_value, html_page, html_table, markdown_table, metric_values

TITLE = "Summary of the study"
INTRO = ("All numbers are on the test split and come from `results/tables/*.csv`; autoencoders are "
         "named `{family}_latent{size}_{activation}_noise{training noise}_seed{seed}`.")


def _metrics(tables):
    """``(analysis, name, Metric)`` of every registered analysis whose table is given."""
    return [(analysis, name, metric)
            for analysis in sorted(ANALYSES.values(), key=lambda a: a.category) if analysis.name in tables
            for name, metric in analysis.metrics.items()]


def model_free(analysis):
    """The baseline that needs no model: raw pixels, else the analysis' own first baseline."""
    return "pixels" if "pixels" in analysis.baselines else next(iter(analysis.own_baselines), None)


def best_variants_table(tables, datasets, classifiers=None):
    """Per dataset and metric: the best autoencoder and its value, beside PCA of the same latent
    size and the model-free baseline; with `classifiers`, the best raw-pixel DIY classifier."""
    records = []
    for dataset in datasets:
        for analysis, _, metric in _metrics(tables):
            values = metric_values(tables[analysis.name], metric)
            values = values[values["dataset"] == dataset]
            row = best(values, metric.higher_is_better)
            if row is None:
                continue
            reference = model_free(analysis)
            pca = values[(values["method"] == "pca") & (values["latent_dim"] == row["latent_dim"])]
            free = values[values["method"] == reference]
            records.append({
                "dataset": dataset, "metric": metric.label,
                "best": "higher" if metric.higher_is_better else "lower",
                "best autoencoder": row["representation"], "value": row["value"],
                "PCA, same size": pca["value"].iloc[0] if len(pca) else None,
                "without a model": (f"{format_value(free['value'].iloc[0])} ({reference})"
                                    if len(free) else ""),
            })
        if classifiers is not None and len(classifiers):
            rows = classifiers[(classifiers["dataset"] == dataset) & classifiers["test_accuracy"].notna()]
            if len(rows):
                row = rows.loc[rows["test_accuracy"].idxmax()]
                records.append({"dataset": dataset, "metric": "raw-pixel DIY classifier test accuracy",
                                "best": "higher", "best autoencoder": f"(classifier {row['variant']})",
                                "value": row["test_accuracy"], "PCA, same size": None,
                                "without a model": ""})
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "metric", "best", "best autoencoder", "value", "PCA, same size", "without a model"])


def versus_pca_table(tables, datasets):
    """Per dataset and latent size: for each metric with a ``versus_pca`` label, the best
    autoencoder's value (over family, activation, noise and seed) and PCA's; for the
    reconstruction error also their ratio."""
    chosen = [(analysis, name, metric) for analysis, name, metric in _metrics(tables) if metric.versus_pca]
    per_metric = {name: metric_values(tables[analysis.name], metric) for analysis, name, metric in chosen}
    records = []
    for dataset in datasets:
        sizes = sorted({int(d) for values in per_metric.values()
                        for d in values.loc[values["dataset"] == dataset, "latent_dim"].dropna()})
        for latent_dim in sizes:
            record = {"dataset": dataset, "latent_dim": latent_dim}
            for _, name, metric in chosen:
                values = per_metric[name]
                values = values[(values["dataset"] == dataset) & (values["latent_dim"] == latent_dim)]
                row = best(values, metric.higher_is_better)
                ae = None if row is None else row["value"]
                pca = values.loc[values["method"] == "pca", "value"]
                pca = pca.iloc[0] if len(pca) else None
                record[f"{metric.versus_pca} AE"], record[f"{metric.versus_pca} PCA"] = ae, pca
                if name == "reconstruction_error":
                    record["AE/PCA error"] = ae / pca if ae is not None and pca else None
            records.append(record)
    table = pd.DataFrame.from_records(records)
    if "latent_dim" in table:
        table["latent_dim"] = table["latent_dim"].astype("Int64")
    return table


def noise_effect_table(tables, datasets):
    """Denoising PSNR per test noise (rows) and training noise of the autoencoder (columns),
    each the best over latent size, activation and seed; beside the noisy input's PSNR and
    the best PCA denoiser's."""
    table = tables.get("denoising")
    records = []
    for dataset in datasets if table is not None else []:
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


def failures_table(failed):
    """``{dataset: {variant: why}}`` -> DataFrame of the variants whose training failed."""
    return pd.DataFrame.from_records(
        [{"dataset": dataset, "variant": variant, "why": why}
         for dataset, variants in (failed or {}).items() for variant, why in variants.items()],
        columns=["dataset", "variant", "why"])


def sections(tables, datasets, classifiers=None, failed=None):
    """The summary's ``(heading, text, DataFrame)`` sections; the failed variants first, if any."""
    failures = failures_table(failed)
    first = [("Variants whose training failed",
              "Left out of every table below until a re-run trains them (`snakemake --cores all` "
              "retries them; change what the message suggests first).", failures)]
    return (first if len(failures) else []) + [
        ("Best autoencoder per metric and dataset",
         "The best autoencoder of the grid for each metric, beside PCA with as many components as "
         "its latent size and the baseline that needs no model (raw pixels; for denoising the noisy "
         "input, for inpainting the mean image). The last row of each dataset is the best DIY "
         "classifier trained on raw pixels, the supervised reference.",
         best_variants_table(tables, datasets, classifiers)),
        ("Autoencoder vs PCA at each latent size",
         "For each latent size, the best autoencoder (over family, activation, training noise and "
         "seed) beside PCA of the same size. `AE/PCA error` below 1: the autoencoder reconstructs "
         "better than the best linear code of its size.",
         versus_pca_table(tables, datasets)),
        ("Effect of training noise on denoising",
         "PSNR in dB (higher is better) of the test images corrupted by each test noise, against "
         "the clean images: the noisy input itself, the best autoencoder trained at each training "
         "noise level (best over latent size, activation and seed) and the best PCA denoiser.",
         noise_effect_table(tables, datasets)),
    ]


def provenance_text():
    """One line: the versions, commit and CPU the summary was made with (study.provenance)."""
    from study.provenance import provenance

    made = provenance()
    versions = ", ".join(f"{name} {version}" for name, version in made["versions"].items())
    return f"Made with {versions}; commit {made['commit']}; CPU: {made['cpu']}."


def summary_markdown(tables, datasets, classifiers=None, failed=None):
    """``summary.md``: the study's answers in three short tables, and where they were made."""
    parts = [f"# {TITLE}\n", INTRO + "\n"]
    for heading, text, table in sections(tables, datasets, classifiers, failed):
        parts += [f"## {heading}\n", text + "\n", markdown_table(table) if len(table) else "(none)\n"]
    parts.append(provenance_text() + "\n")
    return "\n".join(parts)


def summary_html(tables, datasets, classifiers=None, failed=None):
    """``summary.html``: the same as :func:`summary_markdown`, as a web page (for the report)."""
    body = [f"<p>{_html_text(INTRO)}</p>"]
    for heading, text, table in sections(tables, datasets, classifiers, failed):
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{_html_text(text)}</p>", html_table(table)]
    body.append(f"<p>{html.escape(provenance_text())}</p>")
    return html_page(TITLE, "\n".join(body))


def _html_text(text):
    """Escaped text with `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
