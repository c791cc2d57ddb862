"""The job of rule analysis: the analysis ANALYSIS (study.analyses) of one representation of a
dataset (its codes or model, study.representations) or of one of the analysis' own baselines ->
results/{dataset}/{analysis}/{representation}.json and .npz.

Snakemake runs it as a command, and it runs by hand the same way, e.g.
    python -m study.analysis_job digits kmeans pca16 data/digits.npz results/digits/repr/pca16/codes.npz \\
        results/digits/repr/pca16/model.npz --json kmeans.json --arrays kmeans.npz --log kmeans.log \\
        --settings '{"n_init": 10, "seed": 0, "resamples": 1000, "confidence": 0.95}'
given the files the workflow declares for the job (Analysis.inputs, in that order).
"""
import argparse
import json
import os
from pathlib import Path

import jsonschema
import numpy as np

from diy.serialization import digest
from study.analyses import ANALYSES, Source
from study.config import load_schema, read_yaml
from study.config_checks import non_finite
from study.config_schema import describe as error_line, normalise
from study.data.dataset import binarized, load_dataset
from study.datasets import DATASETS
from study.logs import log_to
from study.extensions import EXTENSIONS_VARIABLE, load_extensions
from study.representations import check_codes_match, codes_digest, describe, load_model, read_codes
from study.results import document, write_json, write_npz
from study.threads import limit_threads


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    parser.add_argument("analysis")
    parser.add_argument("representation", help="a variant's name, pixels, pcaN, or an own baseline")
    parser.add_argument("inputs", nargs="+", help="the dataset's .npz, then the representation's "
                                                  "codes.npz and/or model.npz, as the analysis reads them")
    parser.add_argument("--json", required=True, help="the rows, written here")
    parser.add_argument("--arrays", required=True, help="the arrays its figures need (.npz)")
    parser.add_argument("--log", required=True)
    parser.add_argument("--settings", type=json.loads, required=True,
                        help="JSON: the analysis' settings (the rule's params.settings)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--extensions", type=json.loads, default=os.environ.get(EXTENSIONS_VARIABLE, "[]"),
                        help=f"JSON list: the config's extensions, modules to import first "
                             f"(default: ${EXTENSIONS_VARIABLE}, which the Snakefile sets)")
    return parser.parse_args()


def named_inputs(analysis, representation, paths):
    """``{"data": path, "codes": path, "model": path}`` of the files given, which must be the
    ones `analysis` reads: the representation's are named ``codes.npz`` and ``model.npz``."""
    inputs = {}
    for path in paths:
        kind = Path(path).stem if Path(path).name in ("codes.npz", "model.npz") else "data"
        if kind in inputs:
            raise ValueError(f"two {kind} files given: {inputs[kind]}, {path}")
        inputs[kind] = path
    expected = analysis.input_kinds(representation)
    if sorted(inputs) != sorted(expected):
        raise ValueError(f"{analysis.name} of {representation} reads {', '.join(expected)}; "
                         f"given: {', '.join(paths)}")
    return inputs


def checked_settings(analysis, dataset, settings, data):
    """`settings` (the job's ``--settings``) once the config check would pass them: its section
    ``analysis.{name}`` complete and within the config schema, the analysis seed and bootstrap
    too, then the analysis' own ``check`` against `data`'s split sizes; numbers written as strings
    made numbers. A ValueError names each refused key, as the config check would."""
    schema = load_schema(Path(__file__).resolve().parents[1] / "workflow" / "schemas" / "config.schema.yaml")
    common = schema["properties"]["analysis"]["properties"]
    job = {"$defs": schema.get("$defs", {}), "type": "object", "required": list(analysis.schema),
           "properties": {**analysis.schema, "seed": common["seed"], **common["bootstrap"]["properties"]}}
    settings = normalise(settings, job)
    def named(problem):  # the key path within the section, from the config's root
        top = "(top level)"
        where = f"analysis.{analysis.name}" + (problem[len(top):] if problem.startswith(top) else f".{problem}")
        return f"--settings of analysis {analysis.name}: {where}"

    problems = [named(error_line(error)) for error in jsonschema.Draft202012Validator(job).iter_errors(settings)]
    problems += [named(problem) for problem in non_finite(settings)]
    if not problems:  # the keys the workflow passes beside the section's (the analysis seed, ...)
        config = read_yaml(Path(__file__).resolve().parents[1] / "config.yaml")  # every default, written
        config["analysis"][analysis.name] = {key: settings[key] for key in analysis.schema}
        expected = analysis.settings(config)
        missing = sorted(set(expected) - set(settings))
        if missing:
            problems.append(f"--settings of analysis {analysis.name}: missing {', '.join(map(repr, missing))} "
                            f"(the workflow passes {', '.join(sorted(expected))})")
    if not problems and analysis.check is not None:
        section = {key: settings[key] for key in analysis.schema}
        sizes = {split: len(data[f"X_{split}"]) for split in ("train", "val", "test")}
        n_classes = DATASETS[dataset].n_classes if dataset in DATASETS else len(np.unique(data["y_train"]))
        problems += [f"--settings of analysis {analysis.name}: {problem}"
                     for problem in analysis.check(section, dataset, sizes, n_classes)]
    if problems:
        raise ValueError("\n".join(problems))
    return settings


def main(args):
    load_extensions(args.extensions)
    analysis, name = ANALYSES[args.analysis], args.representation
    inputs = named_inputs(analysis, name, args.inputs)
    data = load_dataset(inputs["data"])
    # By hand, the settings are whatever was typed: checked as the config check checks them.
    settings = checked_settings(analysis, args.dataset, dict(args.settings), data)
    if settings.pop("binarize", "none") == "dynamic":
        data = binarized(data)
    head = describe(name)
    source = Source(name, head["method"], head["latent_dim"])
    # Each file must record being this representation of this dataset, and the codes the model's.
    if "model" in inputs:
        source.model = load_model(inputs["model"], name, args.dataset)
    if "codes" in inputs:
        source.codes = read_codes(inputs["codes"], data, head["latent_dim"], representation=name,
                                  dataset=args.dataset, model=source.model)
        check_codes_match(inputs["codes"], source.codes, data, source.model)
    rows, arrays = analysis.evaluate(data, source, settings, threads=args.threads)
    # What the document was computed from, which its readers check against the files there now.
    inputs = {"codes": None if source.codes is None else codes_digest(source.codes),
              "model": None if source.model is None else digest(source.model)}
    write_npz(args.arrays, arrays)
    write_json(args.json, document(analysis.name, args.dataset, name, head, args.settings, rows, inputs, arrays))


def run_main():
    """The job as its command runs it, from ``sys.argv`` (here, or in a study.job_server child)."""
    args = arguments()
    with log_to(args.log), limit_threads(args.threads):
        main(args)


if __name__ == "__main__":
    run_main()
