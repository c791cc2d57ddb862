"""Rule train_autoencoder: data/{dataset}.npz -> results/{dataset}/repr/{variant}/.

The training is study.train_autoencoder's; the three files are renamed into place together, the
model recording the history's digest and the codes the model's.
"""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here. Either way a
# benchmark output, if the rule has one, gets the job's cost.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from diy.serialization import save
from study.artifacts import AE_HISTORY_COLUMNS, atomic_outputs, file_digest, write_codes, write_history
from study.data.dataset import load_dataset
from study.failures import recorded
from study.logs import log_to
from study.representations import model_metadata
from study.extensions import load_extensions
from study.threads import limit_threads
from study.train_autoencoder import train_autoencoder
from study.variants import AEVariant

with log_to(snakemake.log[0]), limit_threads(snakemake.threads), recorded(
        snakemake.params.failed, snakemake.wildcards.variant):
    load_extensions(snakemake.config["extensions"])
    dataset, variant = snakemake.wildcards.dataset, AEVariant.parse(snakemake.wildcards.variant)
    model, history, codes = train_autoencoder(
        load_dataset(snakemake.input[0]),
        variant,
        family=snakemake.params.family,
        training=snakemake.params.training,
        noise_type=snakemake.params.noise_type,
        name=f"{dataset}/{variant.name}",
    )
    out = snakemake.output
    with atomic_outputs(out.model, out.history, out.codes) as (model_tmp, history_tmp, codes_tmp):
        write_history(history_tmp, history, AE_HISTORY_COLUMNS)
        # The model records the history's digest: its readers check that they are each other's.
        save(model, model_tmp, model_metadata(variant.name, dataset, file_digest(history_tmp)))
        write_codes(codes_tmp, codes, variant.name, dataset, model)
