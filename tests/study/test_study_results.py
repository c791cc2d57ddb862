"""The analyses' JSON documents and arrays: layout, names, atomic round trips."""
import math

import numpy as np
import pytest

from study.results import document, parse_baseline, read_json, read_npz, write_json, write_npz


@pytest.mark.parametrize("name, parsed", [
    ("pixels", ("pixels", None)), ("noisy", ("noisy", None)), ("pca16", ("pca", 16)), ("pca2", ("pca", 2)),
])
def test_parse_baseline(name, parsed):
    assert parse_baseline(name) == parsed


@pytest.mark.parametrize("name", ["pca", "pca0", "pca016", "PCA16", "raw", "latent2_tanh_noise0_seed0"])
def test_parse_baseline_refuses_other_names(name):
    with pytest.raises(ValueError, match="not a baseline name"):
        parse_baseline(name)


def test_variant_document_names_every_parameter():
    rows = [{"representation": "autoencoder", "accuracy": 0.5}]
    doc = document("kmeans", "mnist", {"n_init": 10, "seed": 0}, rows, variant="latent16_tanh_noise0.25_seed1")
    assert doc == {"analysis": "kmeans", "dataset": "mnist", "variant": "latent16_tanh_noise0.25_seed1",
                   "latent_dim": 16, "activation": "tanh", "noise": 0.25, "seed": 1,
                   "params": {"n_init": 10, "seed": 0}, "rows": rows}


def test_baseline_document():
    doc = document("kmeans", "digits", {}, [], baseline="pca8")
    assert (doc["baseline"], doc["latent_dim"], doc["activation"], doc["noise"], doc["seed"]) == (
        "pca8", 8, None, None, None)
    assert "variant" not in doc
    assert document("kmeans", "digits", {}, [], baseline="pixels")["latent_dim"] is None


def test_a_document_is_of_a_variant_or_of_a_baseline():
    with pytest.raises(ValueError, match="exactly one"):
        document("kmeans", "digits", {}, [])
    with pytest.raises(ValueError, match="exactly one"):
        document("kmeans", "digits", {}, [], variant="latent2_tanh_noise0_seed0", baseline="pixels")
    with pytest.raises(ValueError, match="not an autoencoder variant name"):
        document("kmeans", "digits", {}, [], variant="latent2_tanh")


def test_json_round_trip_keeps_infinity(tmp_path):
    doc = document("denoising", "digits", {"levels": [0.1]}, [{"psnr": math.inf}], baseline="noisy")
    path = tmp_path / "sub" / "doc.json"
    write_json(path, doc)
    assert read_json(path) == doc
    assert [p.name for p in path.parent.iterdir()] == ["doc.json"]  # no temporary file left


def test_npz_round_trip(tmp_path):
    arrays = {"map": np.zeros((3, 2), np.float32), "kinds": np.array(["gaussian", "masking"])}
    write_npz(tmp_path / "a.npz", arrays)
    back = read_npz(tmp_path / "a.npz")
    assert set(back) == {"map", "kinds"} and back["map"].dtype == np.float32
    assert list(back["kinds"]) == ["gaussian", "masking"]
