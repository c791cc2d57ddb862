"""Every exploratory paired test the summary prints (the primary questions are study.confirmation's)."""
from typing import NamedTuple

from study.analyses import ANALYSES, Metric
from study.statistics import Comparison, format_number
from study.summary.choice import analysis_metrics, interval_text
from study.summary.comparisons import (clusterings, compares_objectives, objective_metrics, versus_family,
                                       versus_kmeans, versus_objective, versus_pca)


class Tested(NamedTuple):
    """One exploratory paired comparison the summary prints: in which `section` (``pca``,
    ``family``, ``objective``, ``clustering``) and table `row` (its columns before the
    difference), `a` against `b` on `metric`, and the :class:`study.statistics.Comparison`."""

    section: str
    dataset: str
    row: dict
    a: str
    b: str
    metric: Metric
    metric_label: str
    comparison: Comparison


def paired_tests(tables, datasets):
    """Every exploratory paired comparison the summary prints, in print order, with its raw p:
    on the seeds that also chose the configurations, and unadjusted for the many made, it is a
    lead, never a claim (the claims are the primary questions' verdicts, study.confirmation)."""
    return [tested for dataset in datasets for tested in _dataset_tests(tables, dataset)]


def _dataset_tests(tables, dataset):
    """The :class:`Tested` comparisons of one dataset."""
    for analysis, name, metric in analysis_metrics(tables):
        if not metric.versus_pca:
            continue
        table = tables[analysis.name]
        for latent_dim, validation, test, pca, c in versus_pca(table, metric, dataset):
            row = {"dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                   "autoencoder (chosen on val)": validation.name, "AE test": interval_text(test, metric),
                   "PCA test": format_number(pca, metric.number_kind)}
            yield Tested("pca", dataset, row, validation.name, f"PCA {latent_dim}", metric, metric.label, c)
        for latent_dim, reference, other, c in ([] if compares_objectives(table) else
                                                versus_family(table, metric, dataset)):
            row = {"dataset": dataset, "latent": latent_dim, "metric": metric.versus_pca,
                   "reference (chosen on val)": reference[0].name, "reference test": interval_text(reference[1], metric),
                   "other family (chosen on val)": other[0].name, "other test": interval_text(other[1], metric)}
            yield Tested("family", dataset, row, other[0].name, reference[0].name, metric, metric.label, c)
    for analysis, name, metric in objective_metrics(tables):
        if compares_objectives(tables[analysis.name]):
            reference = {}
            for latent_dim, objective, validation, test, c in versus_objective(tables[analysis.name], metric, dataset):
                if c is None:
                    reference = {"reference (chosen on val)": validation.name, "reference test": interval_text(test, metric)}
                    continue
                row = {"dataset": dataset, "latent": latent_dim, "metric": metric.label, "objective": objective,
                       "configuration (chosen on val)": validation.name, "test": interval_text(test, metric), **reference}
                yield Tested("objective", dataset, row, validation.name, reference["reference (chosen on val)"],
                             metric, metric.label, c)
    for analysis, name in (clusterings(tables).items() if "kmeans" in tables else ()):
        metric = ANALYSES[analysis].metrics[name]
        label = metric.label.removesuffix(" accuracy")
        for latent_dim, validation, test, kmeans_test, c in versus_kmeans(tables, analysis, dataset):
            row = {"dataset": dataset, "latent": latent_dim, "method": metric.label,
                   "autoencoder (chosen on val)": validation.name, "method test": interval_text(test, metric),
                   "k-means test, same codes": interval_text(kmeans_test, metric)}
            yield Tested("clustering", dataset, row, f"{label} of {validation.name}", "k-means of the same codes",
                         metric, "accuracy", c)
