# Analyses: one target per analysis and representation of a dataset,
# results/{dataset}/{analysis}/{representation}.json (+ .npz: the arrays its figures need),
# computed by the analysis registered as {analysis} (study.analyses) from the representation's
# codes or model (study.representations), or for one of the analysis' own baselines (the
# noisy input of denoising) from the data alone.

OWN_BASELINES = sorted({name for a in ANALYSES.values() for name in a.own_baselines})


def representations(analysis):
    """The names an analysis is computed for: every autoencoder, then its baselines."""
    names = list(AE_VARIANTS)
    for baseline in ANALYSES[analysis].baselines:
        names += PCA if baseline == "pca" else [baseline]
    return names


def documents(analysis, dataset, ext="json"):
    return expand(
        f"{R}/{{dataset}}/{{analysis}}/{{name}}.{ext}",
        dataset=dataset,
        analysis=analysis,
        name=representations(analysis),
    )


ALL_TARGETS.extend(
    path for analysis in ANALYSES for dataset in DATASETS for path in documents(analysis, dataset)
)


def analysis_input(wildcards):
    """The dataset, and the representation's codes or model (none for an own baseline)."""
    inputs = {"data": f"data/{wildcards.dataset}.npz"}
    analysis = ANALYSES[wildcards.analysis]
    if wildcards.representation not in analysis.own_baselines:
        file = "codes.npz" if analysis.reads == "codes" else "model.npz"
        inputs[analysis.reads] = f"{R}/{wildcards.dataset}/repr/{wildcards.representation}/{file}"
    return inputs


rule analysis:
    input:
        unpack(analysis_input),
    output:
        json=f"{R}/{{dataset}}/{{analysis}}/{{representation}}.json",
        arrays=f"{R}/{{dataset}}/{{analysis}}/{{representation}}.npz",
    log:
        f"{R}/logs/{{dataset}}/{{analysis}}/{{representation}}.log",
    benchmark:
        f"{R}/benchmarks/{{dataset}}/{{analysis}}/{{representation}}.tsv"
    wildcard_constraints:
        representation="|".join([REPRESENTATION_REGEX, *OWN_BASELINES]),
    params:
        settings=lambda wildcards: ANALYSES[wildcards.analysis].settings(config),
    threads: lambda wildcards: ANALYSES[wildcards.analysis].threads(wildcards.representation)
    resources:
        mem_mb=lambda wildcards, input: memory_mb(input.size_mb),
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"
