"""Rules pixels and pca: data/{dataset}.npz -> results/{dataset}/repr/{pixels,pca<k>}/
(study.representations, study.pca)."""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here. Either way a
# benchmark output, if the rule has one, gets the job's cost.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from diy.serialization import save
from study.artifacts import atomic_outputs, write_codes
from study.data.dataset import load_dataset
from study.logs import log_to
from study.pca import pca_representation
from study.representations import PIXELS, SPLITS, model_metadata, pca_name
from study.threads import limit_threads

with log_to(snakemake.log[0]), limit_threads(snakemake.threads):
    data, dataset = load_dataset(snakemake.input[0]), snakemake.wildcards.dataset
    out = snakemake.output
    if snakemake.rule == "pixels":
        with atomic_outputs(out.codes) as (codes_tmp,):
            write_codes(codes_tmp, {f"Z_{split}": data[f"X_{split}"] for split in SPLITS}, PIXELS, dataset)
    else:
        latent_dim = int(snakemake.wildcards.latent_dim)
        model, codes = pca_representation(data, latent_dim, snakemake.params.seed)
        with atomic_outputs(out.model, out.codes) as (model_tmp, codes_tmp):
            save(model, model_tmp, model_metadata(pca_name(latent_dim), dataset))
            write_codes(codes_tmp, codes, pca_name(latent_dim), dataset, model)
