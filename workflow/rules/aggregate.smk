# Aggregation: the analyses' JSON files gathered into results/tables/ (CSV and Markdown, and a
# summary.md answering the study's questions), drawn into results/figures/*.png, and
# captioned for `snakemake --report report.html`. It reads what the analyses and the
# training wrote and never recomputes an analysis (study.tables, study.figures).
#
# Re-run only the aggregation (what reads the tables follows):
#   snakemake --cores 2 aggregate --forcerun table classifiers_table learning_curves_figure classifier_curves_figure

report: "../report/workflow.rst"


TABLES = expand(
    "results/tables/{table}.{ext}", table=TABLE_NAMES, ext=["csv", "md", "html"]
)
FIGURES = (
    expand(
        "results/figures/{dataset}_{figure}.png",
        dataset=DATASETS,
        figure=[
            "learning_curves",
            "classifier_curves",
            "reconstructions",
            "tsne",
            "denoising",
        ],
    )
    + expand(
        "results/figures/{dataset}_{metric}_vs_latent.png",
        dataset=DATASETS,
        metric=LINE_METRICS,
    )
    + expand(
        "results/figures/{dataset}_{metric}_heatmap.png",
        dataset=DATASETS,
        metric=HEATMAP_METRICS,
    )
)
AGGREGATES = TABLES + ["results/tables/summary.md", "results/tables/summary.html"] + FIGURES
ALL_TARGETS.extend(AGGREGATES)


localrules:
    aggregate,


# Everything below, and what it needs (training and analyses included, if missing).
rule aggregate:
    input:
        AGGREGATES,


# -- tables ---------------------------------------------------------------------------
rule table:
    input:
        table_documents,
    output:
        csv="results/tables/{table}.csv",
        md="results/tables/{table}.md",
        html=report(
            "results/tables/{table}.html",
            caption="../report/table.rst",
            category=lambda wildcards: CATEGORY[wildcards.table],
            subcategory="tables",
            labels={"table": "{table}"},
        ),
    log:
        "logs/tables/{table}.log",
    wildcard_constraints:
        table="|".join(ANALYSES),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/table.py"


rule classifiers_table:
    input:
        expand(
            "results/{dataset}/clf/{variant}/metrics.json",
            dataset=DATASETS,
            variant=CLASSIFIER_VARIANTS,
        ),
    output:
        csv="results/tables/classifiers.csv",
        md="results/tables/classifiers.md",
        html=report(
            "results/tables/classifiers.html",
            caption="../report/classifiers.rst",
            category=CATEGORY["classifiers"],
            subcategory="tables",
            labels={"table": "classifiers"},
        ),
    log:
        "logs/tables/classifiers.log",
    params:
        # (dataset, variant) of each input, in order.
        entries=[
            (dataset, variant)
            for dataset in DATASETS
            for variant in CLASSIFIER_VARIANTS
        ],
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/classifiers_table.py"


rule summary:
    input:
        expand("results/tables/{table}.csv", table=TABLE_NAMES),
    output:
        md="results/tables/summary.md",
        html=report(
            "results/tables/summary.html",
            caption="../report/summary.rst",
            category="1. Summary",
            labels={"table": "summary"},
        ),
    log:
        "logs/tables/summary.log",
    params:
        datasets=DATASETS,
        tables=TABLE_NAMES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/summary.py"


# -- figures --------------------------------------------------------------------------
rule learning_curves_figure:
    input:
        expand("results/{{dataset}}/ae/{variant}/history.csv", variant=AE_VARIANTS),
    output:
        report(
            "results/figures/{dataset}_learning_curves.png",
            caption="../report/learning_curves.rst",
            category="0. Training",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "autoencoder learning curves"},
        ),
    log:
        "logs/figures/{dataset}_learning_curves.log",
    params:
        variants=AE_VARIANTS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_learning_curves.py"


rule classifier_curves_figure:
    input:
        expand(
            "results/{{dataset}}/clf/{variant}/history.csv", variant=CLASSIFIER_VARIANTS
        ),
    output:
        report(
            "results/figures/{dataset}_classifier_curves.png",
            caption="../report/classifier_curves.rst",
            category="0. Training",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "raw-pixel classifier learning curves"},
        ),
    log:
        "logs/figures/{dataset}_classifier_curves.log",
    params:
        variants=CLASSIFIER_VARIANTS,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_classifier_curves.py"


rule metric_figure:
    input:
        metric_table,
    output:
        report(
            "results/figures/{dataset}_{metric}_vs_latent.png",
            caption="../report/metric_vs_latent.rst",
            category=metric_category,
            subcategory="{dataset}",
            labels=metric_labels(""),
        ),
    log:
        "logs/figures/{dataset}_{metric}_vs_latent.log",
    wildcard_constraints:
        metric="|".join(LINE_METRICS),
    params:
        label=metric_label,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_metric.py"


rule heatmap_figure:
    input:
        metric_table,
    output:
        report(
            "results/figures/{dataset}_{metric}_heatmap.png",
            caption="../report/heatmap.rst",
            category=metric_category,
            subcategory="{dataset}",
            labels=metric_labels(" (heatmap)"),
        ),
    log:
        "logs/figures/{dataset}_{metric}_heatmap.log",
    wildcard_constraints:
        metric="|".join(HEATMAP_METRICS),
    params:
        label=metric_label,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_metric.py"


rule reconstructions_figure:
    input:
        unpack(examples("reconstruction", PCA_BASELINES)),
        table="results/tables/reconstruction.csv",
    output:
        report(
            "results/figures/{dataset}_reconstructions.png",
            caption="../report/reconstructions.rst",
            category=CATEGORY["reconstruction"],
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "reconstructed test images"},
        ),
    log:
        "logs/figures/{dataset}_reconstructions.log",
    params:
        variants=AE_VARIANTS,
        baselines=PCA_BASELINES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_examples.py"


rule tsne_figure:
    input:
        unpack(examples("tsne", ["pixels"] + PCA_BASELINES)),
        table="results/tables/tsne.csv",
    output:
        report(
            "results/figures/{dataset}_tsne.png",
            caption="../report/tsne.rst",
            category=CATEGORY["tsne"],
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "t-SNE maps"},
        ),
    log:
        "logs/figures/{dataset}_tsne.log",
    params:
        variants=AE_VARIANTS,
        baselines=["pixels"] + PCA_BASELINES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_examples.py"


rule denoising_figure:
    input:
        unpack(examples("denoising", PCA_BASELINES)),
        table="results/tables/denoising.csv",
    output:
        report(
            "results/figures/{dataset}_denoising.png",
            caption="../report/denoising.rst",
            category=CATEGORY["denoising"],
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "denoised test images"},
        ),
    log:
        "logs/figures/{dataset}_denoising.log",
    params:
        variants=AE_VARIANTS,
        baselines=PCA_BASELINES,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_examples.py"
