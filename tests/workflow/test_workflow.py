"""The workflow run by Snakemake in a temporary directory: dry run, lint, config errors, datasets.

The real-MNIST test needs DIY_MNIST_MIRROR (set by .ci/run to ../shared/data/mnist).
"""
import os

import numpy as np
import pytest

from repository import REPO
from study.data.dataset import load_dataset

pytestmark = pytest.mark.slow

MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _files_under(path):
    return sorted(p.relative_to(path) for p in path.rglob("*")) if path.exists() else []


def test_dry_run_of_the_default_config_writes_nothing_into_the_repository(snakemake, repo_root):
    before = {d: _files_under(repo_root / d) for d in ("data", "results", "logs")}
    out = _ok(snakemake("-n", "--cores", "1")).stdout
    for rule in ("download", "prepare_dataset", "train_autoencoder", "pca", "pixels", "analysis",
                 "table", "summary", "all"):
        assert f"rule {rule}:" in out
    assert "data/digits.npz" in out and "data/mnist.npz" in out
    assert {d: _files_under(repo_root / d) for d in before} == before
    assert not (snakemake.workdir / "data").exists()


def test_lint_prints_no_lints(snakemake):
    result = _ok(snakemake("--lint"))
    assert "Lints for" not in result.stdout + result.stderr
    assert "Congratulations" in result.stdout + result.stderr


@pytest.mark.parametrize("override, key", [
    (["--config", 'grid={"latent_dim": [0]}'], "config: grid.latent_dim[0] = 0: must be >= 1"),
    (["--config", "datasets=[digits, cifar]"], "config: datasets[1] = 'cifar': must be one of"),
    (["--config", "training={lr: .nan}"], "config: training.lr = '.nan': must be a number"),
    (["--config", "training={epochs: {digits: 5}}", "datasets=[digits, mnist]",
      "classifiers={epochs: {digits: 3}}"], None),
    (["--config", "training={lr: fast}"], "config: training.lr = 'fast': must be a number"),
])
def test_bad_command_line_config_fails_before_any_job(snakemake, override, key):
    result = snakemake("-n", *override)
    if key is None:  # a per-dataset mapping merged over config.yaml's keeps mnist's value
        assert result.returncode == 0, result.stdout + result.stderr
        return
    assert result.returncode != 0
    assert key in result.stdout + result.stderr
    assert "Building DAG" not in result.stdout + result.stderr


def test_bad_configfile_fails_naming_the_key(snakemake, defaults):
    config = {**defaults, "grid": {**defaults["grid"], "noise": [0.0, 1.5]}}
    result = snakemake("-n", config=config)
    assert result.returncode != 0
    assert "config: grid.noise[1] = 1.5: must be in [0, 1]" in result.stdout + result.stderr
    # NaN passes every range check (comparisons with it are false): refused as not finite.
    result = snakemake("-n", config={"training": {"lr": float("nan")}})
    assert result.returncode != 0
    assert "config: training.lr = nan: must be a finite number" in result.stdout + result.stderr


R = "results/digits"


@pytest.mark.parametrize("target, message", [
    (f"{R}/repr/mlp_latent8_tanh_noise2_seed0/model.npz",
     f"noise 2 in {R}/repr/mlp_latent8_tanh_noise2_seed0/: must be in [0, 1] (config key grid.noise's schema)"),
    (f"{R}/kmeans/mlp_latent8_gelu_noise0_seed0.json",
     f"activation 'gelu' in {R}/kmeans/mlp_latent8_gelu_noise0_seed0.json: must be one of tanh, relu, sigmoid"),
    (f"{R}/clf/hidden64_relu_dropout1_seed0/metrics.json", "dropout 1 in "),
    (f"{R}/tsnee/pixels.json", f"analysis 'tsnee' in {R}/tsnee/pixels.json: must be one of "),
    ("results/cifar/kmeans/pixels.json", "dataset 'cifar' in results/cifar/kmeans/pixels.json: must be one of "),
    ("results/mnist/repr/pca8/codes.npz", "dataset 'mnist' in results/mnist/repr/pca8/: not one of this study's"),
    # Names no rule's pattern reads: named, not "No rule to produce" them.
    (f"{R}/repr/vae_latent8_tanh_beta-1_seed0/model.npz", "beta '-1' in 'vae_latent8_tanh_beta-1_seed0': must be"),
    (f"{R}/repr/vae_latent8_tanh_betanan_seed0/model.npz", "beta 'nan' in 'vae_latent8_tanh_betanan_seed0': must be"),
    (f"{R}/repr/vqvae_latent8_tanh_beta1_seed0/model.npz", "family 'vqvae' in 'vqvae_latent8_tanh_beta1_seed0': must be"),
    # Nothing is written outside the working directory, nor through a '..'.
    ("../escaped_results/digits/kmeans/pixels.json", "../escaped_results/digits/kmeans/pixels.json: outside the working"),
    ("results/quick/../digits/kmeans/pixels.json", "write it as results/digits/kmeans/pixels.json"),
])
def test_a_target_outside_the_schema_fails_before_any_job_naming_the_part(snakemake, target, message):
    result = snakemake("-n", target, config={"datasets": ["digits"]})  # -n first: --configfile takes what follows
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert "Job stats" not in result.stdout + result.stderr


