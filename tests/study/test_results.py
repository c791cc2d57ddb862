"""The analyses' JSON documents and arrays: layout, names, atomic round trips; the one reader of
the results (the tidy table), which the summary and the tools read through."""
import json
import math
import sys

import numpy as np
import pytest

from repository import REPO
from study.analyses import ANALYSES
from study.representations import describe
from study.results import document, load, read_json, read_npz, write_json, write_npz
from study.tables import analysis_tables, metrics_table, read_table, write_csv


def test_autoencoder_document_names_every_parameter():
    rows = [{"preprocessing": "none", "accuracy": 0.5}]
    doc = document("kmeans", "mnist", "mlp_latent16_tanh_noise0.25_seed1", describe("mlp_latent16_tanh_noise0.25_seed1"), {"n_init": 10, "seed": 0}, rows)
    provenance = doc.pop("provenance")  # (study.provenance's: versions, commit, CPU)
    assert isinstance(provenance, dict) and json.dumps(provenance)
    digest = doc.pop("digest")  # of the rest, provenance included (study.results.sealed)
    assert len(digest) == 64
    assert doc == {"analysis": "kmeans", "dataset": "mnist", "representation": "mlp_latent16_tanh_noise0.25_seed1",
                   "method": "autoencoder", "family": "mlp", "latent_dim": 16, "activation": "tanh",
                   "noise": 0.25, "seed": 1, "params": {"n_init": 10, "seed": 0}, "rows": rows,
                   "inputs": {"codes": None, "model": None}, "arrays": None}
    assert list(doc) == ["analysis", "dataset", "representation", "method", "family", "latent_dim",
                         "activation", "noise", "seed", "params", "rows", "inputs", "arrays"]


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


@pytest.fixture
def results(fake_tables, tmp_path):
    """A results directory whose tables/ holds the fake study's tables and its tidy table, as the
    workflow writes them."""
    tables = tmp_path / "results" / "tables"
    tables.mkdir(parents=True)
    for name, table in fake_tables.items():
        write_csv(table, tables / f"{name}.csv")
    write_csv(metrics_table({name: read_table(tables / f"{name}.csv") for name in fake_tables}, ANALYSES),
              tables / "metrics.csv")
    return tmp_path / "results"


def test_load_reads_the_tidy_table_of_a_results_directory_or_its_file(results):
    metrics = load(results)
    assert metrics.equals(load(results / "tables" / "metrics.csv"))
    assert {"analysis", "metric", "value", "low", "high"} <= set(metrics.columns)
    assert set(metrics["analysis"]) == set(ANALYSES)
    assert str(metrics["seed"].dtype) == "Int64" and metrics["value"].dtype == np.float64


def test_the_summary_read_through_the_tidy_table_is_the_summary_of_the_tables(results):
    from study.confirmation import verdicts_table
    from study.summary import summary_markdown

    tables = {name: read_table(results / "tables" / f"{name}.csv") for name in ANALYSES}
    verdicts = verdicts_table([])
    assert summary_markdown(analysis_tables(load(results), ANALYSES), ["digits", "mnist"], verdicts) == \
        summary_markdown(tables, ["digits", "mnist"], verdicts)


def _verdict(dataset, latent, metric, verdict, difference, seeds=8, noise=None):
    """A row of study.confirmation.verdict_rows: the chosen autoencoder against PCA of `latent`,
    or with `noise`, the configuration of that training noise against one of none."""
    a, b, question = (f"mlp_latent{latent}_relu_noise0", f"pca{latent}", "autoencoder vs PCA") if noise is None else (
        f"mlp_latent{latent}_relu_noise{noise}", f"mlp_latent{latent}_tanh_noise0", f"noise {noise} vs noise 0")
    return {"dataset": dataset, "latent": latent, "metric": metric, "question": question, "A": a,
            "B": b, "verdict": verdict, "A - B": difference, "low": difference - 0.01,
            "high": difference + 0.01, "margin": 0.02, "seeds": seeds, "stage": "confirmation",
            "seeds to decide": 12 if verdict == "undecided" else None, "planned": seeds}


def test_compare_runs_reads_two_results_directories(tmp_path, capsys):
    from study.confirmation import verdicts_table

    sys.path.insert(0, str(REPO / "tools"))
    try:
        import compare_runs
    finally:
        sys.path.remove(str(REPO / "tools"))
    runs = {
        "haswell": [_verdict("digits", 2, "kmeans_accuracy", "autoencoder better", 0.05),
                    _verdict("digits", 8, "kmeans_accuracy", "equivalent (within 0.02)", 0.001),
                    _verdict("digits", 8, "knn_accuracy", "autoencoder better", 0.03),
                    _verdict("mnist", 8, "retrieval_map", "undecided", 0.01),
                    # Two questions with one B (the configuration of no noise): told apart by A's noise.
                    _verdict("digits", 8, "denoising_psnr", "noise 0.25 better", 1.2, noise=0.25),
                    _verdict("digits", 8, "denoising_psnr", "noise 0.5 better", 0.9, noise=0.5)],
        # The same questions in another order, one flipped, one no longer decided.
        "skylakex": [_verdict("mnist", 8, "retrieval_map", "undecided", 0.012),
                     _verdict("digits", 8, "knn_accuracy", "PCA better", -0.03, seeds=10),
                     _verdict("digits", 8, "kmeans_accuracy", "undecided", 0.004),
                     _verdict("digits", 2, "kmeans_accuracy", "autoencoder better", 0.051),
                     _verdict("digits", 8, "denoising_psnr", "noise 0.5 better", 0.91, noise=0.5),
                     _verdict("digits", 8, "denoising_psnr", "noise 0.25 better", 1.19, noise=0.25)]}
    for name, rows in runs.items():
        (tmp_path / name / "tables").mkdir(parents=True)
        write_csv(verdicts_table(rows), tmp_path / name / "tables" / "verdicts.csv")
    compare_runs.main([str(tmp_path / "haswell"), str(tmp_path / "skylakex"), "--labels", "Haswell", "SkylakeX"])
    printed = capsys.readouterr().out
    assert "same verdict: 4 of 6 (67%); flips between the two directions: 1" in printed
    lines = printed.splitlines()
    assert lines[0] == "| question | Haswell | SkylakeX | same |"
    flipped = next(line for line in lines if line.startswith("| digits latent 8 knn_accuracy: autoencoder vs PCA |"))
    assert flipped.endswith("| FLIP |")
    assert "autoencoder better (mlp_latent8_relu_noise0): 0.030 [0.020, 0.040], 8 seeds" in flipped
    assert "PCA better (mlp_latent8_relu_noise0): -0.030 [-0.040, -0.020], 10 seeds" in flipped
    undecided = next(line for line in lines if line.startswith("| digits latent 8 kmeans_accuracy: autoencoder vs PCA |"))
    assert undecided.endswith("| no |")  # a verdict lost is a change, not a flip
    noise = [line for line in lines if "denoising_psnr" in line]
    assert len(noise) == 2 and all(line.endswith("| yes |") for line in noise)
    # A run against itself: every verdict the same, no flip.
    compare_runs.main([str(tmp_path / "haswell"), str(tmp_path / "haswell")])
    assert "same verdict: 6 of 6 (100%); flips between the two directions: 0" in capsys.readouterr().out
