# Datasets: data/{dataset}.npz in the layout of study.data.dataset.

from study.data.download import MNIST_SHA256

ALL_TARGETS.extend(expand("data/{dataset}.npz", dataset=DATASETS))


localrules:
    download_mnist,


# Network-bound, so it runs on the submitting host, never as a cluster job.
rule download_mnist:
    output:
        expand("data/mnist/raw/{name}", name=MNIST_SHA256),
    log:
        "logs/data/download_mnist.log",
    params:
        mirrors=config["mnist"]["mirrors"],
        timeout=config["mnist"]["timeout"],
        retries=config["mnist"]["retries"],
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/download_mnist.py"


rule prepare_mnist:
    input:
        rules.download_mnist.output,
    output:
        "data/mnist.npz",
    log:
        "logs/data/prepare_mnist.log",
    params:
        validation_fraction=config["splits"]["validation_fraction"],
        seed=config["splits"]["seed"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/prepare_mnist.py"


rule prepare_digits:
    output:
        "data/digits.npz",
    log:
        "logs/data/prepare_digits.log",
    params:
        test_fraction=config["splits"]["digits_test_fraction"],
        validation_fraction=config["splits"]["validation_fraction"],
        seed=config["splits"]["seed"],
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/prepare_digits.py"
