"""The analysis job's command line: its input files, named by what they are and checked against
what the analysis reads (the workflow runs it in tests/workflow/test_analysis_workflow.py)."""
import argparse
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from study.analyses import ANALYSES
from study.analysis_job import named_inputs
from study.config import validate_config


def test_the_job_imports_no_figure_table_or_scikit_learn_module_before_its_analysis_needs_one():
    # Each is imported where it is used: an analysis job pays for what it computes with.
    code = ("import sys, study.analysis_job; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'pandas', 'scipy', 'sklearn'}))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def test_the_files_given_are_named_by_kind_in_any_order():
    given = ["out/digits/repr/pca8/model.npz", "data/digits.npz", "out/digits/repr/pca8/codes.npz"]
    assert named_inputs(ANALYSES["kmeans"], "pca8", given) == {
        "data": "data/digits.npz", "codes": "out/digits/repr/pca8/codes.npz",
        "model": "out/digits/repr/pca8/model.npz"}
    assert named_inputs(ANALYSES["denoising"], "noisy", ["data/digits.npz"]) == {"data": "data/digits.npz"}


@pytest.mark.parametrize("given, message", [
    (["data/digits.npz", "out/digits/repr/pca8/codes.npz"], "kmeans of pca8 reads data, codes, model"),
    (["data/digits.npz", "a/codes.npz", "b/codes.npz", "a/model.npz"], "two codes files given"),
])
def test_other_files_than_the_analysis_reads_are_refused(given, message):
    with pytest.raises(ValueError, match=message):
        named_inputs(ANALYSES["kmeans"], "pca8", given)


# -- every file read is the one its producer wrote for this representation -------------------------
SEED0, SEED1 = "mlp_latent2_tanh_noise0_seed0", "mlp_latent2_tanh_noise0_seed1"


@pytest.fixture
def tree(tmp_path, digits, schema, defaults):
    """``data/digits.npz`` and ``repr/{seed0, seed1}/`` as the training job writes them, and a
    job running `analysis` of a representation on given files: ``(root, job)``."""
    from diy.autoencoder import AutoEncoder
    from diy.serialization import save
    from study.artifacts import write_codes
    from study.data.dataset import save_dataset
    from study.representations import encode_splits, model_metadata

    save_dataset(tmp_path / "digits.npz", digits)
    for seed, name in enumerate((SEED0, SEED1)):
        model = AutoEncoder.build([64, 16, 2], rng=seed)
        (tmp_path / name).mkdir()
        save(model, tmp_path / name / "model.npz", model_metadata(name, "digits"))
        write_codes(tmp_path / name / "codes.npz", encode_splits(model.encoder, digits), name, "digits", model)

    config = validate_config({}, schema, defaults=defaults)

    def job(analysis, representation, *files, settings=None):
        from study.analysis_job import main

        settings = ANALYSES[analysis].settings(config) if settings is None else settings
        args = argparse.Namespace(dataset="digits", analysis=analysis, representation=representation,
                                  inputs=[str(tmp_path / "digits.npz"), *map(str, files)], settings=settings,
                                  json=str(tmp_path / "out.json"), arrays=str(tmp_path / "out.npz"),
                                  threads=1, extensions=[])
        main(args)

    return tmp_path, job


@pytest.mark.parametrize("analysis", ["reconstruction", "interpolation"])
def test_another_seed_s_model_copied_over_the_model_stops_the_job(tree, analysis):
    root, job = tree
    shutil.copy(root / SEED1 / "model.npz", root / SEED0 / "model.npz")
    with pytest.raises(ValueError, match=f"^{re.escape(str(root / SEED0 / 'model.npz'))}: this model was "
                                         f"saved as representation '{SEED1}', not '{SEED0}'"):
        job(analysis, SEED0, root / SEED0 / "model.npz")


def _rewrite(path, change):
    with np.load(path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    np.savez(path, **change(arrays))


@pytest.mark.parametrize("damage, message", [
    # Rows 32 onwards shuffled: the first 32, which the model's encoder checks, are intact.
    (lambda a: {**a, "Z_test": np.concatenate([a["Z_test"][:32], a["Z_test"][32:][::-1]])},
     "its rows are not the ones written"),
    (lambda a: {**a, "Z_val": np.concatenate([a["Z_val"][:32], a["Z_val"][32:] + 1e-3])},
     "its rows are not the ones written"),
    (lambda a: {key: value for key, value in a.items() if key != "__provenance__"},
     "records no provenance .* re-run the study"),
])
def test_damaged_codes_stop_the_job_naming_the_file(tree, damage, message):
    root, job = tree
    codes = root / SEED0 / "codes.npz"
    _rewrite(codes, damage)
    with pytest.raises(ValueError, match=f"^{re.escape(str(codes))}: {message}"):
        job("probe", SEED0, codes, root / SEED0 / "model.npz")


def test_another_seed_s_codes_stop_the_job_naming_what_differs(tree):
    root, job = tree
    shutil.copy(root / SEED1 / "codes.npz", root / SEED0 / "codes.npz")
    with pytest.raises(ValueError, match=f"codes.npz: these codes were written for representation "
                                         f"'{SEED1}', not for representation '{SEED0}'"):
        job("probe", SEED0, root / SEED0 / "codes.npz", root / SEED0 / "model.npz")


def test_codes_are_bound_to_the_model_they_came_from(tree):
    # A retrained model of the same name beside the old codes: its digest is not theirs.
    from diy.autoencoder import AutoEncoder
    from diy.serialization import save
    from study.representations import model_metadata

    root, job = tree
    save(AutoEncoder.build([64, 16, 2], rng=7), root / SEED0 / "model.npz", model_metadata(SEED0, "digits"))
    with pytest.raises(ValueError, match=f"codes.npz: these codes were written for model '[0-9a-f]{{64}}', "
                                         f"not for the model beside it"):
        job("kmeans", SEED0, root / SEED0 / "codes.npz", root / SEED0 / "model.npz")


def test_a_model_file_from_before_provenance_asks_for_a_re_run(tree):
    from diy.serialization import load, save

    root, job = tree
    path = root / SEED0 / "model.npz"
    save(load(path), path)  # no metadata
    with pytest.raises(ValueError, match="records no provenance .* re-run the study"):
        job("interpolation", SEED0, path)


@pytest.mark.parametrize("analysis, change, message", [
    ("interpolation", {"steps": 100000000}, "--settings of analysis interpolation: analysis.interpolation.steps = "
                                            "100000000: would need 14305.1 GiB of arrays"),
    ("interpolation", {"steps": 1}, "analysis.interpolation.steps = 1: must be >= 3"),
    ("tsne", {"perplexity": 500}, "analysis.tsne.perplexity = 500: must be below the t-SNE subset of digits"),
    ("tsne", {"knn_k": None}, "analysis.tsne: 'knn_k' is a required property"),
    ("kmeans", {"confidence": 1.5}, "analysis.kmeans.confidence = 1.5: must be in (0, 1)"),
    ("manifold", {"n_components": 400}, "analysis.manifold.n_components = 400: 400 dimensions"),
])
def test_settings_the_config_check_would_refuse_stop_the_job_by_hand(tree, schema, defaults, analysis, change,
                                                                     message):
    root, job = tree
    settings = {**ANALYSES[analysis].settings(validate_config({}, schema, defaults=defaults)), **change}
    settings = {key: value for key, value in settings.items() if value is not None}
    files = [root / SEED0 / f"{kind}.npz" for kind in ANALYSES[analysis].input_kinds(SEED0)[1:]]
    with pytest.raises(ValueError) as error:
        job(analysis, SEED0, *files, settings=settings)
    assert message in str(error.value)
    assert not (root / "out.json").exists()
