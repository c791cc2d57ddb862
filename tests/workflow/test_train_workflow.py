"""Training the grid through Snakemake, in temporary directories, on the quick config.

One module-scoped run trains the quick config's digits grid (8 autoencoders, 1 classifier);
the tests check its files, re-run one variant bit for bit and dry-run config changes. Further
runs: a diverging variant with --keep-going, and (with DIY_MNIST_MIRROR) a subset of MNIST.
Targets are named explicitly, so that only training (not the analyses) runs.
"""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import yaml

from study.data.dataset import load_dataset
from diy.serialization import load
from study.artifacts import read_history
from study.config import validate_config, read_yaml
from study.variants import ae_variants, classifier_variants
from snakemake_runs import Run, job_counts

pytestmark = pytest.mark.slow

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
QUICK = yaml.safe_load(open(os.path.join(REPO, "workflow", "configs", "quick.yaml")))
DEFAULTS = read_yaml(os.path.join(REPO, "config.yaml"))
#: The quick study's one raw-pixel classifier, named from its config (hidden layers, activation,
#: dropout, seed).
[CLASSIFIER] = [variant.name for variant in classifier_variants(
    {"classifiers": {**DEFAULTS["classifiers"], **QUICK["classifiers"]}})]
AE_FILES = ("model.npz", "history.csv", "codes.npz")
CLASSIFIER_FILES = ("model.npz", "history.csv", "metrics.json")
R = QUICK["results"]


def training_targets(config, schema):
    """Every training output of `config`: {results}/{dataset}/{repr,clf}/{variant}/{file}."""
    config = validate_config(config, schema, defaults=DEFAULTS)
    targets = []
    for dataset in config["datasets"]:
        for variant in ae_variants(config):
            targets += [f"{config['results']}/{dataset}/repr/{variant.name}/{f}" for f in AE_FILES]
        for variant in classifier_variants(config):
            targets += [f"{config['results']}/{dataset}/clf/{variant.name}/{f}" for f in CLASSIFIER_FILES]
    return targets


def planned_outputs(output, rule):
    """The model.npz paths of the `rule` jobs a dry run lists."""
    blocks = [re.split(r"\n(?:local)?rule \w+:", block)[0] for block in output.split(f"rule {rule}:")[1:]]
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return sorted(line.split()[1].rstrip(",") for line in lines if line.startswith("output: "))


def check_autoencoder(directory, data, latent_dim):
    model = load(directory / "model.npz")
    assert model.encoder[-1].__class__.__name__ == "Linear"  # a linear code layer
    with np.load(directory / "codes.npz") as codes:
        assert sorted(codes.files) == ["Z_test", "Z_train", "Z_val", "__provenance__"]
        for split in ("train", "val", "test"):
            Z = codes[f"Z_{split}"]
            assert Z.dtype == np.float32 and Z.shape == (len(data[f"y_{split}"]), latent_dim)
        np.testing.assert_allclose(model.encode(data["X_test"][:50]), codes["Z_test"][:50],
                                   rtol=1e-5, atol=1e-6)
    history = read_history(directory / "history.csv")
    assert list(history) == ["epoch", "train_loss", "val_loss", "seconds"]
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert min(history["val_loss"]) < history["val_loss"][0]
    return history


def check_classifier(directory, data):
    model = load(directory / "model.npz")
    metrics = json.loads((directory / "metrics.json").read_text())
    assert set(metrics) == {"test_accuracy", "val_accuracy", "confusion_matrix", "classes",
                            "epochs_trained", "seconds", "provenance"}
    assert metrics["provenance"]["versions"]["numpy"] == np.__version__
    assert metrics["test_accuracy"] == model.score(data["X_test"], data["y_test"])
    assert np.sum(metrics["confusion_matrix"]) == len(data["y_test"])
    history = read_history(directory / "history.csv")
    assert list(history) == ["epoch", "train_loss", "val_loss", "val_accuracy", "seconds"]
    assert len(history["epoch"]) == metrics["epochs_trained"]
    assert history["train_loss"][-1] < history["train_loss"][0]
    return metrics


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory, schema):
    run = Run(tmp_path_factory.mktemp("train-digits"), QUICK)
    run.output = run.run("--cores", "2", *training_targets(QUICK, schema))
    return run


def test_quick_config_trains_the_digits_grid(digits_run):
    data = load_dataset(digits_run.path("data/digits.npz"))
    variants = sorted(p.name for p in digits_run.path(f"{R}/digits/repr").iterdir())
    assert len(variants) == 8 and "mlp_latent8_relu_noise0.25_seed0" in variants
    for name in variants:
        history = check_autoencoder(digits_run.path(f"{R}/digits/repr/{name}"), data, int(name[10]))
        log = digits_run.path(f"{R}/logs/digits/repr/{name}.log").read_text()
        assert log.count(f"digits/{name}: epoch ") == len(history["epoch"]) <= QUICK["training"]["epochs"]
        assert digits_run.path(f"{R}/benchmarks/digits/repr/{name}.tsv").exists()
    metrics = check_classifier(digits_run.path(f"{R}/digits/clf/{CLASSIFIER}"), data)
    assert metrics["test_accuracy"] > 0.8
    # Nothing half-written is left beside the outputs, and nothing outside the study's own root.
    assert not [p for p in digits_run.path("results").rglob(".*") if p.is_file()]
    assert sorted(p.name for p in digits_run.path("results").iterdir()) == ["quick"]


