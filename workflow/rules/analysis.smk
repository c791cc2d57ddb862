# Analyses: one target per analysis and representation of a dataset,
# results/{dataset}/{analysis}/{representation}.json (+ .npz: the arrays its figures need),
# computed by the analysis registered as {analysis} (study.analyses) from the representation's
# codes or model (study.representations), or for one of the analysis' own baselines (the
# noisy input of denoising) from the data alone.

rule analysis:
    input:
        unpack(analysis_input),
    output:
        json=f"{RESULTS}/{{dataset}}/{{analysis}}/{{representation}}.json",
        arrays=f"{RESULTS}/{{dataset}}/{{analysis}}/{{representation}}.npz",
        # The job's own benchmark (study.launch), in Snakemake's columns: in a local run the job
        # computes in the warm job server's child, which Snakemake's benchmark would not see.
        benchmark=f"{RESULTS}/benchmarks/{{dataset}}/{{analysis}}/{{representation}}.tsv",
    log:
        f"{RESULTS}/logs/{{dataset}}/{{analysis}}/{{representation}}.log",
    params:
        settings=analysis_settings,
    threads: analysis_threads
    resources:
        mem_mb=dataset_memory,
    conda:
        "../envs/diy.yaml"
    # A command rather than a script: directive, which Snakemake opens and checks once for every
    # job it plans: 0.7 s of a 7,060-job dry run (bench/dry_run.py). It runs by hand the same way,
    # with or without study.launch (which runs it in the job server when the run has one).
    shell:
        PYTHON + " -m study.launch --benchmark {output.benchmark:q} study.analysis_job {wildcards.dataset} {wildcards.analysis} {wildcards.representation}"
        " {input:q} --json {output.json:q} --arrays {output.arrays:q} --log {log:q}"
        " --threads {threads} --settings {params.settings:q}"
