"""The summary's sections: each a heading, the text that says how to read it, and its table."""
import numpy as np
import pandas as pd

from study.aggregates import configuration_of
from study.analyses import ANALYSES
from study.statistics import format_interval, format_number, t_interval
from study.summary.choice import (analysis_metrics, best_classifier, chosen_on_validation, interval_text, model_free,
                                  single_value)
from study.tables import format_value


def best_variants_table(tables, datasets, classifiers=None):
    """Per dataset and metric: the autoencoder configuration chosen on validation and its test
    mean over seeds, beside PCA of its latent size and the model-free baseline; with
    `classifiers`, the raw-pixel DIY classifier chosen on validation accuracy and the epochs
    its seeds trained."""
    records = []
    for dataset in datasets:
        for analysis, _, metric in analysis_metrics(tables):
            chosen = chosen_on_validation(tables[analysis.name], metric, dataset)
            if chosen is None:
                continue
            validation, test = chosen
            reference = model_free(analysis)
            pca = single_value(tables[analysis.name], metric, dataset, "pca", int(validation["latent_dim"]))
            free = single_value(tables[analysis.name], metric, dataset, reference)
            records.append({
                "dataset": dataset, "metric": metric.label,
                "best": "higher" if metric.higher_is_better else "lower",
                "chosen on validation": validation.name, "test": interval_text(test, metric),
                "seeds": int(test["n_seeds"]) if test is not None else 0,
                "PCA, same size": format_number(pca, metric.number_kind),
                "without a model": "" if np.isnan(free) else f"{format_number(free, metric.number_kind)} ({reference})",
            })
        if classifiers is not None and len(classifiers):
            chosen = best_classifier(classifiers, dataset)
            if chosen is not None:
                name, test, epochs = chosen
                records.append({"dataset": dataset, "metric": "raw-pixel DIY classifier accuracy",
                                "best": "higher", "chosen on validation": f"(classifier {name}, {_epochs(epochs)})",
                                "test": format_interval(test.mean, test.low, test.high, "accuracy", (0, 1)),
                                "seeds": test.n, "PCA, same size": "", "without a model": ""})
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "metric", "best", "chosen on validation", "test", "seeds", "PCA, same size",
        "without a model"])


def _epochs(epochs):
    """``"108 epochs"``, or ``"95-120 epochs"`` for seeds that stopped at different epochs."""
    if not epochs:
        return "epochs unknown"
    span = str(epochs[0]) if epochs[0] == epochs[-1] else f"{epochs[0]}-{epochs[-1]}"
    return f"{span} epoch{'' if span == '1' else 's'}"


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
                    interval.mean, interval.low, interval.high, "psnr", metric.value_range)
            if pca is not None:
                record["PCA"] = format_number(
                    group.loc[group["representation"] == pca[0].name, "psnr"].mean(), "psnr")
            records.append(record)
    return pd.DataFrame.from_records(records)


def _comparison_table(tested, section, difference, columns):
    """The rows of one section: each test's row, the difference (column `difference`) with
    its interval, and its raw p-value (exploratory: unadjusted, on the choosing seeds)."""
    records = [{**t.row, difference: format_interval(t.comparison.difference, t.comparison.low,
                                                     t.comparison.high, t.metric.number_kind),
                EXPLORATORY_P: "" if np.isnan(t.comparison.p_value) else f"{t.comparison.p_value:.3f}"}
               for t in tested if t.section == section]
    return pd.DataFrame.from_records(records, columns=[*columns, difference, EXPLORATORY_P])


#: The column of an exploratory comparison's p-value.
EXPLORATORY_P = "p (raw, exploratory)"


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
    """Per dataset, metric of :func:`objective_metrics`, latent size and objective after the
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
    "difference over seeds [interval], `p` its paired t-test's raw p (exploratory). Only when the study has more than "
    "one family.")


OBJECTIVES_SECTION = (
    "Objectives at each latent size",
    "For each metric the summary compares with PCA (clustering, classification, the probes, "
    "retrieval, reconstruction) and denoising PSNR, each latent size and each objective (a family "
    "and its setting: `mlp noise0` the plain autoencoder, `mlp noise0.5` a denoising one, `vae "
    "beta1` the VAE, `vae beta4` a beta-VAE, `sparse sparsity1`, `contractive contraction1`), the "
    "objective's configuration chosen on validation, its test mean over seeds [interval], against "
    "the first objective's (the reference); `objective - reference`: the mean difference over "
    "seeds [interval], `p` its paired t-test's raw p (exploratory). Only when the study has a family of its own objective (vae, sparse, "
    "contractive); it then replaces the comparison of families, and a training noise, being an "
    "objective, is compared here.")


CLUSTERINGS_SECTION = (
    "Clustering methods against k-means on the same codes",
    "For each clustering analysis beyond k-means (DEC, IDEC, UMAP + GMM) and latent size, the "
    "autoencoder configuration chosen on that method's validation accuracy, its test accuracy "
    "beside k-means' on the same codes (same configuration, same seeds); `method - k-means`: the "
    "mean difference over seeds [interval], `p` its paired t-test's raw p (exploratory). Only when the study runs one "
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
         "validation accuracy and the epochs it trained (it stops once its validation accuracy has not "
         "improved for `classifiers.patience` epochs, or at `classifiers.epochs`, and keeps its best "
         "epoch): the supervised reference.",
         best_variants_table(tables, datasets, classifiers)),
        ("Autoencoder vs PCA at each latent size",
         "For each latent size, the autoencoder configuration chosen on validation (over family, "
         "activation and training noise) beside PCA of the same size; `AE - PCA`: the mean "
         "difference over seeds [interval] and its paired t-test's raw p: exploration, on the seeds "
         "that chose the configuration (the primary questions above answer it on fresh seeds).",
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
