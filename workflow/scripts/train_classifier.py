"""Rule train_classifier: data/{dataset}.npz -> results/{dataset}/clf/{variant}/.

The training is study.train_classifier's; the three files are renamed into place together, the
model recording the digests of the history and the metrics.
"""

# In a local run the warm job server (study.job_server) runs this script, its imports done once
# for the run; without a server, run_in_server returns and the script runs here. Either way a
# benchmark output, if the rule has one, gets the job's cost.
from study.launch import run_in_server

run_in_server(snakemake, __file__)

from study.data.dataset import load_dataset
from diy.serialization import save
from study.artifacts import CLASSIFIER_HISTORY_COLUMNS, atomic_outputs, file_digest, write_history
from study.provenance import provenance
from study.results import write_json
from study.failures import recorded
from study.logs import log_to
from study.threads import limit_threads
from study.train_classifier import train_classifier
from study.variants import ClassifierVariant

with log_to(snakemake.log[0]), limit_threads(snakemake.threads), recorded(
        snakemake.params.failed, snakemake.wildcards.variant):
    dataset = snakemake.wildcards.dataset
    variant = ClassifierVariant.parse(snakemake.wildcards.variant)
    model, history, metrics = train_classifier(
        load_dataset(snakemake.input[0]),
        variant,
        training=snakemake.params.training,
        name=f"{dataset}/clf/{variant.name}",
    )
    out = snakemake.output
    with atomic_outputs(out.model, out.history, out.metrics) as (model_tmp, history_tmp, metrics_tmp):
        write_history(history_tmp, history, CLASSIFIER_HISTORY_COLUMNS)
        write_json(metrics_tmp, {**metrics, "provenance": provenance()})
        # The model records the digests of both: their readers check that they are its own.
        save(model, model_tmp, {"classifier": variant.name, "dataset": dataset,
                                "history": file_digest(history_tmp), "metrics": file_digest(metrics_tmp)})