def test_blas_threads_are_the_job_threads(digits_run):
    log = digits_run.path(f"{R}/logs/digits/repr/mlp_latent2_tanh_noise0_seed0.log").read_text()
    assert "threads: 1 (thread pools: " in log
    assert "OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1" in log  # set by Snakemake from threads:


def test_rerun_of_one_variant_is_bit_identical(digits_run):
    directory = digits_run.path(f"{R}/digits/repr/mlp_latent8_relu_noise0.25_seed0")
    with np.load(directory / "model.npz") as npz:
        before = {key: npz[key] for key in npz.files}
    history_before = read_history(directory / "history.csv")
    with np.load(directory / "codes.npz") as npz:
        codes_before = {key: npz[key] for key in npz.files}
    mtime = (directory / "model.npz").stat().st_mtime_ns

    output = digits_run.run("--cores", "1", "-f", f"{directory.relative_to(digits_run.workdir)}/model.npz")
    assert job_counts(output.stdout + output.stderr) == {"train_autoencoder": 1}
    assert (directory / "model.npz").stat().st_mtime_ns != mtime
    with np.load(directory / "model.npz") as npz:
        assert sorted(npz.files) == sorted(before)
        for key in npz.files:
            np.testing.assert_array_equal(npz[key], before[key], err_msg=key)
    history = read_history(directory / "history.csv")
    for column in ("epoch", "train_loss", "val_loss"):
        assert history[column] == history_before[column], column
    with np.load(directory / "codes.npz") as npz:
        for key in npz.files:
            np.testing.assert_array_equal(npz[key], codes_before[key], err_msg=key)


def _files(directory, names):
    return {name: (directory / name).read_bytes() for name in names}


def test_a_training_served_and_alone_writes_the_same_files(digits_run, tmp_path):
    # A local run trains in the warm job server (study.launch.run_in_server); --no-hooks, as a
    # cluster's job, in its own process. The model and codes are the same bytes, the history the
    # same but for its seconds, and either way the benchmark holds the job's own cost.
    directory = digits_run.path(f"{R}/digits/repr/mlp_latent2_tanh_noise0_seed0")
    benchmark = digits_run.path(f"{R}/benchmarks/digits/repr/mlp_latent2_tanh_noise0_seed0.tsv")
    target = f"{directory.relative_to(digits_run.workdir)}/model.npz"
    outputs = {}
    for how, options in (("served", []), ("alone", ["--no-hooks"])):
        ledger = tmp_path / f"{how}.tsv"
        ledger.touch()
        output = digits_run.run("--cores", "1", *options, "-f", target, env={"DIY_JOB_LEDGER": str(ledger)})
        assert job_counts(output.stdout + output.stderr) == {"train_autoencoder": 1}
        served = [line.split("\t")[0] for line in ledger.read_text().splitlines()]
        assert served == (["train_autoencoder"] if how == "served" else [])
        header, row = benchmark.read_text().splitlines()
        values = dict(zip(header.split("\t"), row.split("\t")))
        assert float(values["s"]) > 0 and float(values["cpu_time"]) > 0 and float(values["max_rss"]) > 10
        outputs[how] = _files(directory, ("model.npz", "codes.npz"))
        outputs[how]["history"] = [line.rsplit(",", 1)[0] for line in (directory / "history.csv").read_text().splitlines()]
    assert outputs["served"] == outputs["alone"]


def _dry_runs(run, schema, configs):
    """Dry runs of each config's training targets in `run`'s directory, side by side.

    Returns one ``({rule: count}, output)`` per config.
    """
    processes = []
    for i, config in enumerate(configs):
        configfile = run.configfile.parent / f"changed{i}.yaml"
        configfile.write_text(yaml.safe_dump(config))
        command = [sys.executable, "-m", "snakemake", "-s", os.path.join(REPO, "Snakefile"),
                   "-d", str(run.workdir), "--configfile", str(configfile), "-n", "--nolock",
                   *training_targets(config, schema)]
        processes.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          text=True))
    results = []
    for process in processes:
        output = process.communicate(timeout=300)[0]
        assert process.returncode == 0, output[-5000:]
        results.append((job_counts(output), output))
    return results


