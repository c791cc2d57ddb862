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
from typing import NamedTuple

import numpy as np
import pandas as pd

from study.aggregates import configuration_of, configuration_values
from study.analyses import ANALYSES, Metric
from study.families import FAMILIES
from study.statistics import Comparison, claim, format_interval, format_number, holm, paired_comparison, t_interval
from study.tables import format_value, html_page, html_table, markdown_table, metric_values

TITLE = "Summary of the study"
INTRO = ("Every choice below (the best configuration, at each latent size or training noise) is made "
         "on the validation split; the numbers are then the test split's: the mean over training "
         "seeds [95% t interval] (`(n=1)`: one seed, no interval). Autoencoders are named "
         "`{family}_latent{size}_{activation}_noise{training noise}_seed{seed}`, a configuration "
         "without its `_seed`. Comparisons are paired t-tests across seeds; `p (Holm)` is a p-value "
         "adjusted over all the tests of its dataset, and decides the claims.")


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


#: The metrics on which the objectives are compared: (analysis, metric name).
OBJECTIVE_METRICS = [("kmeans", "kmeans_accuracy"), ("classification", "knn_accuracy"),
                     ("denoising", "denoising_psnr"), ("reconstruction", "reconstruction_error")]


def compares_objectives(table):
    """Whether the table's autoencoders include a family of an objective of its own (one with
    an axis other than the training noise: vae, sparse, contractive); only then does the
    summary compare objectives, instead of families."""
    families = table.loc[table["method"] == "autoencoder", "family"].dropna().unique()
    return any(axis.name != "noise" for family in families if family in FAMILIES
               for axis in FAMILIES[family].axes)


def versus_objective(table, metric, dataset):
    """For each latent size and objective (``AEVariant.objective``: ``mlp noise0``, ``vae
    beta4``, in the table's order): ``(latent_dim, objective, validation row, test row,
    Comparison or None)``, the objective's configuration of that size chosen on validation
    (over activation), paired by seed against the first objective's (None for the first)."""
    ae = table[(table["dataset"] == dataset) & (table["method"] == "autoencoder")]
    objectives = list(dict.fromkeys(ae["objective"].dropna()))
    for latent_dim in sorted({int(d) for d in ae["latent_dim"].dropna()}):
        picks = [(objective, chosen_on_validation(table, metric, dataset, latent_dim=latent_dim,
                                                  objective=objective)) for objective in objectives]
        picks = [(objective, picked) for objective, picked in picks if picked is not None]
        if not picks:
            continue
        reference = seed_values(table, metric, dataset, picks[0][1][0].name)
        for i, (objective, (validation, test)) in enumerate(picks):
            comparison = None if i == 0 else paired_by_seed(seed_values(table, metric, dataset, validation.name),
                                                            reference)
            yield latent_dim, objective, validation, test, comparison


def clusterings(tables):
    """The clustering analyses of `tables` compared with k-means on the same codes: analysis ->
    its accuracy metric's name (each declares it, ``Analysis.versus_kmeans``)."""
    return {name: analysis.versus_kmeans for name, analysis in ANALYSES.items()
            if analysis.versus_kmeans and name in tables}


def versus_kmeans(tables, analysis, dataset):
    """For each latent size: ``(latent_dim, validation row, test row, k-means test row,
    Comparison)``, the autoencoder configuration chosen on `analysis`' validation accuracy
    (its ``versus_kmeans``), its test accuracy against k-means' of the same codes (the same
    configuration and seeds), paired by seed."""
    table, metric = tables[analysis], ANALYSES[analysis].metrics[ANALYSES[analysis].versus_kmeans]
    kmeans, kmeans_metric = tables["kmeans"], ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    kmeans_test = configuration_rows(kmeans, kmeans_metric, dataset, "test")
    for latent_dim, validation, test in chosen_per_latent_size(table, metric, dataset):
        yield latent_dim, validation, test, kmeans_test.reindex([validation.name]).iloc[0], paired_by_seed(
            seed_values(table, metric, dataset, validation.name),
            seed_values(kmeans, kmeans_metric, dataset, validation.name))


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


class Tested(NamedTuple):
    """One paired comparison the summary prints: in which `section` (``pca``, ``family``,
    ``clustering``, ``activation``, ``noise``) and table `row` (its columns before the
    difference), `a` against `b` on `metric`, the :class:`study.statistics.Comparison` (Holm-
    adjusted in its dataset's family once :func:`paired_tests` is done) and whether the
    claims list it."""

    section: str
    dataset: str
    row: dict
    a: str
    b: str
    metric: Metric
    metric_label: str
    comparison: Comparison
    claimed: bool


