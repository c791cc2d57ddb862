"""The study's answers: ``results/tables/summary.md`` and ``.html``, from the analyses' tables.

Every choice is made on the validation split and reported on the test split: the best
autoencoder configuration for a metric is the one with the best validation mean over its
training seeds, and its test mean is shown with its t interval over those seeds. Claims
(this beats that) are paired comparisons across seeds (same seed, same test set;
:func:`study.statistics.paired_comparison`), worded by their numbers
(:func:`study.statistics.claim`). The metrics come from the analyses registry, so a new
analysis' metrics join.
"""
import html

import numpy as np
import pandas as pd

from study.aggregates import configuration_of, configuration_values
from study.analyses import ANALYSES
from study.statistics import claim, format_interval, format_number, paired_comparison, t_interval
from study.tables import format_value, html_page, html_table, markdown_table, metric_values

TITLE = "Summary of the study"
INTRO = ("Every choice below (the best configuration, at each latent size or training noise) is made "
         "on the validation split; the numbers are then the test split's: the mean over training "
         "seeds [95% t interval] (`(n=1)`: one seed, no interval). Autoencoders are named "
         "`{family}_latent{size}_{activation}_noise{training noise}_seed{seed}`, a configuration "
         "without its `_seed`. Comparisons are paired t-tests across seeds.")
#: The metric the claims about clustering are made on, and the one about denoising.
CLAIM_METRICS = {"clustering": "kmeans_accuracy", "denoising": "denoising_psnr"}


def _metrics(tables):
    """``(analysis, name, Metric)`` of every registered analysis whose table is given."""
    return [(analysis, name, metric)
            for analysis in sorted(ANALYSES.values(), key=lambda a: a.category) if analysis.name in tables
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


def _interval(row, metric):
    return "" if row is None else format_interval(row["mean"], row["low"], row["high"], metric.number_kind)


def _single(table, metric, dataset, method, latent_dim=None):
    """The test value of a representation without training seeds (PCA of a size, pixels, an
    own baseline), or NaN."""
    values = metric_values(table, metric)
    values = values[(values["dataset"] == dataset) & (values["method"] == method)]
    if latent_dim is not None:
        values = values[values["latent_dim"] == latent_dim]
    return float(values["value"].mean()) if len(values) else float("nan")


def best_variants_table(tables, datasets, classifiers=None):
    """Per dataset and metric: the autoencoder configuration chosen on validation and its test
    mean over seeds, beside PCA of its latent size and the model-free baseline; with
    `classifiers`, the raw-pixel DIY classifier chosen on validation accuracy."""
    records = []
    for dataset in datasets:
        for analysis, _, metric in _metrics(tables):
            chosen = chosen_on_validation(tables[analysis.name], metric, dataset)
            if chosen is None:
                continue
            validation, test = chosen
            reference = model_free(analysis)
            pca = _single(tables[analysis.name], metric, dataset, "pca", int(validation["latent_dim"]))
            free = _single(tables[analysis.name], metric, dataset, reference)
            records.append({
                "dataset": dataset, "metric": metric.label,
                "best": "higher" if metric.higher_is_better else "lower",
                "chosen on validation": validation.name, "test": _interval(test, metric),
                "seeds": int(test["n_seeds"]) if test is not None else 0,
                "PCA, same size": format_number(pca, metric.number_kind),
                "without a model": "" if np.isnan(free) else f"{format_number(free, metric.number_kind)} ({reference})",
            })
        if classifiers is not None and len(classifiers):
            chosen = best_classifier(classifiers, dataset)
            if chosen is not None:
                name, test = chosen
                records.append({"dataset": dataset, "metric": "raw-pixel DIY classifier accuracy",
                                "best": "higher", "chosen on validation": f"(classifier {name})",
                                "test": format_interval(test.mean, test.low, test.high, "accuracy"),
                                "seeds": test.n, "PCA, same size": "", "without a model": ""})
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "metric", "best", "chosen on validation", "test", "seeds", "PCA, same size",
        "without a model"])


def best_classifier(classifiers, dataset):
    """The raw-pixel classifier configuration (its variant without ``_seed``) of `dataset` with
    the best validation accuracy averaged over its seeds -> ``(name, t_interval of its test
    accuracies)``, or None."""
    rows = classifiers[(classifiers["dataset"] == dataset) & classifiers["val_accuracy"].notna()]
    if rows.empty:
        return None
    rows = rows.assign(configuration=rows["variant"].map(configuration_of))
    name = rows.groupby("configuration", sort=False)["val_accuracy"].mean().idxmax()
    return name, t_interval(rows.loc[rows["configuration"] == name, "test_accuracy"])


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