@pytest.mark.parametrize("results, message", [
    ("../escaped_results", "config: results = '../escaped_results': outside the working directory"),
    ("results/quick/..", "config: results = 'results/quick/..': write it as 'results'"),
])
def test_a_results_directory_outside_or_of_another_study_fails_before_any_job(snakemake, results, message):
    result = snakemake("-n", config={"datasets": ["digits"], "results": results})
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert "Job stats" not in result.stdout + result.stderr


def test_a_study_config_pointed_at_another_studys_results_fails_before_any_job(snakemake):
    # The quick study told to write into the default study's results.
    result = snakemake("-n", "--configfile", str(REPO / "workflow" / "configs" / "quick.yaml"),
                       "--config", "results=results")
    assert result.returncode != 0
    assert "config: results = 'results': the results directory of the default study" in result.stdout + result.stderr
    assert "Job stats" not in result.stdout + result.stderr


def test_a_target_in_the_schema_but_outside_the_grid_is_planned(snakemake):
    result = _ok(snakemake("-n", f"{R}/dec/mlp_latent3_sigmoid_noise0.1_seed7.json", config={"datasets": ["digits"]}))
    assert "wildcards: dataset=digits, variant=mlp_latent3_sigmoid_noise0.1_seed7" in result.stdout


def test_command_line_override_of_one_list(snakemake):
    # YAML reads 1e-3 as a string: it must be accepted as the number.
    out = _ok(snakemake("-n", "--config", "datasets=[digits]", "training={lr: 1e-3}")).stdout
    assert "rule prepare_dataset:" in out and "data/digits.npz" in out
    assert "rule download:" not in out and "data/mnist.npz" not in out


def test_digits_dataset_built_by_the_workflow(snakemake):
    # The dataset only: the default target would train and analyse the whole grid.
    _ok(snakemake("--cores", "1", "data/digits.npz", config={"datasets": ["digits"]}))
    data = load_dataset(snakemake.workdir / "data" / "digits.npz")
    assert sum(len(data[f"y_{s}"]) for s in ("train", "val", "test")) == 1797
    assert "wrote data/digits.npz" in (snakemake.workdir / "logs/data/digits.log").read_text()


def test_failed_download_leaves_no_file_and_says_why_in_the_log(snakemake, tmp_path):
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    config = {"datasets": ["mnist"], "data": {"mnist": {"mirrors": [], "retries": 0}}}
    result = snakemake("--cores", "1", "data/mnist.npz", config=config, env={"DIY_MNIST_MIRROR": str(empty)})
    assert result.returncode != 0
    logs = sorted((snakemake.workdir / "logs/data/mnist").glob("*.log"))  # the job(s) that ran
    assert logs
    for log in logs:
        name = log.name.removesuffix(".log")
        assert f"{empty}: not found (tried {empty}/{name}.gz" in log.read_text()
        assert "DIY_MNIST_MIRROR=/path/to/dir" in log.read_text()
    assert [p for p in (snakemake.workdir / "data").rglob("*") if p.is_file()] == []


@pytest.mark.skipif(not os.environ.get("DIY_MNIST_MIRROR"),
                    reason="DIY_MNIST_MIRROR is not set: no local MNIST mirror to test the download on")
def test_real_mnist_downloaded_verified_and_split(snakemake):
    # No configured mirror: the run must use DIY_MNIST_MIRROR and reach no network.
    config = {"datasets": ["mnist"], "data": {"mnist": {"mirrors": []}}}
    mirror = os.path.abspath(os.environ["DIY_MNIST_MIRROR"])
    _ok(snakemake("--cores", "2", "data/mnist.npz", config=config, env={"DIY_MNIST_MIRROR": mirror}))
    data = load_dataset(snakemake.workdir / "data" / "mnist.npz")
    assert len(data["y_train"]) + len(data["y_val"]) == 60000 and len(data["y_test"]) == 10000
    assert len(data["y_val"]) == 6000
    np.testing.assert_array_equal(np.bincount(data["y_test"]), MNIST_TEST_COUNTS)
    np.testing.assert_array_equal(
        np.bincount(data["y_train"]) + np.bincount(data["y_val"]), MNIST_TRAIN_COUNTS
    )
    np.testing.assert_array_equal(data["image_shape"], [28, 28])
    assert data["X_test"].dtype == np.float32 and data["X_test"].max() == 1.0
    logs = sorted((snakemake.workdir / "logs/data/mnist").glob("*.log"))
    assert len(logs) == 4 and all("SHA-256 verified" in log.read_text() for log in logs)
