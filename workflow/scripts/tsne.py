"""Rules tsne, tsne_baseline: t-SNE map of a seeded test subset of a variant's codes (or of
raw pixels or PCA codes), scored -> JSON; the map -> npz (diy.study.analyses)."""
from threadpoolctl import threadpool_limits

from diy.data.dataset import load_dataset
from diy.study.analyses import tsne_analysis, tsne_baseline
from diy.study.logs import log_to
from diy.study.results import document, read_npz, write_json, write_npz

with log_to(snakemake.log[0]), threadpool_limits(snakemake.threads):
    wildcards, settings = snakemake.wildcards, snakemake.params.settings
    variant, baseline = getattr(wildcards, "variant", None), getattr(wildcards, "baseline", None)
    data = load_dataset(snakemake.input.data)
    if baseline:
        rows, arrays = tsne_baseline(data, baseline, **settings)
    else:
        rows, arrays = tsne_analysis(read_npz(snakemake.input.codes), data, **settings)
    write_npz(snakemake.output.map, arrays)
    write_json(snakemake.output.json, document("tsne", wildcards.dataset, settings, rows,
                                               variant=variant, baseline=baseline))
