# Representations, results/{dataset}/repr/{representation}/ (study.representations): raw
# pixels, PCA of each latent size, and one trained autoencoder per variant of the grid; and
# the raw-pixel classifiers, results/{dataset}/clf/{variant}/, the supervised reference.

from study.settings import CLASSIFIER_TRAINING_KEYS, dataset_settings
from study.variants import AE_VARIANT_REGEX, CLASSIFIER_VARIANT_REGEX

# The default target reaches every model through the tables and figures that read it (the
# fewer files it names, the faster a large grid plans); it names only the variants that failed
# in an earlier run, which those leave out, so that it retrains them.
RETRAINED_MODELS = [
    f"{RESULTS}/{dataset}/{kind}/{variant}/model.npz"
    for kind, variants in [("repr", AE_VARIANTS), ("clf", CLASSIFIER_VARIANTS)]
    for dataset in DATASETS
    for variant in variants
    if variant in FAILED[dataset]
]


# One thread per training job: the layers' GEMMs are small (batch x a few hundred), so a
# second BLAS thread gains little, while two single-threaded jobs run twice as fast as one;
# and OpenBLAS rounds differently with another thread count, so a fixed count is what makes a
# re-run bit-identical whatever --cores is (--set-threads changes the last bits).
rule train_autoencoder:
    input:
        autoencoder_data,
    output:
        model=f"{RESULTS}/{{dataset}}/repr/{{variant}}/model.npz",
        history=f"{RESULTS}/{{dataset}}/repr/{{variant}}/history.csv",
        codes=f"{RESULTS}/{{dataset}}/repr/{{variant}}/codes.npz",
        # The job's own benchmark (study.launch.run_in_server), as the analyses' (analysis.smk).
        benchmark=f"{RESULTS}/benchmarks/{{dataset}}/repr/{{variant}}.tsv",
    log:
        f"{RESULTS}/logs/{{dataset}}/repr/{{variant}}.log",
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        # Everything besides the variant's own name that changes the result (common.smk).
        family=family_settings,
        noise_type=variant_noise_type,
        training=autoencoder_training,
        # Not an output: where a failed training says why (study.failures).
        failed=f"{RESULTS}/{{dataset}}/failed/{{variant}}.json",
    resources:
        mem_mb=dataset_memory,
        runtime=training_runtime("training"),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/train_autoencoder.py"


rule pixels:
    input:
        pixels_data,
    output:
        codes=f"{RESULTS}/{{dataset}}/repr/pixels/codes.npz",
    log:
        f"{RESULTS}/logs/{{dataset}}/repr/pixels.log",
    resources:
        mem_mb=dataset_memory,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/representation.py"


# Fitted once per dataset and size, read by every analysis of PCA.
rule pca:
    input:
        pca_data,
    output:
        model=f"{RESULTS}/{{dataset}}/repr/pca{{latent_dim}}/model.npz",
        codes=f"{RESULTS}/{{dataset}}/repr/pca{{latent_dim}}/codes.npz",
        benchmark=f"{RESULTS}/benchmarks/{{dataset}}/repr/pca{{latent_dim}}.tsv",
    log:
        f"{RESULTS}/logs/{{dataset}}/repr/pca{{latent_dim}}.log",
    wildcard_constraints:
        latent_dim="[1-9][0-9]*",
    params:
        seed=config["analysis"]["seed"],
    resources:
        mem_mb=dataset_memory,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/representation.py"


rule train_classifier:
    input:
        classifier_data,
    output:
        model=f"{RESULTS}/{{dataset}}/clf/{{variant}}/model.npz",
        history=f"{RESULTS}/{{dataset}}/clf/{{variant}}/history.csv",
        metrics=f"{RESULTS}/{{dataset}}/clf/{{variant}}/metrics.json",
        benchmark=f"{RESULTS}/benchmarks/{{dataset}}/clf/{{variant}}.tsv",
    log:
        f"{RESULTS}/logs/{{dataset}}/clf/{{variant}}.log",
    wildcard_constraints:
        variant=CLASSIFIER_VARIANT_REGEX,
    params:
        training=lambda wildcards: dataset_settings(
            config["classifiers"], wildcards.dataset, CLASSIFIER_TRAINING_KEYS
        ),
        failed=f"{RESULTS}/{{dataset}}/failed/{{variant}}.json",
    resources:
        mem_mb=dataset_memory,
        runtime=training_runtime("classifiers"),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/train_classifier.py"