def test_changing_one_value_reruns_only_what_it_affects(digits_run, schema):
    unchanged, new_grid_value, noise_type, other_dataset, training, bce, mse = _dry_runs(digits_run, schema, [
        QUICK,
        {**QUICK, "grid": {**QUICK["grid"], "latent_dim": [2, 8, 4]}},
        {**QUICK, "noise_type": "masking"},
        {**QUICK, "training": {**QUICK["training"], "epochs": {"digits": QUICK["training"]["epochs"], "mnist": 3}},
         "families": {"mlp": {"hidden": {"digits": [48], "mnist": [32]}}}},
        {**QUICK, "training": {**QUICK["training"], "lr": 0.002}},
        {**QUICK, "training": {**QUICK["training"], "loss": "bce"}},
        {**QUICK, "training": {**QUICK["training"], "loss": "mse"}},
    ])
    assert unchanged[0] == {}  # nothing to do

    # One more grid value: only the new variants.
    counts, output = new_grid_value
    assert counts == {"train_autoencoder": 4}
    assert all("/mlp_latent4_" in path for path in planned_outputs(output, "train_autoencoder"))

    # The noise type: only the denoising variants (noise 0 never reads it).
    counts, output = noise_type
    assert counts == {"train_autoencoder": 4}
    assert all("_noise0.25_" in path for path in planned_outputs(output, "train_autoencoder"))

    # MNIST's epochs (digits' stay the same) and architecture: nothing on digits.
    assert other_dataset[0] == {}
    # A training value: every autoencoder, no classifier.
    assert training[0] == {"train_autoencoder": 8}
    # The default loss written out changes nothing; the other loss retrains every autoencoder.
    assert bce[0] == {}
    assert mse[0] == {"train_autoencoder": 8}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_failed_variants_fail_alone_leave_no_model_and_are_listed_by_the_summary(tmp_path, schema):
    # An absurd learning rate: the ReLU network overflows to nan in its first epoch; the tanh
    # one saturates with a finite loss but weights of ~1e15, which fit refuses as well at the
    # end of that epoch (diy.divergence: over 1e6 times the largest weight before training). 1e15, far past the overflow threshold, so that no machine's rounding decides it
    # (see tests/study/test_train_autoencoder.py).
    config = {**QUICK, "grid": {"family": ["mlp"], "latent_dim": [2], "activation": ["tanh", "relu"],
                                "noise": [0.0], "seed": [0]},
              "training": {**QUICK["training"], "lr": 1e15}}
    run = Run(tmp_path, config)
    result = run.run("--cores", "2", "--keep-going", *training_targets(config, schema), check=False)
    assert result.returncode != 0
    messages = {"relu": "digits/mlp_latent2_relu_noise0_seed0 diverged at epoch 1, batch ",
                "tanh": "digits/mlp_latent2_tanh_noise0_seed0 diverged at epoch 1: largest |parameter| = "}
    for activation, message in messages.items():
        name = f"mlp_latent2_{activation}_noise0_seed0"
        assert message in result.stderr
        assert message in run.path(f"{R}/logs/digits/repr/{name}.log").read_text()
        failed = run.path(f"{R}/digits/repr/{name}")
        assert not failed.exists() or list(failed.iterdir()) == []
        record = json.loads(run.path(f"{R}/digits/failed/{name}.json").read_text())
        assert record["variant"] == name and message in record["error"]
    assert "likely cause: the learning rate (lr = " in result.stderr
    # --keep-going: the rest is built.
    assert run.path(f"{R}/digits/clf/{CLASSIFIER}/metrics.json").exists()
    # The next run analyses what trained and says what did not.
    run.run("--cores", "2", f"{R}/tables/summary.md", "--omit-from", "train_autoencoder")
    summary = run.path(f"{R}/tables/summary.md").read_text()
    assert "## Variants whose training failed" in summary and "tanh_noise0_seed0 diverged at epoch 1" in summary
    # The tables leave them out; the default target names them, so it retrains them.
    plan = run.run("-n").stdout
    assert planned_outputs(plan, "train_autoencoder") == [
        f"{R}/digits/repr/mlp_latent2_{activation}_noise0_seed0/model.npz" for activation in ("relu", "tanh")]


@pytest.mark.skipif(not os.environ.get("DIY_MNIST_MIRROR"),
                    reason="DIY_MNIST_MIRROR is not set: no local MNIST mirror to train on")
def test_quick_config_on_a_subset_of_mnist(tmp_path, schema):
    config = {**QUICK, "datasets": ["mnist"], "data": {"mnist": {"mirrors": []}},
              "grid": {"family": ["mlp"], "latent_dim": [2], "activation": ["relu"], "noise": [0.0, 0.5],
                       "seed": [0]},
              "training": {**QUICK["training"], "epochs": 3, "max_train_samples": 3000},
              "classifiers": {**QUICK["classifiers"], "epochs": 3, "max_train_samples": 3000}}
    run = Run(tmp_path, config)
    mirror = os.path.abspath(os.environ["DIY_MNIST_MIRROR"])
    run.run("--cores", "2", *training_targets(config, schema), env={"DIY_MNIST_MIRROR": mirror})
    data = load_dataset(run.path("data/mnist.npz"))
    for name in ("mlp_latent2_relu_noise0_seed0", "mlp_latent2_relu_noise0.5_seed0"):
        check_autoencoder(run.path(f"{R}/mnist/repr/{name}"), data, 2)
        log = run.path(f"{R}/logs/mnist/repr/{name}.log").read_text()
        assert "trained on 3000 samples (validation 6000)" in log
    metrics = check_classifier(run.path(f"{R}/mnist/clf/{CLASSIFIER}"), data)
    assert metrics["test_accuracy"] > 0.8