#: The order of the claims of one dataset, by section.
CLAIM_ORDER = ("pca", "family", "objective", "activation", "clustering", "noise")


def paired_tests(tables, datasets):
    """Every paired comparison the summary prints, in print order, each dataset's one family
    adjusted by Holm's method (:func:`study.statistics.holm`): every test of the tables'
    ``p`` columns and of the claims, so that the chance of any false claim about a dataset is
    at most 5%, however the tests depend on each other (they share seeds and test images).
    A dataset is its own family, so its rows read the same whether or not the study has others."""
    tested = []
    for dataset in datasets:
        family = list(_dataset_tests(tables, dataset))
        tested += [t._replace(comparison=c) for t, c in zip(family, holm(t.comparison for t in family))]
    return tested


def _dataset_tests(tables, dataset):
    """The :class:`Tested` comparisons of one dataset, unadjusted."""
    for analysis, name, metric in _metrics(tables):
        if not metric.versus_pca:
            continue
        table, on_kmeans = tables[analysis.name], name == "kmeans_accuracy"
        for latent_dim, validation, test, pca, c in versus_pca(table, metric, dataset):
            row = {"dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                   "autoencoder (chosen on val)": validation.name, "AE test": _interval(test, metric),
                   "PCA test": format_number(pca, metric.number_kind)}
            yield Tested("pca", dataset, row, validation.name, f"PCA {latent_dim}", metric, metric.label, c, on_kmeans)
        for latent_dim, reference, other, c in ([] if compares_objectives(table) else
                                                versus_family(table, metric, dataset)):
            row = {"dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                   "reference (chosen on val)": reference[0].name, "reference test": _interval(reference[1], metric),
                   "other family (chosen on val)": other[0].name, "other test": _interval(other[1], metric)}
            yield Tested("family", dataset, row, other[0].name, reference[0].name, metric, metric.label, c, on_kmeans)
    for analysis, name in OBJECTIVE_METRICS:
        if analysis in tables and compares_objectives(tables[analysis]):
            metric = ANALYSES[analysis].metrics[name]
            reference = {}
            for latent_dim, objective, validation, test, c in versus_objective(tables[analysis], metric, dataset):
                if c is None:
                    reference = {"reference (chosen on val)": validation.name, "reference test": _interval(test, metric)}
                    continue
                row = {"dataset": dataset, "latent": latent_dim, "metric": metric.label, "objective": objective,
                       "configuration (chosen on val)": validation.name, "test": _interval(test, metric), **reference}
                yield Tested("objective", dataset, row, validation.name, reference["reference (chosen on val)"],
                             metric, metric.label, c, True)
    if "kmeans" in tables:
        yield from _factor_tests(tables["kmeans"], ANALYSES["kmeans"].metrics["kmeans_accuracy"], dataset,
                                 "activation")
        for analysis, name in clusterings(tables).items():
            metric = ANALYSES[analysis].metrics[name]
            label = metric.label.removesuffix(" accuracy")
            for latent_dim, validation, test, kmeans_test, c in versus_kmeans(tables, analysis, dataset):
                row = {"dataset": dataset, "latent": latent_dim, "method": metric.label,
                       "autoencoder (chosen on val)": validation.name, "method test": _interval(test, metric),
                       "k-means test, same codes": _interval(kmeans_test, metric)}
                yield Tested("clustering", dataset, row, f"{label} of {validation.name}", "k-means of the same codes",
                             metric, "accuracy", c, True)
    if "denoising" in tables:
        yield from _factor_tests(tables["denoising"], ANALYSES["denoising"].metrics["denoising_psnr"], dataset,
                                 "noise", against=0.0)


def _factor_tests(table, metric, dataset, factor, against=None):
    """Claims comparing the levels of `factor` pairwise (or each with `against`), each level's
    autoencoders averaged within a seed, then paired by seed."""
    values = metric_values(table, metric)
    families = [name for name, entry in FAMILIES.items() if factor in [axis.name for axis in entry.axes]]
    if families:
        # A family's axis (noise: mlp and conv): the other families' rows are at none of its levels.
        values = values[values["family"].isin(families) | (values["method"] != "autoencoder")]
        table = table[table["family"].isin(families) | (table["method"] != "autoencoder")]
    levels = list(dict.fromkeys(values.loc[(values["dataset"] == dataset)
                                           & (values["method"] == "autoencoder"), factor].dropna()))
    if against is not None:
        pairs = [(level, against) for level in levels if level != against and against in levels]
    else:
        pairs = [(a, b) for i, a in enumerate(levels) for b in levels[i + 1:]]
    for a, b in pairs:
        comparison = paired_by_seed(seed_values(table, metric, dataset, **{factor: a}),
                                    seed_values(table, metric, dataset, **{factor: b}))
        yield Tested(factor, dataset, {}, f"{factor} {format_value(a)}", f"{factor} {format_value(b)}", metric,
                     f"{metric.label} (averaged over the other factors)", comparison, True)


