# Datasets: data/{dataset}.npz in the layout of study.data.dataset, built by the dataset's
# builder (study.datasets) from the raw files it downloads first, if any.

from study.datasets import DATASETS as REGISTERED_DATASETS, build_settings

ALL_TARGETS.extend(expand("data/{dataset}.npz", dataset=DATASETS))
RAW_FILES = sorted({file for entry in REGISTERED_DATASETS.values() for file in entry.files})


def raw_files(wildcards):
    return expand(
        "data/{dataset}/raw/{file}",
        dataset=wildcards.dataset,
        file=REGISTERED_DATASETS[wildcards.dataset].files,
    )


def download_settings(wildcards):
    dataset, section = REGISTERED_DATASETS[wildcards.dataset], config["data"][wildcards.dataset]
    return {
        "expected": {wildcards.file: list(dataset.files[wildcards.file])},
        "mirrors": section["mirrors"],
        "mirror_env": dataset.mirror_env,
        "timeout": section["timeout"],
        "retries": section["retries"],
    }


localrules:
    download,


# Network-bound, so it runs on the submitting host, never as a cluster job.
rule download:
    output:
        "data/{dataset}/raw/{file}",
    log:
        "logs/data/{dataset}/{file}.log",
    wildcard_constraints:
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
