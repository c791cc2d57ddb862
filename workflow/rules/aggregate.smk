# Aggregation: the analyses' JSON files gathered into results/tables/ (CSV, Markdown, HTML),
# those into one tidy table, results/tables/metrics.csv, from which summary.md answers the
# study's questions and results/figures/*.png are drawn, all captioned for
# `snakemake --report report.html`. Tables, figures and captions come from the analyses
# registry; nothing here recomputes an analysis.
#
# Re-run only the aggregation (what reads the tables follows):
#   snakemake --cores 2 aggregate --forcerun table classifiers_table


from study.report import SUMMARY, TRAINING, report_categories, report_category


report: "../report/workflow.rst"


# The front page's example command (workflow.rst sees nothing but the config): a file of this
# study, rebuilt by name with this study's own --configfile and --config, so that it runs as shown.
config["report_example"] = rebuild_command(
    (documents(next(iter(ANALYSES)), DATASETS[0]) or [f"{RESULTS}/tables/{next(iter(ANALYSES))}.csv"])[0],
    workflow.config_settings.configfiles,
    workflow.config_settings.config_args,
    os.getcwd(),
)
# Its list of the report's categories: the menu's names (numbers zero-padded, so that the menu,
# sorting them as text, shows them in order) and the analyses each holds.
config["report_categories"] = report_categories(ANALYSES)


TABLES = expand(f"{RESULTS}/tables/{{table}}.{{ext}}", table=TABLE_NAMES, ext=["csv", "md", "html"]) + expand(
    f"{RESULTS}/tables/{{table}}_{{file}}", table=list(ANALYSES), file=["configurations.csv", "configurations.md", "pivots.md"]
)
FIGURE_FILES = (
    expand(
        f"{RESULTS}/figures/{{dataset}}_{{figure}}.png",
        dataset=DATASETS,
        figure=["learning_curves", "classifier_curves", *FIGURES],
    )
    + expand(f"{RESULTS}/figures/{{dataset}}_{{metric}}_vs_latent.png", dataset=DATASETS, metric=LINE_METRICS)
    + expand(f"{RESULTS}/figures/{{dataset}}_{{metric}}_heatmap.png", dataset=DATASETS, metric=HEATMAP_METRICS)
)
METRICS_TABLE = f"{RESULTS}/tables/metrics.csv"
VERDICTS = f"{RESULTS}/tables/verdicts.csv"
# Each CSV's seal (study.seals), which the jobs reading it check: asked for by name, so that a
# results tree written before tables were sealed, or a seal deleted, has its table made again.
SEALS = [f"{path}.seal" for path in TABLES + [METRICS_TABLE, VERDICTS] if path.endswith(".csv")]
AGGREGATES = TABLES + [METRICS_TABLE, VERDICTS, f"{RESULTS}/tables/verdicts.md", f"{RESULTS}/tables/summary.md", f"{RESULTS}/tables/summary.html"] + SEALS + FIGURE_FILES


# A file deleted since the aggregates were built from it (the way to have one result computed
# again): Snakemake runs the job that makes a missing file only if a job reading it must run,
# and a table newer than its inputs need not, so the run would end "Nothing to be done" with the
# results incomplete. The default target names such files itself; only once an aggregate exists
# (before, every table is to be built and reaches every missing file: naming them all would slow
# a large grid's plan), and in Snakemake's main process (not in a cluster job's).
REBUILT = (
    [path for path in intermediates() if not os.path.exists(path)]
    if workflow.is_main_process and any(os.path.exists(path) for path in AGGREGATES)
    else []
)
if REBUILT:
    shown = ", ".join(REBUILT[:5]) + (f" and {len(REBUILT) - 5} more" if len(REBUILT) > 5 else "")
    logger.warning(f"{len(REBUILT)} files the tables and figures were built from are missing; "
                   f"the default target rebuilds them, and what reads them: {shown}")


localrules:
    aggregate,


# Everything below, and what it needs (training and analyses included, if missing).
rule aggregate:
    input:
        AGGREGATES + REBUILT,


