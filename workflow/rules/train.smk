# Training: one job per (dataset, variant) for the autoencoder grid and the raw-pixel
# classifiers, each writing its directory results/{dataset}/{ae,clf}/{variant}/ at once.

from study.settings import (
    AE_TRAINING_KEYS,
    CLASSIFIER_TRAINING_KEYS,
    dataset_settings,
    memory_mb,
    runtime_minutes,
)
from study.variants import AE_VARIANT_REGEX, CLASSIFIER_VARIANT_REGEX, AEVariant

AE_FILES = ["model.npz", "history.csv", "codes.npz"]
CLASSIFIER_FILES = ["model.npz", "history.csv", "metrics.json"]

ALL_TARGETS.extend(
    expand(
        "results/{dataset}/ae/{variant}/{file}",
        dataset=DATASETS,
        variant=AE_VARIANTS,
        file=AE_FILES,
    )
)
ALL_TARGETS.extend(
    expand(
        "results/{dataset}/clf/{variant}/{file}",
        dataset=DATASETS,
        variant=CLASSIFIER_VARIANTS,
        file=CLASSIFIER_FILES,
    )
)


# threads: 1 per job. The layers' GEMMs are small (batch x a few hundred), so a second
# BLAS thread gains little, while two single-threaded jobs run twice as fast as one; and
# OpenBLAS rounds differently with another thread count, so a fixed count is what makes a
# re-run bit-identical whatever --cores is (--set-threads changes the last bits).
rule train_autoencoder:
    input:
        "data/{dataset}.npz",
    output:
        model="results/{dataset}/ae/{variant}/model.npz",
        history="results/{dataset}/ae/{variant}/history.csv",
        codes="results/{dataset}/ae/{variant}/codes.npz",
    log:
        "logs/{dataset}/ae/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/ae/{variant}.tsv"
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        # Everything besides the variant's own name that changes the result, so that
        # changing a value reruns exactly the models it affects.
        hidden=lambda wildcards: config["architecture"][wildcards.dataset]["hidden"],
        latent_activation=config["architecture"]["latent_activation"],
        # Read only by denoising variants: changing it retrains only those.
        noise_type=lambda wildcards: (
            config["noise_type"] if AEVariant.parse(wildcards.variant).noise > 0 else None
        ),
        # Sorted keys: Snakemake compares params by repr.
        training=lambda wildcards: dataset_settings(
            config["training"], wildcards.dataset, AE_TRAINING_KEYS
        ),
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: memory_mb(input.size_mb),
        runtime=lambda wildcards, input: runtime_minutes(
            dataset_settings(config["training"], wildcards.dataset, ["epochs"])["epochs"],
            input.size_mb,
        ),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/train_autoencoder.py"


rule train_classifier:
    input:
        "data/{dataset}.npz",
    output:
        model="results/{dataset}/clf/{variant}/model.npz",
        history="results/{dataset}/clf/{variant}/history.csv",
        metrics="results/{dataset}/clf/{variant}/metrics.json",
    log:
        "logs/{dataset}/clf/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/clf/{variant}.tsv"
    wildcard_constraints:
        variant=CLASSIFIER_VARIANT_REGEX,
    params:
        training=lambda wildcards: dataset_settings(
            config["classifiers"], wildcards.dataset, CLASSIFIER_TRAINING_KEYS
        ),
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: memory_mb(input.size_mb),
        runtime=lambda wildcards, input: runtime_minutes(
            dataset_settings(config["classifiers"], wildcards.dataset, ["epochs"])["epochs"],
            input.size_mb,
        ),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/train_classifier.py"
