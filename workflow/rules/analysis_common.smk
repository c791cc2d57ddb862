# Constants and input functions of analysis.smk and aggregate.smk (kept apart from the rules,
# as `snakemake --lint` asks): the analyses, their baselines, their settings from config.yaml.

from study.figures import HEATMAP_METRICS, LINE_METRICS
from study.tables import METRICS
from study.variants import AE_VARIANT_REGEX

ANALYSES = ["reconstruction", "kmeans", "tsne", "denoising", "classification"]

# Baselines of each analysis besides PCA of every latent size of the grid.
VARIANT_FREE_BASELINES = {
    "reconstruction": [],
    "kmeans": ["pixels"],
    "tsne": ["pixels"],
    "denoising": ["noisy"],
    "classification": ["pixels"],
}

# PCA with as many components as each latent size of the grid: the linear autoencoder.
PCA_BASELINES = [f"pca{latent_dim}" for latent_dim in config["grid"]["latent_dim"]]

AE_DIR = "results/{dataset}/ae/{variant}"
ANALYSIS = config["analysis"]

# The tables of results/tables/: one per analysis, and the raw-pixel classifiers'.
TABLE_NAMES = [*ANALYSES, "classifiers"]

# Report category of each analysis' figures and tables.
CATEGORY = {
    "reconstruction": "2. Reconstruction",
    "kmeans": "3. k-means",
    "tsne": "4. t-SNE",
    "denoising": "5. Denoising",
    "classification": "6. Classification",
    "classifiers": "6. Classification",
}


def baselines(analysis):
    """Names of the analysis' baselines: variant-free ones, then pca<k> per latent size."""
    return VARIANT_FREE_BASELINES[analysis] + PCA_BASELINES


def analysis_documents(analysis, dataset):
    """One analysis' JSON files of a dataset: every variant in grid order, then the baselines."""
    return expand(
        "results/{dataset}/{analysis}/{variant}.json",
        dataset=dataset,
        analysis=analysis,
        variant=AE_VARIANTS,
    ) + expand(
        "results/{dataset}/baselines/{analysis}_{baseline}.json",
        dataset=dataset,
        analysis=analysis,
        baseline=baselines(analysis),
    )


def by_dataset(mnist, digits):
    """A resource (mem_mb, runtime) that depends on the dataset: MNIST's is larger."""
    return lambda wildcards: mnist if wildcards.dataset == "mnist" else digits


def pixels_or_pca(pixels, pca):
    """A value (threads, resource) for a baseline job: raw pixels' is larger than PCA's."""
    return lambda wildcards: pixels if wildcards.baseline == "pixels" else pca


RECONSTRUCTION = {"n_examples": ANALYSIS["examples"]}
KMEANS = {"n_init": ANALYSIS["kmeans"]["n_init"], "seed": ANALYSIS["seed"]}
TSNE = {
    **ANALYSIS["tsne"],
    "n_init": ANALYSIS["kmeans"]["n_init"],
    "seed": ANALYSIS["seed"],
}
DENOISING = {
    **ANALYSIS["denoising"],
    "seed": ANALYSIS["seed"],
    "n_examples": ANALYSIS["examples"],
}
CLASSIFICATION = {**ANALYSIS["classification"], "seed": ANALYSIS["seed"]}


# -- aggregation
def table_documents(wildcards):
    """Every dataset's JSON files of one analysis: variants in grid order, then baselines."""
    return [
        path
        for dataset in DATASETS
        for path in analysis_documents(wildcards.table, dataset)
    ]


def metric_table(wildcards):
    return f"results/tables/{METRICS[wildcards.metric].table}.csv"


def metric_category(wildcards):
    return CATEGORY[METRICS[wildcards.metric].table]


def metric_label(wildcards):
    return METRICS[wildcards.metric].label


def metric_labels(suffix):
    """The report labels of a metric's figure (a function of its wildcards)."""
    return lambda wildcards: {
        "dataset": wildcards.dataset,
        "figure": metric_label(wildcards) + suffix,
    }


def examples(analysis, baseline_names):
    """An input function: a dataset's arrays (.npz) of one analysis, of every variant (in the
    order of AE_VARIANTS) and of the baselines (in the order of `baseline_names`)."""

    def inputs(wildcards):
        return {
            "variants": expand(
                "results/{dataset}/{analysis}/{variant}.npz",
                dataset=wildcards.dataset,
                analysis=analysis,
                variant=AE_VARIANTS,
            ),
            "baselines": expand(
                "results/{dataset}/baselines/{analysis}_{baseline}.npz",
                dataset=wildcards.dataset,
                analysis=analysis,
                baseline=baseline_names,
            ),
        }

    return inputs