def versus_pca(table, metric, dataset):
    """For each latent size of the autoencoders of `dataset`: ``(latent_dim, validation row,
    test row, PCA's test value, Comparison)``, the autoencoder configuration of that size
    chosen on validation against PCA of the same size, paired by seed (PCA, of no training
    seed, is the same for every seed)."""
    for latent_dim, validation, test in chosen_per_latent_size(table, metric, dataset):
        pca = _single(table, metric, dataset, "pca", latent_dim)
        seeds = seed_values(table, metric, dataset, validation.name)
        yield latent_dim, validation, test, pca, paired_comparison(seeds.to_numpy(), np.full(len(seeds), pca))


def versus_pca_table(tables, datasets):
    """Per dataset, metric with a ``versus_pca`` label and latent size: :func:`versus_pca`'s
    choice, its test mean over seeds, PCA's test value and their paired difference."""
    records = []
    for dataset in datasets:
        for analysis, _, metric in _metrics(tables):
            if not metric.versus_pca:
                continue
            for latent_dim, validation, test, pca, c in versus_pca(tables[analysis.name], metric, dataset):
                records.append({
                    "dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                    "autoencoder (chosen on val)": validation.name, "AE test": _interval(test, metric),
                    "PCA test": format_number(pca, metric.number_kind),
                    "AE - PCA": format_interval(c.difference, c.low, c.high, metric.number_kind),
                    "p": "" if np.isnan(c.p_value) else f"{c.p_value:.3f}",
                })
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "latent", "metric", "autoencoder (chosen on val)", "AE test", "PCA test", "AE - PCA", "p"])


def versus_family(table, metric, dataset):
    """For each latent size with autoencoders of more than one family: ``(latent_dim,
    (reference validation row, test row), (other validation row, test row), Comparison)``
    for each family after the first (in the table's order), each family's configuration of
    that size chosen on validation, paired by seed (other - reference)."""
    ae = table[(table["dataset"] == dataset) & (table["method"] == "autoencoder")]
    families = list(dict.fromkeys(ae["family"].dropna()))
    for latent_dim in sorted({int(d) for d in ae["latent_dim"].dropna()}):
        picks = [(family, chosen_on_validation(table, metric, dataset, latent_dim=latent_dim, family=family))
                 for family in families]
        picks = [picked for _, picked in picks if picked is not None]
        for reference, other in ((picks[0], picked) for picked in picks[1:]):
            yield latent_dim, reference, other, paired_by_seed(seed_values(table, metric, dataset, other[0].name),
                                                               seed_values(table, metric, dataset, reference[0].name))


def versus_family_table(tables, datasets):
    """Per dataset, metric with a ``versus_pca`` label and latent size: the configuration of
    each model family chosen on validation, their test means over seeds and the paired
    difference (empty when the study has one family)."""
    records = []
    for dataset in datasets:
        for analysis, _, metric in _metrics(tables):
            if not metric.versus_pca:
                continue
            for latent_dim, reference, other, c in versus_family(tables[analysis.name], metric, dataset):
                records.append({
                    "dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                    "reference (chosen on val)": reference[0].name, "reference test": _interval(reference[1], metric),
                    "other family (chosen on val)": other[0].name, "other test": _interval(other[1], metric),
                    "other - reference": format_interval(c.difference, c.low, c.high, metric.number_kind),
                    "p": "" if np.isnan(c.p_value) else f"{c.p_value:.3f}",
                })
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "latent", "metric", "reference (chosen on val)", "reference test",
        "other family (chosen on val)", "other test", "other - reference", "p"])


#: Clustering analyses compared with k-means on the same codes: analysis -> its accuracy metric.
CLUSTERINGS = {"dec": "dec_accuracy", "idec": "idec_accuracy", "manifold": "manifold_accuracy"}


def versus_kmeans(tables, analysis, dataset):
    """For each latent size: ``(latent_dim, validation row, test row, k-means test row,
    Comparison)``, the autoencoder configuration chosen on `analysis`' validation accuracy
    (:data:`CLUSTERINGS`), its test accuracy against k-means' of the same codes (the same
    configuration and seeds), paired by seed."""
    table, metric = tables[analysis], ANALYSES[analysis].metrics[CLUSTERINGS[analysis]]
    kmeans, kmeans_metric = tables["kmeans"], ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    kmeans_test = configuration_rows(kmeans, kmeans_metric, dataset, "test")
    for latent_dim, validation, test in chosen_per_latent_size(table, metric, dataset):
        yield latent_dim, validation, test, kmeans_test.reindex([validation.name]).iloc[0], paired_by_seed(
            seed_values(table, metric, dataset, validation.name),
            seed_values(kmeans, kmeans_metric, dataset, validation.name))


