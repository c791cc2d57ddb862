"""The comparisons the summary makes, each on configurations chosen on validation and paired
by seed: the autoencoder against PCA of its size, model families, objectives, and a
clustering method against k-means of the same codes."""
import numpy as np

from study.analyses import ANALYSES
from study.families import FAMILIES
from study.statistics import paired_comparison
from study.summary.choice import (analysis_metrics, chosen_on_validation, chosen_per_latent_size, configuration_rows,
                                  paired_by_seed, seed_values, single_value)


def versus_pca(table, metric, dataset):
    """For each latent size of the autoencoders of `dataset`: ``(latent_dim, validation row,
    test row, PCA's test value, Comparison)``, the autoencoder configuration of that size
    chosen on validation against PCA of the same size, paired by seed (PCA, of no training
    seed, is the same for every seed)."""
    for latent_dim, validation, test in chosen_per_latent_size(table, metric, dataset):
        pca = single_value(table, metric, dataset, "pca", latent_dim)
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


#: The metric training noise is judged on, (analysis, metric name): the summary's noise section
#: and the objectives' comparison (a denoising autoencoder is one of the objectives).
NOISE_METRIC = ("denoising", "denoising_psnr")


def objective_metrics(tables):
    """``(analysis, name, Metric)`` on which the objectives are compared, in the summary's order:
    every metric of `tables`' analyses that the summary compares with PCA (declared by its
    ``versus_pca``: clustering, classification, the probes, retrieval, reconstruction, ...) and
    :data:`NOISE_METRIC`."""
    return [(analysis, name, metric) for analysis, name, metric in analysis_metrics(tables)
            if metric.versus_pca or (analysis.name, name) == NOISE_METRIC]


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
