# Analyses: one target per analysis and representation of a dataset,
# results/{dataset}/{analysis}/{representation}.json (+ .npz: the arrays its figures need),
# computed by the analysis registered as {analysis} (study.analyses) from the representation's
# codes or model (study.representations), or for one of the analysis' own baselines (the
# noisy input of denoising) from the data alone.

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
        mem_mb=dataset_memory,
    conda:
        "../envs/diy.yaml"
    script:
        "../scripts/analysis.py"