# -- tables ---------------------------------------------------------------------------
rule table:
    input:
        lambda wildcards: [path for dataset in DATASETS for path in documents(wildcards.table, dataset)],
    output:
        csv=f"{RESULTS}/tables/{{table}}.csv",
        # Each CSV's digest, which the jobs reading it check (study.seals).
        csv_seal=f"{RESULTS}/tables/{{table}}.csv.seal",
        md=f"{RESULTS}/tables/{{table}}.md",
        html=report(
            f"{RESULTS}/tables/{{table}}.html",
            caption="../report/caption.rst",
            category=lambda wildcards: report_category(ANALYSES[wildcards.table].category),
            subcategory="tables",
            labels={"table": "{table}"},
        ),
        # Over training seeds (study.aggregates): one row per configuration, and pivots.
        configurations_csv=f"{RESULTS}/tables/{{table}}_configurations.csv",
        configurations_seal=f"{RESULTS}/tables/{{table}}_configurations.csv.seal",
        configurations_md=f"{RESULTS}/tables/{{table}}_configurations.md",
        pivots=f"{RESULTS}/tables/{{table}}_pivots.md",
    log:
        f"{RESULTS}/logs/tables/{{table}}.log",
    wildcard_constraints:
        table="|".join(ANALYSES),
    params:
        confidence=config["analysis"]["bootstrap"]["confidence"],
        caption=lambda wildcards: (
            f"The **{wildcards.table}** analysis of every representation of each dataset, one row "
            "per representation, split (``val``, ``test``) and row of the analysis: ``dataset, "
            "representation, method, family, latent_dim, activation, noise, seed`` say which "
            "(``method``: ``autoencoder``, ``pca`` with ``latent_dim`` components fitted on the train "
            "split, ``pixels``, or a baseline of the analysis' own; ``noise`` is an autoencoder's "
            "*training* noise). ``tables/{table}_configurations.csv`` has one row per configuration "
            "(the seeds' mean, std and t interval); ``{table}_pivots.md`` the means by latent size "
            "and noise, and each factor's effect. "
            + ANALYSES[wildcards.table].caption
        ),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/table.py"


rule classifiers_table:
    input:
        [
            f"{RESULTS}/{dataset}/clf/{variant}/metrics.json"
            for dataset in DATASETS
            for variant in trained(CLASSIFIER_VARIANTS, dataset)
        ],
    output:
        csv=f"{RESULTS}/tables/classifiers.csv",
        csv_seal=f"{RESULTS}/tables/classifiers.csv.seal",
        md=f"{RESULTS}/tables/classifiers.md",
        html=report(
            f"{RESULTS}/tables/classifiers.html",
            caption="../report/classifiers.rst",
            category=report_category(ANALYSES["classification"].category if "classification" in ANALYSES else TRAINING),
            subcategory="tables",
            labels={"table": "classifiers"},
        ),
    log:
        f"{RESULTS}/logs/tables/classifiers.log",
    params:
        # [dataset, variant] of each input, in order (lists: JSON keeps them, study.launch).
        entries=[
            [dataset, variant] for dataset in DATASETS for variant in trained(CLASSIFIER_VARIANTS, dataset)
        ],
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/classifiers_table.py"


# Every measurement in one tidy table (study.tables.metrics_table), which the summary and the
# figures read (study.results.load), as a user's notebook does (docs/notebook.md).
rule metrics_table:
    input:
        expand(f"{RESULTS}/tables/{{table}}.csv", table=list(ANALYSES)),
    output:
        report(
            METRICS_TABLE,
            caption="../report/metrics.rst",
            category=report_category(SUMMARY),
            labels={"table": "metrics"},
        ),
        seal=f"{METRICS_TABLE}.seal",
    log:
        f"{RESULTS}/logs/tables/metrics.log",
    params:
        analyses=list(ANALYSES),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/metrics_table.py"


rule summary:
    input:
        metrics=METRICS_TABLE,
        # The primary questions' answers, which the summary opens with (confirm.smk).
        verdicts=VERDICTS,
        classifiers=f"{RESULTS}/tables/classifiers.csv",
        # To say which autoencoders were still improving when training stopped (study.limits).
        histories=[
            f"{RESULTS}/{dataset}/repr/{variant}/history.csv" for dataset in DATASETS for variant in trained(AE_VARIANTS, dataset)
        ],
    output:
        md=f"{RESULTS}/tables/summary.md",
        html=report(
            f"{RESULTS}/tables/summary.html",
            caption="../report/summary.rst",
            category=report_category(SUMMARY),
            labels={"table": "summary"},
        ),
    log:
        f"{RESULTS}/logs/tables/summary.log",
    params:
        datasets=DATASETS,
        failed=FAILED,
        epochs={dataset: dataset_settings(config["training"], dataset, ["epochs"])["epochs"] for dataset in DATASETS},
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/summary.py"


