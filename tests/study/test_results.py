"""The analyses' JSON documents and arrays: layout, names, atomic round trips."""
import json
import math

import numpy as np
import pytest

from study.representations import describe
from study.results import document, read_json, read_npz, write_json, write_npz


def test_autoencoder_document_names_every_parameter():
    rows = [{"preprocessing": "none", "accuracy": 0.5}]
    doc = document("kmeans", "mnist", "mlp_latent16_tanh_noise0.25_seed1", describe("mlp_latent16_tanh_noise0.25_seed1"), {"n_init": 10, "seed": 0}, rows)
    provenance = doc.pop("provenance")  # (study.provenance's: versions, commit, CPU)
    assert isinstance(provenance, dict) and json.dumps(provenance)
    assert doc == {"analysis": "kmeans", "dataset": "mnist", "representation": "mlp_latent16_tanh_noise0.25_seed1",
                   "method": "autoencoder", "family": "mlp", "latent_dim": 16, "activation": "tanh",
                   "noise": 0.25, "seed": 1, "params": {"n_init": 10, "seed": 0}, "rows": rows}
    assert list(doc) == ["analysis", "dataset", "representation", "method", "family", "latent_dim",
                         "activation", "noise", "seed", "params", "rows"]


@pytest.mark.parametrize("name, method, latent_dim", [("pca8", "pca", 8), ("pixels", "pixels", None),
                                                      ("noisy", "noisy", None), ("mean", "mean", None)])
def test_baseline_documents(name, method, latent_dim):
    doc = document("denoising", "digits", name, describe(name), {}, [])
    assert (doc["representation"], doc["method"], doc["latent_dim"]) == (name, method, latent_dim)
    assert doc["family"] is doc["activation"] is doc["noise"] is doc["seed"] is None


def test_params_and_rows_are_copied():
    params, rows = {"seed": 0}, [{"a": 1}]
    doc = document("kmeans", "digits", "pixels", describe("pixels"), params, rows)
    params["seed"], rows[:] = 1, []
    assert doc["params"] == {"seed": 0} and doc["rows"] == [{"a": 1}]


def test_json_round_trip_keeps_infinity_and_leaves_no_temporary_file(tmp_path):
    doc = document("denoising", "digits", "noisy", describe("noisy"), {"levels": [0.1]}, [{"psnr": math.inf}])
    path = tmp_path / "sub" / "doc.json"
    write_json(path, doc)
    assert read_json(path) == doc
    assert "Infinity" in path.read_text()
    assert [p.name for p in path.parent.iterdir()] == ["doc.json"]


def test_npz_round_trip_without_pickles(tmp_path):
    arrays = {"map": np.zeros((3, 2), np.float32), "kinds": np.array(["gaussian", "masking"]), "n": 3}
    write_npz(tmp_path / "a.npz", arrays)
    back = read_npz(tmp_path / "a.npz")
    assert set(back) == {"map", "kinds", "n"} and back["map"].dtype == np.float32
    assert list(back["kinds"]) == ["gaussian", "masking"] and back["n"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["a.npz"]
    np.savez(tmp_path / "b.npz", x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="pickle"):
        read_npz(tmp_path / "b.npz")
