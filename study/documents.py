"""The analyses' documents as the jobs after them read them: each provably the one its analysis
job wrote for the path it is read from, in this study.

A document (:func:`study.results.document`) at ``{results}/{dataset}/{analysis}/{name}.json``
is read only once

- it is whole and unchanged since written (its recorded digest, :func:`study.results.read_sealed`);
- it records that dataset, analysis and representation (another seed's or representation's
  document copied over it is refused);
- its ``params`` are the settings this study's config gives that analysis (a document of another
  study, or of an earlier config, is refused);
- the codes and the model it was computed from are those in ``{results}/{dataset}/repr/{name}/``
  now, where they are there to compare (a document left from an earlier training is refused).

The arrays beside a document (``{name}.npz``, the figures') are read through it
(:func:`read_arrays`): they must be the ones whose digest it records.

A refusal is a ValueError naming the file and what differs.
"""
import json
import zipfile
from pathlib import Path

import numpy as np

from diy.serialization import ModelFileError, read_metadata
from study.analyses import ANALYSES
from study.representations import PROVENANCE
from study.results import RERUN, arrays_digest, read_npz, read_sealed

#: The keys a document must hold to be read.
KEYS = ("analysis", "dataset", "representation", "params", "rows", "inputs")


def expected_params(config, analysis, dataset):
    """The ``params`` a document of `analysis` on `dataset` records under `config` (the validated
    config): the analysis' settings, and ``binarize`` for a binarized dataset, as the rule passes
    them to the job (JSON, keys sorted)."""
    binarize = config["data"][dataset].get("binarize", "none")
    settings = {**ANALYSES[analysis].settings(config), **({} if binarize == "none" else {"binarize": binarize})}
    return json.loads(json.dumps(settings, sort_keys=True))


def read_document(path, config=None):
    """The document at `path`, checked as the module docstring says (`config`: the study's
    validated config, to check its ``params`` against; None skips that check)."""
    path = Path(path)
    document = read_sealed(path, "analysis document")
    missing = [key for key in KEYS if key not in document]
    if missing:
        raise ValueError(f"{path}: not an analysis document (no {', '.join(missing)}); {RERUN}")
    expected = {"dataset": path.parents[1].name, "analysis": path.parent.name, "representation": path.stem}
    for key, value in expected.items():
        if document[key] != value:
            raise ValueError(f"{path}: this document was written for {key} {document[key]!r}, not {value!r}: "
                             f"a file of another {key} copied over it; {RERUN}")
    if config is not None and document["analysis"] in ANALYSES and document["dataset"] in config["data"]:
        params = expected_params(config, document["analysis"], document["dataset"])
        if document["params"] != params:
            raise ValueError(f"{path}: computed with settings {_differences(document['params'], params)} "
                             f"of this study's config: a document of another study or of an earlier "
                             f"config; {RERUN}")
    _check_inputs(path, document)
    return document


def _differences(recorded, expected):
    """``n_init = 10, not 100`` for each key whose values differ (both dicts)."""
    keys = sorted(set(recorded) | set(expected))
    return "; ".join(f"{key} = {recorded.get(key, '(none)')!r}, not {expected.get(key, '(none)')!r}"
                     for key in keys if recorded.get(key) != expected.get(key))


def _check_inputs(path, document):
    """The codes and model digests `document` records against the files of its representation."""
    directory = path.parents[2] / document["dataset"] / "repr" / document["representation"]
    inputs = document["inputs"] if isinstance(document["inputs"], dict) else {}
    for kind, read in (("codes", _codes_digest), ("model", _model_digest)):
        recorded, file = inputs.get(kind), directory / f"{kind}.npz"
        if recorded is None or not file.exists():
            continue
        now = read(file)
        if now is not None and now != recorded:
            raise ValueError(f"{path}: computed from other {kind} than {file} holds now (their digests "
                             f"differ): a document of an earlier training, or that file replaced since; {RERUN}")


def _codes_digest(path):
    """The digest a codes file records of its rows (None if it records none or cannot be read:
    the analysis jobs, which read it, refuse it)."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            record = json.loads(str(npz[PROVENANCE])) if PROVENANCE in npz.files else {}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    return record.get("digest") if isinstance(record, dict) else None


def _model_digest(path):
    try:
        return read_metadata(path)[1]
    except ModelFileError:
        return None


def read_arrays(path):
    """The arrays at `path` (``{results}/{dataset}/{analysis}/{name}.npz``) as a dict, once the
    document beside it (``{name}.json``, :func:`read_document`) records their digest."""
    path = Path(path)
    document = read_document(path.with_suffix(".json"))
    try:
        arrays = read_npz(path)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: not a readable .npz ({error}); {RERUN}") from None
    if document.get("arrays") != arrays_digest(arrays):
        raise ValueError(f"{path}: not the arrays written with {path.with_suffix('.json')} (their digest "
                         f"differs from the one it records): of another representation, or damaged; {RERUN}")
    return arrays