# -- figures --------------------------------------------------------------------------
# {dataset}_{figure}.png: the dataset's name must be one of the study's, or a name with an
# underscore would split two ways.
FIGURE_DATASET = "|".join(DATASETS)


rule learning_curves_figure:
    input:
        lambda wildcards: expand(
            f"{RESULTS}/{{dataset}}/repr/{{variant}}/history.csv",
            dataset=wildcards.dataset,
            variant=trained(AE_VARIANTS, wildcards.dataset),
        ),
    output:
        report(
            f"{RESULTS}/figures/{{dataset}}_learning_curves.png",
            caption="../report/learning_curves.rst",
            category=report_category(TRAINING),
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "autoencoder learning curves"},
        ),
    log:
        f"{RESULTS}/logs/figures/{{dataset}}_learning_curves.log",
    wildcard_constraints:
        dataset=FIGURE_DATASET,
    params:
        variants=lambda wildcards: trained(AE_VARIANTS, wildcards.dataset),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_learning_curves.py"


rule classifier_curves_figure:
    input:
        lambda wildcards: expand(
            f"{RESULTS}/{{dataset}}/clf/{{variant}}/history.csv",
            dataset=wildcards.dataset,
            variant=trained(CLASSIFIER_VARIANTS, wildcards.dataset),
        ),
    output:
        report(
            f"{RESULTS}/figures/{{dataset}}_classifier_curves.png",
            caption="../report/classifier_curves.rst",
            category=report_category(TRAINING),
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "raw-pixel classifier learning curves"},
        ),
    log:
        f"{RESULTS}/logs/figures/{{dataset}}_classifier_curves.log",
    wildcard_constraints:
        dataset=FIGURE_DATASET,
    params:
        variants=lambda wildcards: trained(CLASSIFIER_VARIANTS, wildcards.dataset),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_classifier_curves.py"


rule metric_figure:
    input:
        METRICS_TABLE,
    output:
        report(
            f"{RESULTS}/figures/{{dataset}}_{{metric}}_{{kind}}.png",
            caption="../report/metric_figure.rst",
            category=lambda wildcards: report_category(METRICS[wildcards.metric][0].category),
            subcategory="{dataset}",
            labels=metric_labels,
        ),
    log:
        f"{RESULTS}/logs/figures/{{dataset}}_{{metric}}_{{kind}}.log",
    wildcard_constraints:
        dataset=FIGURE_DATASET,
        metric="|".join(METRICS),
        kind="|".join(METRIC_FIGURE_KINDS),
    params:
        analysis=lambda wildcards: METRICS[wildcards.metric][0].name,
        label=lambda wildcards: METRICS[wildcards.metric][1].label,
        confidence=config["analysis"]["bootstrap"]["confidence"],
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure_metric.py"


rule analysis_figure:
    input:
        metrics=METRICS_TABLE,
        arrays=lambda wildcards: documents(FIGURES[wildcards.figure][0].name, wildcards.dataset, "npz"),
    output:
        report(
            f"{RESULTS}/figures/{{dataset}}_{{figure}}.png",
            caption="../report/caption.rst",
            category=lambda wildcards: report_category(FIGURES[wildcards.figure][0].category),
            subcategory="{dataset}",
            labels=lambda wildcards: {"dataset": wildcards.dataset, "figure": wildcards.figure},
        ),
    log:
        f"{RESULTS}/logs/figures/{{dataset}}_{{figure}}.log",
    wildcard_constraints:
        dataset=FIGURE_DATASET,
        figure="|".join(FIGURES) or "(?!)",
    params:
        analysis=lambda wildcards: FIGURES[wildcards.figure][0].name,
        names=lambda wildcards: representations(FIGURES[wildcards.figure][0].name, wildcards.dataset),
        caption=lambda wildcards: FIGURES[wildcards.figure][1].caption,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/figure.py"
