"""Every paired test the summary prints, Holm-adjusted per dataset, and the claims worded from them."""
from typing import NamedTuple

from study.analyses import ANALYSES, Metric
from study.families import FAMILIES
from study.statistics import Comparison, claim, format_number, holm
from study.summary.choice import analysis_metrics, interval_text, paired_by_seed, seed_values
from study.summary.comparisons import (NOISE_METRIC, clusterings, compares_objectives, objective_metrics,
                                       versus_family, versus_kmeans, versus_objective, versus_pca)
from study.tables import format_value, metric_values


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
    for analysis, name, metric in analysis_metrics(tables):
        if not metric.versus_pca:
            continue
        table, on_kmeans = tables[analysis.name], name == "kmeans_accuracy"
        for latent_dim, validation, test, pca, c in versus_pca(table, metric, dataset):
            row = {"dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                   "autoencoder (chosen on val)": validation.name, "AE test": interval_text(test, metric),
                   "PCA test": format_number(pca, metric.number_kind)}
            yield Tested("pca", dataset, row, validation.name, f"PCA {latent_dim}", metric, metric.label, c, on_kmeans)
        for latent_dim, reference, other, c in ([] if compares_objectives(table) else
                                                versus_family(table, metric, dataset)):
            row = {"dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                   "reference (chosen on val)": reference[0].name, "reference test": interval_text(reference[1], metric),
                   "other family (chosen on val)": other[0].name, "other test": interval_text(other[1], metric)}
            yield Tested("family", dataset, row, other[0].name, reference[0].name, metric, metric.label, c, on_kmeans)
    headlines = set()
    for analysis, name, metric in objective_metrics(tables):
        if compares_objectives(tables[analysis.name]):
            # The claims take each analysis' first metric; the table has them all.
            claimed = analysis.name not in headlines
            headlines.add(analysis.name)
            reference = {}
            for latent_dim, objective, validation, test, c in versus_objective(tables[analysis.name], metric, dataset):
                if c is None:
                    reference = {"reference (chosen on val)": validation.name, "reference test": interval_text(test, metric)}
                    continue
                row = {"dataset": dataset, "latent": latent_dim, "metric": metric.label, "objective": objective,
                       "configuration (chosen on val)": validation.name, "test": interval_text(test, metric), **reference}
                yield Tested("objective", dataset, row, validation.name, reference["reference (chosen on val)"],
                             metric, metric.label, c, claimed)
    if "kmeans" in tables:
        yield from _factor_tests(tables["kmeans"], ANALYSES["kmeans"].metrics["kmeans_accuracy"], dataset,
                                 "activation")
        for analysis, name in clusterings(tables).items():
            metric = ANALYSES[analysis].metrics[name]
            label = metric.label.removesuffix(" accuracy")
            for latent_dim, validation, test, kmeans_test, c in versus_kmeans(tables, analysis, dataset):
                row = {"dataset": dataset, "latent": latent_dim, "method": metric.label,
                       "autoencoder (chosen on val)": validation.name, "method test": interval_text(test, metric),
                       "k-means test, same codes": interval_text(kmeans_test, metric)}
                yield Tested("clustering", dataset, row, f"{label} of {validation.name}", "k-means of the same codes",
                             metric, "accuracy", c, True)
    analysis, name = NOISE_METRIC
    # Where objectives are compared, a training noise is the denoising autoencoder's objective,
    # tested against no noise on this metric at each latent size above: once is enough.
    if analysis in tables and not compares_objectives(tables[analysis]):
        yield from _factor_tests(tables[analysis], ANALYSES[analysis].metrics[name], dataset, "noise", against=0.0)


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


def claims(tested):
    """The study's claims as sentences (:func:`study.statistics.claim`), per dataset in
    :data:`CLAIM_ORDER`: the autoencoder chosen on validation against PCA at each latent
    size and each model family's against the first family's, on k-means accuracy; each objective
    against the first at each latent size, on each analysis' first metric of
    :func:`objective_metrics`; every pair of activations on k-means accuracy; each clustering
    method against k-means of the same codes; every training noise against none on denoising
    PSNR (unless objectives are compared: a training noise is one of them)."""
    datasets = list(dict.fromkeys(t.dataset for t in tested))
    claimed = sorted((t for t in tested if t.claimed),
                     key=lambda t: (datasets.index(t.dataset), CLAIM_ORDER.index(t.section)))
    return [f"{t.dataset}: " + claim(t.a, t.b, t.metric_label, t.comparison, t.metric.higher_is_better,
                                     2 if t.metric.number_kind == "psnr" else 3)
            for t in claimed]
