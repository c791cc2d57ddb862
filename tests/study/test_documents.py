"""The analyses' documents as the jobs after them read them (study.documents): a document or its
arrays copied from another seed, representation, analysis or study, cut short, edited by hand or
left from an earlier training is refused, naming the file and what differs."""
import json

import numpy as np
import pytest

from diy import AutoEncoder, save
from diy.serialization import digest
from study.artifacts import write_codes
from study.config import validate_config
from study.documents import expected_params, read_arrays, read_document
from study.representations import codes_digest, describe, model_metadata
from study.results import document, read_json, write_json, write_npz

SEED0, SEED1 = "mlp_latent2_tanh_noise0_seed0", "mlp_latent2_tanh_noise0_seed1"


@pytest.fixture(scope="module")
def config(schema, defaults):
    return validate_config(None, schema, defaults=defaults)


@pytest.fixture
def results(tmp_path, config):
    """``results/`` with two seeds' models and codes, and each one's k-means document and arrays
    as the analysis job writes them."""
    for seed, name in enumerate((SEED0, SEED1)):
        model = AutoEncoder.build([4, 3, 2], rng=seed)
        codes = {f"Z_{split}": np.random.default_rng(seed).random((5, 2)).astype(np.float32)
                 for split in ("train", "val", "test")}
        (tmp_path / "digits" / "repr" / name).mkdir(parents=True)
        save(model, tmp_path / "digits" / "repr" / name / "model.npz", model_metadata(name, "digits"))
        write_codes(tmp_path / "digits" / "repr" / name / "codes.npz", codes, name, "digits", model)
        arrays = {"labels": np.arange(5) + seed}
        write_npz(tmp_path / "digits" / "kmeans" / f"{name}.npz", arrays)
        write_json(tmp_path / "digits" / "kmeans" / f"{name}.json",
                   document("kmeans", "digits", name, describe(name), expected_params(config, "kmeans", "digits"),
                            [{"split": "test", "accuracy": 0.5 + seed / 10}],
                            {"codes": codes_digest(codes), "model": digest(model)}, arrays))
    return tmp_path


def path(results, name=SEED0, analysis="kmeans", ext="json"):
    return results / "digits" / analysis / f"{name}.{ext}"


def test_a_document_as_written_is_read(results, config):
    assert read_document(path(results), config)["rows"] == [{"split": "test", "accuracy": 0.5}]
    assert list(read_arrays(path(results, ext="npz"))["labels"]) == [0, 1, 2, 3, 4]


def test_another_seed_s_document_copied_over_one_is_refused(results, config):
    path(results).write_bytes(path(results, SEED1).read_bytes())
    with pytest.raises(ValueError, match=f"{SEED0}.json: this document was written for representation '{SEED1}'"):
        read_document(path(results), config)


def test_another_analysis_document_copied_over_one_is_refused(results, config):
    (results / "digits" / "probe").mkdir()
    path(results, analysis="probe").write_bytes(path(results).read_bytes())
    with pytest.raises(ValueError, match="probe/.*: this document was written for analysis 'kmeans', not 'probe'"):
        read_document(path(results, analysis="probe"), config)


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_document_cut_short_is_refused_naming_it(results, config, cut):
    text = path(results).read_bytes()
    path(results).write_bytes(text[:int(len(text) * cut)])
    with pytest.raises(ValueError, match=f"{SEED0}.json: not a readable analysis document"):
        read_document(path(results), config)


@pytest.mark.parametrize("edit", [
    lambda doc: doc["rows"][0].update(accuracy=0.9),
    lambda doc: doc.update(seed=5),
    lambda doc: doc["rows"].clear(),
])
def test_a_document_edited_by_hand_is_refused(results, config, edit):
    doc = read_json(path(results, SEED1))
    edit(doc)
    write_json(path(results, SEED1), doc)
    with pytest.raises(ValueError, match=f"{SEED1}.json: not the analysis document written"):
        read_document(path(results, SEED1), config)


def test_a_document_of_other_settings_is_refused_naming_them(results, config):
    other = {**config, "analysis": {**config["analysis"], "kmeans": {**config["analysis"]["kmeans"], "n_init": 3}}}
    with pytest.raises(ValueError, match=r"computed with settings n_init = \d+, not 3 of this study's config"):
        read_document(path(results), other)


def test_a_document_of_an_earlier_training_is_refused(results, config):
    # The variant retrained since (here: the other seed's files in its place): the document was
    # computed from codes that are no longer there.
    for kind in ("codes", "model"):
        (results / "digits" / "repr" / SEED0 / f"{kind}.npz").write_bytes(
            (results / "digits" / "repr" / SEED1 / f"{kind}.npz").read_bytes())
    with pytest.raises(ValueError, match=f"{SEED0}.json: computed from other codes than .*{SEED0}/codes.npz holds"):
        read_document(path(results), config)


def test_a_document_from_before_documents_recorded_a_digest_is_refused(results, config):
    doc = read_json(path(results))
    del doc["digest"]
    path(results).write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="records no digest .* re-run the study"):
        read_document(path(results), config)


def test_arrays_of_another_seed_or_damaged_are_refused(results):
    npz = path(results, ext="npz")
    npz.write_bytes(path(results, SEED1, ext="npz").read_bytes())
    with pytest.raises(ValueError, match=f"{SEED0}.npz: not the arrays written with"):
        read_arrays(npz)
    npz.write_bytes(b"PK\x03\x04 cut")
    with pytest.raises(ValueError, match=f"{SEED0}.npz: not a readable .npz"):
        read_arrays(npz)
