"""Rules kmeans, kmeans_baseline: k-means on a variant's test codes (or on raw pixels or PCA
codes) scored against the labels -> JSON (diy.study.analyses)."""
from threadpoolctl import threadpool_limits

from diy.data.dataset import load_dataset
from diy.study.analyses import kmeans_analysis, kmeans_baseline
from diy.study.logs import log_to
from diy.study.results import document, read_npz, write_json

with log_to(snakemake.log[0]), threadpool_limits(snakemake.threads):
    wildcards, settings = snakemake.wildcards, snakemake.params.settings
    variant, baseline = getattr(wildcards, "variant", None), getattr(wildcards, "baseline", None)
    data = load_dataset(snakemake.input.data)
    if baseline:
        rows = kmeans_baseline(data, baseline, **settings)
    else:
        rows = kmeans_analysis(read_npz(snakemake.input.codes), data, **settings)
    write_json(snakemake.output.json, document("kmeans", wildcards.dataset, settings, rows,
                                               variant=variant, baseline=baseline))
