# Datasets: data/{dataset}.npz in the layout of study.data.dataset, built by the dataset's
# builder (study.datasets) from the raw files it downloads first, if any.

from study.datasets import build_settings

DATASET_FILES = expand("data/{dataset}.npz", dataset=DATASETS)
localrules:
    download,


# Network-bound, so it runs on the submitting host, never as a cluster job.
rule download:
    output:
        "data/{dataset}/raw/{file}",
    log:
        "logs/data/{dataset}/{file}.log",
    wildcard_constraints:
        dataset="|".join(REGISTERED_DATASETS),
        file="|".join(RAW_FILES) or "(?!)",
    params:
        settings=download_settings,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/download.py"


rule prepare_dataset:
    input:
        raw_files,
    output:
        "data/{dataset}.npz",
    log:
        "logs/data/{dataset}.log",
    params:
        settings=lambda wildcards: build_settings(config["data"][wildcards.dataset]),
        splits=config["splits"],
    resources:
        mem_mb=2000,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/prepare_dataset.py"
