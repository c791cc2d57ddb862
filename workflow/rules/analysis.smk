# Analyses: one target per analysis and autoencoder variant, results/{dataset}/{analysis}/{variant}.json
# (study.results layout), computed from the variant's codes (or model, where the images
# are needed) by study.analyses. Baselines that depend on no variant (raw pixels, the
# noisy input, PCA of each latent size) are computed once per dataset, in their own rules:
# results/{dataset}/baselines/{analysis}_{baseline}.json.
# Every rule runs scripts/analysis.py, which takes the analysis' name from the rule's
# (less _baseline): the rule names are the analyses' names of study.analyses.ANALYSES.


include: "analysis_common.smk"


# -- per variant ------------------------------------------------------------------------
rule reconstruction:
    input:
        data="data/{dataset}.npz",
        model=f"{AE_DIR}/model.npz",
    output:
        json="results/{dataset}/reconstruction/{variant}.json",
        examples="results/{dataset}/reconstruction/{variant}.npz",
    log:
        "logs/{dataset}/reconstruction/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/reconstruction/{variant}.tsv"
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        settings=RECONSTRUCTION,
    threads: 1
    resources:
        mem_mb=by_dataset(2000, 500),
        runtime=by_dataset(10, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule kmeans:
    input:
        data="data/{dataset}.npz",
        codes=f"{AE_DIR}/codes.npz",
    output:
        json="results/{dataset}/kmeans/{variant}.json",
    log:
        "logs/{dataset}/kmeans/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/kmeans/{variant}.tsv"
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        settings=KMEANS,
    threads: 1
    resources:
        mem_mb=by_dataset(2000, 500),
        runtime=by_dataset(10, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule tsne:
    input:
        data="data/{dataset}.npz",
        codes=f"{AE_DIR}/codes.npz",
    output:
        json="results/{dataset}/tsne/{variant}.json",
        map="results/{dataset}/tsne/{variant}.npz",
    log:
        "logs/{dataset}/tsne/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/tsne/{variant}.tsv"
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        settings=TSNE,
    threads: 1
    resources:
        mem_mb=by_dataset(2000, 500),
        runtime=by_dataset(20, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule denoising:
    input:
        data="data/{dataset}.npz",
        model=f"{AE_DIR}/model.npz",
    output:
        json="results/{dataset}/denoising/{variant}.json",
        examples="results/{dataset}/denoising/{variant}.npz",
    log:
        "logs/{dataset}/denoising/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/denoising/{variant}.tsv"
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        settings=DENOISING,
    threads: 1
    resources:
        mem_mb=by_dataset(2000, 500),
        runtime=by_dataset(10, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule classification:
    input:
        data="data/{dataset}.npz",
        codes=f"{AE_DIR}/codes.npz",
    output:
        json="results/{dataset}/classification/{variant}.json",
    log:
        "logs/{dataset}/classification/{variant}.log",
    benchmark:
        "benchmarks/{dataset}/classification/{variant}.tsv"
    wildcard_constraints:
        variant=AE_VARIANT_REGEX,
    params:
        settings=CLASSIFICATION,
    threads: 1
    resources:
        mem_mb=by_dataset(2000, 500),
        runtime=by_dataset(20, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


# -- baselines, once per dataset ------------------------------------------------------------
rule reconstruction_baseline:
    input:
        data="data/{dataset}.npz",
    output:
        json="results/{dataset}/baselines/reconstruction_{baseline}.json",
        examples="results/{dataset}/baselines/reconstruction_{baseline}.npz",
    log:
        "logs/{dataset}/baselines/reconstruction_{baseline}.log",
    benchmark:
        "benchmarks/{dataset}/baselines/reconstruction_{baseline}.tsv"
    wildcard_constraints:
        baseline=r"pca[1-9][0-9]*",
    params:
        settings={**RECONSTRUCTION, "seed": ANALYSIS["seed"]},
    threads: 1
    resources:
        mem_mb=by_dataset(3000, 500),
        runtime=by_dataset(10, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule kmeans_baseline:
    input:
        data="data/{dataset}.npz",
    output:
        json="results/{dataset}/baselines/kmeans_{baseline}.json",
    log:
        "logs/{dataset}/baselines/kmeans_{baseline}.log",
    benchmark:
        "benchmarks/{dataset}/baselines/kmeans_{baseline}.tsv"
    wildcard_constraints:
        baseline=r"pixels|pca[1-9][0-9]*",
    params:
        settings=KMEANS,
    threads: 1
    resources:
        mem_mb=by_dataset(3000, 500),
        runtime=by_dataset(20, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule tsne_baseline:
    input:
        data="data/{dataset}.npz",
    output:
        json="results/{dataset}/baselines/tsne_{baseline}.json",
        map="results/{dataset}/baselines/tsne_{baseline}.npz",
    log:
        "logs/{dataset}/baselines/tsne_{baseline}.log",
    benchmark:
        "benchmarks/{dataset}/baselines/tsne_{baseline}.tsv"
    wildcard_constraints:
        baseline=r"pixels|pca[1-9][0-9]*",
    params:
        settings=TSNE,
    threads: 1
    resources:
        mem_mb=by_dataset(3000, 500),
        runtime=by_dataset(30, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


rule denoising_baseline:
    input:
        data="data/{dataset}.npz",
    output:
        json="results/{dataset}/baselines/denoising_{baseline}.json",
        examples="results/{dataset}/baselines/denoising_{baseline}.npz",
    log:
        "logs/{dataset}/baselines/denoising_{baseline}.log",
    benchmark:
        "benchmarks/{dataset}/baselines/denoising_{baseline}.tsv"
    wildcard_constraints:
        baseline=r"noisy|pca[1-9][0-9]*",
    params:
        settings=DENOISING,
    threads: 1
    resources:
        mem_mb=by_dataset(3000, 500),
        runtime=by_dataset(10, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"


# Raw-pixel k-NN (~90 s on MNIST) and logistic regression (~140 s) are the study's most
# expensive baselines: BLAS-bound, so they get two threads.
rule classification_baseline:
    input:
        data="data/{dataset}.npz",
    output:
        json="results/{dataset}/baselines/classification_{baseline}.json",
    log:
        "logs/{dataset}/baselines/classification_{baseline}.log",
    benchmark:
        "benchmarks/{dataset}/baselines/classification_{baseline}.tsv"
    wildcard_constraints:
        baseline=r"pixels|pca[1-9][0-9]*",
    params:
        settings=CLASSIFICATION,
    threads: pixels_or_pca(2, 1)
    resources:
        mem_mb=by_dataset(4000, 500),
        runtime=by_dataset(60, 5),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"