def _comparison_table(tested, section, difference, columns):
    """The rows of one section: each test's row, the difference (column `difference`) with
    its interval, its p-value and its Holm-adjusted p-value."""
    def p(value):
        return "" if np.isnan(value) else f"{value:.3f}"

    records = [{**t.row, difference: format_interval(t.comparison.difference, t.comparison.low,
                                                     t.comparison.high, t.metric.number_kind),
                "p": p(t.comparison.p_value), "p (Holm)": p(t.comparison.adjusted_p)}
               for t in tested if t.section == section]
    return pd.DataFrame.from_records(records, columns=[*columns, difference, "p", "p (Holm)"])


def versus_pca_table(tested):
    """Per dataset, metric with a ``versus_pca`` label and latent size: :func:`versus_pca`'s
    choice, its test mean over seeds, PCA's test value and their paired difference."""
    return _comparison_table(tested, "pca", "AE - PCA", [
        "dataset", "latent", "metric", "autoencoder (chosen on val)", "AE test", "PCA test"])


def versus_family_table(tested):
    """Per dataset, metric with a ``versus_pca`` label and latent size: the configuration of
    each model family chosen on validation, their test means over seeds and the paired
    difference (empty when the study has one family)."""
    return _comparison_table(tested, "family", "other - reference", [
        "dataset", "latent", "metric", "reference (chosen on val)", "reference test",
        "other family (chosen on val)", "other test"])


def versus_objective_table(tested):
    """Per dataset, metric of :data:`OBJECTIVE_METRICS`, latent size and objective after the
    first: :func:`versus_objective`'s choice and its test mean, the first objective's, and their
    paired difference (empty unless the study compares objectives)."""
    return _comparison_table(tested, "objective", "objective - reference", [
        "dataset", "latent", "metric", "objective", "configuration (chosen on val)", "test",
        "reference (chosen on val)", "reference test"])


def versus_kmeans_table(tested):
    """Per dataset, clustering analysis the study ran (:func:`clusterings`) and latent size:
    :func:`versus_kmeans`' choice, its test accuracy, k-means' on the same codes and their
    paired difference (empty without k-means or any of them)."""
    return _comparison_table(tested, "clustering", "method - k-means", [
        "dataset", "latent", "method", "autoencoder (chosen on val)", "method test", "k-means test, same codes"])


def claims(tested):
    """The study's claims as sentences (:func:`study.statistics.claim`), per dataset in
    :data:`CLAIM_ORDER`: the autoencoder chosen on validation against PCA at each latent
    size and each model family's against the first family's, on k-means accuracy; every pair
    of activations on k-means accuracy; each clustering method against k-means of the same
    codes; every training noise against none on denoising PSNR."""
    datasets = list(dict.fromkeys(t.dataset for t in tested))
    claimed = sorted((t for t in tested if t.claimed),
                     key=lambda t: (datasets.index(t.dataset), CLAIM_ORDER.index(t.section)))
    return [f"{t.dataset}: " + claim(t.a, t.b, t.metric_label, t.comparison, t.metric.higher_is_better,
                                     2 if t.metric.number_kind == "psnr" else 3)
            for t in claimed]


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
    "difference over seeds [interval], `p` its paired t-test (`p (Holm)`: adjusted). Only when the study has more than "
    "one family.")


OBJECTIVES_SECTION = (
    "Objectives at each latent size",
    "For each latent size, metric and objective (a family and its setting: `mlp noise0` the plain "
    "autoencoder, `mlp noise0.5` a denoising one, `vae beta1` the VAE, `vae beta4` a beta-VAE, "
    "`sparse sparsity1`, `contractive contraction1`), the objective's configuration chosen on "
    "validation, its test mean over seeds [interval], against the first objective's (the "
    "reference); `objective - reference`: the mean difference over seeds [interval], `p` its "
    "paired t-test (`p (Holm)`: adjusted). Only when the study has a family of its own objective "
    "(vae, sparse, contractive); it then replaces the comparison of families.")


