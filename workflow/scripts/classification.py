"""Rules classification, classification_baseline: logistic regression, k-NN and the DIY MLP
trained on a variant's train codes (or on raw pixels or PCA codes), test accuracy -> JSON
(diy.study.analyses)."""
from threadpoolctl import threadpool_limits

from diy.data.dataset import load_dataset
from diy.study.analyses import classification_analysis, classification_baseline
from diy.study.logs import log_to
from diy.study.results import document, read_npz, write_json

with log_to(snakemake.log[0]), threadpool_limits(snakemake.threads):
    wildcards, settings = snakemake.wildcards, snakemake.params.settings
    variant, baseline = getattr(wildcards, "variant", None), getattr(wildcards, "baseline", None)
    data = load_dataset(snakemake.input.data)
    if baseline:
        rows = classification_baseline(data, baseline, **settings)
    else:
        rows = classification_analysis(read_npz(snakemake.input.codes), data, **settings)
    write_json(snakemake.output.json, document("classification", wildcards.dataset, settings, rows,
                                               variant=variant, baseline=baseline))
