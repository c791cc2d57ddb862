"""Rules reconstruction, kmeans, tsne, denoising, classification and their ``*_baseline``
rules: the analysis named by the rule (less ``_baseline``) of a variant's model or codes, or
of a baseline -> JSON; the arrays a figure needs, where the analysis has them -> npz
(study.analyses)."""
from study.data.dataset import load_dataset
from study.analyses import ANALYSES, read_source, run_analysis
from study.logs import log_to
from study.threads import limit_threads
from study.results import document, write_json, write_npz

with log_to(snakemake.log[0]), limit_threads(snakemake.threads):
    name = snakemake.rule.removesuffix("_baseline")
    reads, npz = ANALYSES[name].reads, ANALYSES[name].npz
    wildcards, settings = snakemake.wildcards, snakemake.params.settings
    variant, baseline = getattr(wildcards, "variant", None), getattr(wildcards, "baseline", None)
    data = load_dataset(snakemake.input.data)
    source = {} if baseline else {reads: read_source(name, getattr(snakemake.input, reads))}
    rows, arrays = run_analysis(name, data, settings, baseline=baseline, **source)
    if npz:
        write_npz(getattr(snakemake.output, npz), arrays)
    write_json(snakemake.output.json, document(name, wildcards.dataset, settings, rows,
                                               variant=variant, baseline=baseline))