CLUSTERINGS_SECTION = (
    "Clustering methods against k-means on the same codes",
    "For each clustering analysis beyond k-means (DEC, IDEC, UMAP + GMM) and latent size, the "
    "autoencoder configuration chosen on that method's validation accuracy, its test accuracy "
    "beside k-means' on the same codes (same configuration, same seeds); `method - k-means`: the "
    "mean difference over seeds [interval], `p` its paired t-test (`p (Holm)`: adjusted). Only when the study runs one "
    "of them.")


def sections(tables, datasets, tested, classifiers=None, failed=None):
    """The summary's ``(heading, text, DataFrame)`` sections, with the comparisons `tested` by
    :func:`paired_tests`; the failed variants first, if any."""
    failures, families = failures_table(failed), versus_family_table(tested)
    objectives = versus_objective_table(tested)
    clusterings = versus_kmeans_table(tested)
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
         "difference over seeds [interval], `p` its paired t-test, `p (Holm)` that p adjusted "
         "over every test of the dataset (see below).",
         versus_pca_table(tested)),
        *([FAMILIES_SECTION + (families,)] if len(families) else []),
        *([OBJECTIVES_SECTION + (objectives,)] if len(objectives) else []),
        *([CLUSTERINGS_SECTION + (clusterings,)] if len(clusterings) else []),
        ("Effect of training noise on denoising",
         "PSNR in dB (higher is better) of the test images corrupted by each test noise, against "
         "the clean images: the noisy input itself, for each training noise level the autoencoder "
         "configuration chosen on validation PSNR (mean over seeds [interval]), and the PCA "
         "denoiser of the size chosen on validation.",
         noise_effect_table(tables, datasets)),
    ]


CLAIMS_HEADING = "What the seeds support"
CLAIMS_TEXT = ("Paired comparisons across training seeds on the test split. The summary makes many tests "
               "of one dataset (every `p` above and every claim here), and some would reject at 5% by "
               "chance alone, so each p-value is adjusted by Holm's method over that dataset's tests: a "
               "claim holds when its 95% interval excludes zero and its adjusted p is under 0.05, which "
               "keeps the chance of any false claim about a dataset at most 5% however the tests depend "
               "on each other. Otherwise it says there is no clear difference (and how many seeds would "
               "settle it, if the seeds' mean and spread held), and with one seed that it cannot be tested.")


def provenance_text():
    """One line: the versions, commit and CPU the summary was made with (study.provenance)."""
    from study.provenance import provenance

    made = provenance()
    versions = ", ".join(f"{name} {version}" for name, version in made["versions"].items())
    return f"Made with {versions}; commit {made['commit']}; CPU: {made['cpu']}."


LIMITS_HEADING = "What this run cannot support"


def summary_markdown(tables, datasets, classifiers=None, failed=None, limits=()):
    """``summary.md``: the study's answers in three short tables, and where they were made;
    first, `limits`: the sentences of :func:`study.limits.limits`, if any."""
    parts = [f"# {TITLE}\n", INTRO + "\n"]
    if limits:
        parts += [f"## {LIMITS_HEADING}\n", "".join(f"- {sentence}\n" for sentence in limits)]
    tested = paired_tests(tables, datasets)
    for heading, text, table in sections(tables, datasets, tested, classifiers, failed):
        parts += [f"## {heading}\n", text + "\n", markdown_table(table) if len(table) else "(none)\n"]
    parts += [f"## {CLAIMS_HEADING}\n", CLAIMS_TEXT + "\n",
              "".join(f"- {sentence}\n" for sentence in claims(tested)) or "(none)\n"]
    parts.append(provenance_text() + "\n")
    return "\n".join(parts)


def summary_html(tables, datasets, classifiers=None, failed=None, limits=()):
    """``summary.html``: the same as :func:`summary_markdown`, as a web page (for the report)."""
    body = [f"<p>{_html_text(INTRO)}</p>"]
    if limits:
        items = "".join(f"<li>{_html_text(sentence)}</li>" for sentence in limits)
        body += [f"<h2>{LIMITS_HEADING}</h2>", f"<ul>{items}</ul>"]
    tested = paired_tests(tables, datasets)
    for heading, text, table in sections(tables, datasets, tested, classifiers, failed):
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{_html_text(text)}</p>", html_table(table)]
    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in claims(tested))
    body += [f"<h2>{CLAIMS_HEADING}</h2>", f"<p>{_html_text(CLAIMS_TEXT)}</p>", f"<ul>{items}</ul>"]
    body.append(f"<p>{html.escape(provenance_text())}</p>")
    return html_page(TITLE, "\n".join(body))


def _html_text(text):
    """Escaped text with `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