def versus_kmeans_table(tables, datasets):
    """Per dataset, clustering analysis of :data:`CLUSTERINGS` the study ran and latent size:
    :func:`versus_kmeans`' choice, its test accuracy, k-means' on the same codes and their
    paired difference (empty without k-means or any of them)."""
    records = []
    for dataset in datasets:
        for analysis in (name for name in CLUSTERINGS if name in tables and "kmeans" in tables):
            metric = ANALYSES[analysis].metrics[CLUSTERINGS[analysis]]
            for latent_dim, validation, test, kmeans_test, c in versus_kmeans(tables, analysis, dataset):
                records.append({
                    "dataset": dataset, "latent": latent_dim, "method": metric.label,
                    "autoencoder (chosen on val)": validation.name, "method test": _interval(test, metric),
                    "k-means test, same codes": _interval(kmeans_test, metric),
                    "method - k-means": format_interval(c.difference, c.low, c.high, metric.number_kind),
                    "p": "" if np.isnan(c.p_value) else f"{c.p_value:.3f}",
                })
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "latent", "method", "autoencoder (chosen on val)", "method test",
        "k-means test, same codes", "method - k-means", "p"])


def noise_effect_table(tables, datasets):
    """Denoising PSNR per test noise (rows) and training noise of the autoencoder (columns):
    for each training noise the configuration (latent size, activation) chosen on its
    validation PSNR, its test mean over seeds; beside the noisy input's PSNR and the PCA
    denoiser of the size chosen on validation."""
    table = tables.get("denoising")
    if table is None:
        return pd.DataFrame()
    metric = ANALYSES["denoising"].metrics["denoising_psnr"]
    records = []
    for dataset in datasets:
        rows = table[(table["dataset"] == dataset) & (table["split"] == "test")]
        noises = sorted(rows.loc[rows["method"] == "autoencoder", "noise"].dropna().unique())
        picks = {noise: chosen_on_validation(table, metric, dataset, noise=noise) for noise in noises}
        pca = chosen_on_validation(table, metric, dataset, method="pca")
        for (kind, level), group in rows.groupby(["test_noise_kind", "test_noise_level"], sort=False):
            record = {"dataset": dataset, "test noise": kind, "level": level,
                      "noisy input": format_number(group.loc[group["method"] == "noisy", "psnr"].mean(), "psnr")}
            for noise, picked in picks.items():
                if picked is None:
                    continue
                by_seed = group.loc[group["representation"].map(configuration_of) == picked[0].name, "psnr"]
                interval = t_interval(by_seed)
                record[f"AE noise {format_value(noise)}"] = format_interval(
                    interval.mean, interval.low, interval.high, "psnr")
            if pca is not None:
                record["PCA"] = format_number(
                    group.loc[group["representation"] == pca[0].name, "psnr"].mean(), "psnr")
            records.append(record)
    return pd.DataFrame.from_records(records)


def claims(tables, datasets):
    """The study's claims as sentences (:func:`study.statistics.claim`): per dataset, the
    autoencoder chosen on validation against PCA at each latent size, each model family's
    against the first family's at each latent size, and every pair of activations on k-means
    accuracy, and every training noise against none on denoising PSNR
    (a factor's levels averaged over the other factors within each seed, then paired by seed)."""
    sentences = []
    for dataset in datasets:
        if "kmeans" in tables:
            table, metric = tables["kmeans"], ANALYSES["kmeans"].metrics["kmeans_accuracy"]
            for latent_dim, validation, _, _, comparison in versus_pca(table, metric, dataset):
                sentences.append(f"{dataset}: " + claim(validation.name, f"PCA {latent_dim}", metric.label,
                                                        comparison))
            for _, reference, other, comparison in versus_family(table, metric, dataset):
                sentences.append(f"{dataset}: " + claim(other[0].name, reference[0].name, metric.label, comparison))
            sentences += _factor_claims(table, metric, dataset, "activation")
            for analysis in (name for name in CLUSTERINGS if name in tables):
                label = ANALYSES[analysis].metrics[CLUSTERINGS[analysis]].label.removesuffix(" accuracy")
                for _, validation, _, _, comparison in versus_kmeans(tables, analysis, dataset):
                    sentences.append(f"{dataset}: " + claim(f"{label} of {validation.name}",
                                                            "k-means of the same codes", "accuracy", comparison))
        if "denoising" in tables:
            metric = ANALYSES["denoising"].metrics["denoising_psnr"]
            sentences += _factor_claims(tables["denoising"], metric, dataset, "noise", against=0.0)
    return sentences


