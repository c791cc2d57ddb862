"""Rule analysis: the analysis {analysis} (study.analyses) of one representation of a dataset
(its codes or model, study.representations) or of one of the analysis' own baselines ->
results/{dataset}/{analysis}/{representation}.json and .npz."""
from study.analyses import ANALYSES, Source
from study.data.dataset import load_dataset
from study.logs import log_to
from study.registry import load_extensions
from study.representations import check_codes_match, describe, load_model, read_codes
from study.results import document, write_json, write_npz
from study.threads import limit_threads

with log_to(snakemake.log[0]), limit_threads(snakemake.threads):
    load_extensions(snakemake.config["extensions"])
    wildcards, settings = snakemake.wildcards, snakemake.params.settings
    analysis, name = ANALYSES[wildcards.analysis], wildcards.representation
    data = load_dataset(snakemake.input.data)
    head = describe(name)
    source = Source(name, head["method"], head["latent_dim"])
    if "model" in snakemake.input.keys():
        source.model = load_model(snakemake.input.model)
    if "codes" in snakemake.input.keys():
        source.codes = read_codes(snakemake.input.codes, data, head["latent_dim"])
        check_codes_match(snakemake.input.codes, source.codes, data, source.model)
    rows, arrays = analysis.evaluate(data, source, settings)
    write_npz(snakemake.output.arrays, arrays)
    write_json(snakemake.output.json, document(analysis.name, wildcards.dataset, name, settings, rows))
