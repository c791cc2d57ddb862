"""Rules reconstruction, reconstruction_baseline: test-split reconstruction metrics of a
variant's model (or of PCA) -> JSON; the example images -> npz (diy.study.analyses)."""
from threadpoolctl import threadpool_limits

from diy.data.dataset import load_dataset
from diy.serialization import load
from diy.study.analyses import reconstruction_analysis, reconstruction_baseline
from diy.study.logs import log_to
from diy.study.results import document, write_json, write_npz

with log_to(snakemake.log[0]), threadpool_limits(snakemake.threads):
    wildcards, settings = snakemake.wildcards, snakemake.params.settings
    variant, baseline = getattr(wildcards, "variant", None), getattr(wildcards, "baseline", None)
    data = load_dataset(snakemake.input.data)
    if baseline:
        rows, examples = reconstruction_baseline(data, baseline, **settings)
    else:
        rows, examples = reconstruction_analysis(load(snakemake.input.model), data, **settings)
    write_npz(snakemake.output.examples, examples)
    write_json(snakemake.output.json, document("reconstruction", wildcards.dataset, settings, rows,
                                               variant=variant, baseline=baseline))