def _factor_claims(table, metric, dataset, factor, against=None):
    """Claims comparing the levels of `factor` pairwise (or each with `against`), each level's
    autoencoders averaged within a seed."""
    values = metric_values(table, metric)
    levels = list(dict.fromkeys(values.loc[(values["dataset"] == dataset)
                                           & (values["method"] == "autoencoder"), factor].dropna()))
    if against is not None:
        pairs = [(level, against) for level in levels if level != against and against in levels]
    else:
        pairs = [(a, b) for i, a in enumerate(levels) for b in levels[i + 1:]]
    sentences = []
    for a, b in pairs:
        comparison = paired_by_seed(seed_values(table, metric, dataset, **{factor: a}),
                                    seed_values(table, metric, dataset, **{factor: b}))
        label = lambda level: f"{factor} {format_value(level)}"
        decimals = 2 if metric.number_kind == "psnr" else 3
        sentences.append(f"{dataset}: " + claim(label(a), label(b), f"{metric.label} (averaged over the "
                                                f"other factors)", comparison, metric.higher_is_better, decimals))
    return sentences


def failures_table(failed):
    """``{dataset: {variant: why}}`` -> DataFrame of the variants whose training failed."""
    return pd.DataFrame.from_records(
        [{"dataset": dataset, "variant": variant, "why": why}
         for dataset, variants in (failed or {}).items() for variant, why in variants.items()],
        columns=["dataset", "variant", "why"])


FAMILIES_SECTION = (
    "Model families at each latent size",
    "For each latent size, the configuration of each model family chosen on validation (over "
    "activation and training noise), against the first family's; `other - reference`: the mean "
    "difference over seeds [interval], `p` its paired t-test. Only when the study has more than "
    "one family.")


CLUSTERINGS_SECTION = (
    "Clustering methods against k-means on the same codes",
    "For each clustering analysis beyond k-means (DEC, IDEC, UMAP + GMM) and latent size, the "
    "autoencoder configuration chosen on that method's validation accuracy, its test accuracy "
    "beside k-means' on the same codes (same configuration, same seeds); `method - k-means`: the "
    "mean difference over seeds [interval], `p` its paired t-test. Only when the study runs one "
    "of them.")


def sections(tables, datasets, classifiers=None, failed=None):
    """The summary's ``(heading, text, DataFrame)`` sections; the failed variants first, if any."""
    failures, families = failures_table(failed), versus_family_table(tables, datasets)
    clusterings = versus_kmeans_table(tables, datasets)
    first = [("Variants whose training failed",
              "Left out of every table below until a re-run trains them (`snakemake --cores all` "
              "retries them; change what the message suggests first).", failures)]
    return (first if len(failures) else []) + [
        ("Best autoencoder per metric and dataset",
         "For each metric, the autoencoder configuration with the best validation mean over seeds, "
         "its test mean [interval], beside PCA with as many components as its latent size and the "
         "baseline that needs no model (raw pixels; for denoising the noisy input, for inpainting "
         "the mean image). The last row of each dataset is the raw-pixel DIY classifier chosen on "
         "validation accuracy, the supervised reference.",
         best_variants_table(tables, datasets, classifiers)),
        ("Autoencoder vs PCA at each latent size",
         "For each latent size, the autoencoder configuration chosen on validation (over family, "
         "activation and training noise) beside PCA of the same size; `AE - PCA`: the mean "
         "difference over seeds [interval], `p` its paired t-test.",
         versus_pca_table(tables, datasets)),
        *([FAMILIES_SECTION + (families,)] if len(families) else []),
        *([CLUSTERINGS_SECTION + (clusterings,)] if len(clusterings) else []),
        ("Effect of training noise on denoising",
         "PSNR in dB (higher is better) of the test images corrupted by each test noise, against "
         "the clean images: the noisy input itself, for each training noise level the autoencoder "
         "configuration chosen on validation PSNR (mean over seeds [interval]), and the PCA "
         "denoiser of the size chosen on validation.",
         noise_effect_table(tables, datasets)),
    ]


CLAIMS_HEADING = "What the seeds support"
CLAIMS_TEXT = ("Paired comparisons across training seeds on the test split: a claim holds when its 95% "
               "interval excludes zero and the paired t-test rejects at 5%; otherwise it says there is "
               "no clear difference, and with one seed that it cannot be tested.")


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
    parts += [f"## {CLAIMS_HEADING}\n", CLAIMS_TEXT + "\n",
              "".join(f"- {sentence}\n" for sentence in claims(tables, datasets)) or "(none)\n"]
    parts.append(provenance_text() + "\n")
    return "\n".join(parts)


def summary_html(tables, datasets, classifiers=None, failed=None):
    """``summary.html``: the same as :func:`summary_markdown`, as a web page (for the report)."""
    body = [f"<p>{_html_text(INTRO)}</p>"]
    for heading, text, table in sections(tables, datasets, classifiers, failed):
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{_html_text(text)}</p>", html_table(table)]
    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in claims(tables, datasets))
    body += [f"<h2>{CLAIMS_HEADING}</h2>", f"<p>{_html_text(CLAIMS_TEXT)}</p>", f"<ul>{items}</ul>"]
    body.append(f"<p>{html.escape(provenance_text())}</p>")
    return html_page(TITLE, "\n".join(body))


def _html_text(text):
    """Escaped text with `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
