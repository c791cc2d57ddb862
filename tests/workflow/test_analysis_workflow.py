"""Analyses, tables, figures and the report run by Snakemake on a tiny digits study.

One run (module-scoped, about a minute): the quick config (workflow/configs/quick.yaml) cut to
two autoencoder variants with small analysis settings, up to the tables, the summary and one
figure of each kind; the tests then check its files and re-run single targets. A second run adds
an analysis from a module of its own (config ``extensions``), as a user would.
"""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from repository import REPO
from snakemake_runs import Run, job_counts
from study.results import read_npz
from study.tables import COLUMNS

pytestmark = pytest.mark.slow

R = "results/quick"
VARIANTS = ["mlp_latent2_tanh_noise0_seed0", "mlp_latent2_tanh_noise0.25_seed0"]
# The analyses a study runs by default (config.yaml's `analyses:`), not every registered one:
# the costly clustering analyses join through a study config.
ANALYSES = yaml.safe_load(open(os.path.join(REPO, "config.yaml")))["analyses"]
TABLE_NAMES = ANALYSES + ["classifiers"]
FIGURES = ["learning_curves", "classifier_curves", "reconstructions", "tsne", "codes2d", "denoising",
           "inpainting", "kmeans_accuracy_vs_latent", "denoising_psnr_heatmap"]
TARGETS = ([f"{R}/tables/{t}.{ext}" for t in TABLE_NAMES for ext in ("csv", "md", "html")]
           + [f"{R}/tables/{t}_{f}" for t in ANALYSES for f in ("configurations.csv", "pivots.md")]
           + [f"{R}/tables/summary.md", f"{R}/tables/summary.html"]
           + [f"{R}/figures/digits_{f}.png" for f in FIGURES])
ANALYSIS = {
    "seed": 0,
    "examples": 4,
    "kmeans": {"n_init": 2},
    "tsne": {"size": 80, "perplexity": 10, "max_iter": 250},
    "denoising": {"kinds": ["gaussian", "masking"], "levels": [0.25, 0.5]},
    "classification": {"logistic_max_iter": 200, "mlp": {"hidden": [16], "epochs": 5, "patience": 2}},
    "inpainting": {"masks": ["lower_half", "square"]},
    "probe": {"labels_per_class": [1, 10, "all"], "draws": 2, "C": [0.1, 1], "logistic_max_iter": 200},
    "retrieval": {"queries": 100},
    "interpolation": {"pairs": 20},
}


def study_config():
    """The quick config cut to two digits autoencoders and small analysis settings."""
    config = yaml.safe_load(open(os.path.join(REPO, "workflow", "configs", "quick.yaml")))
    config.update(datasets=["digits"], analysis=ANALYSIS,
                  grid={"family": ["mlp"], "latent_dim": [2], "activation": ["tanh"],
                        "noise": [0.0, 0.25], "seed": [0]})
    return config


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    study = Run(tmp_path_factory.mktemp("analysis"), study_config())
    study.run("--cores", "2", *TARGETS)
    return study


def test_every_analysis_of_every_representation_is_a_json_document(study):
    for analysis in ANALYSES:
        for variant in VARIANTS:
            doc = json.loads(study.path(f"{R}/digits/{analysis}/{variant}.json").read_text())
            assert (doc["analysis"], doc["dataset"], doc["representation"], doc["method"], doc["family"],
                    doc["latent_dim"], doc["activation"]) == (
                analysis, "digits", variant, "autoencoder", "mlp", 2, "tanh")
            assert doc["noise"] in (0.0, 0.25) and doc["seed"] == 0 and doc["rows"]
            assert doc["params"]  # the settings it was computed with
            assert study.path(f"{R}/logs/digits/{analysis}/{variant}.log").exists()
            assert study.path(f"{R}/benchmarks/digits/{analysis}/{variant}.tsv").exists()
    kmeans = json.loads(study.path(f"{R}/digits/kmeans/{VARIANTS[0]}.json").read_text())
    assert kmeans["params"] == {"n_init": 2, "seed": 0, "resamples": 1000, "confidence": 0.95}
    assert [row["split"] for row in kmeans["rows"]] == ["val", "val", "test", "test"]
    tsne = json.loads(study.path(f"{R}/digits/tsne/{VARIANTS[0]}.json").read_text())
    assert tsne["rows"][0]["n_samples"] == 80
    # Every representation is written once per dataset, in one form; baselines are documents
    # of the analysis like any other.
    assert sorted(p.name for p in study.path(f"{R}/digits/repr").iterdir()) == sorted(
        [*VARIANTS, "pca2", "pixels"])
    for name in ["pixels", "pca2", *VARIANTS]:
        assert study.path(f"{R}/digits/repr/{name}/codes.npz").exists()
    for document in ["kmeans/pixels", "kmeans/pca2", "tsne/pixels", "denoising/noisy", "denoising/pca2",
                     "reconstruction/pca2", "classification/pixels", "inpainting/mean", "inpainting/pca2"]:
        assert study.path(f"{R}/digits/{document}.json").exists(), document
    assert not study.path(f"{R}/digits/reconstruction/pixels.json").exists()
    tsne_map = read_npz(study.path(f"{R}/digits/tsne/{VARIANTS[1]}.npz"))
    assert tsne_map["map"].shape == (80, 2) and tsne_map["codes"].shape == (80, 2)


def test_tables_have_the_variant_columns_and_one_row_per_variant(study):
    for name in ANALYSES:
        table = pd.read_csv(study.path(f"{R}/tables/{name}.csv"))
        assert list(table.columns[:len(COLUMNS)]) == COLUMNS
        variants = table[table["method"] == "autoencoder"]
        per_variant = variants.groupby("representation").size()
        assert sorted(per_variant.index) == sorted(VARIANTS)
        assert per_variant.nunique() == 1  # as many rows for each variant
        assert (table["method"] != "autoencoder").any()  # and the baselines
        markdown = study.path(f"{R}/tables/{name}.md").read_text().splitlines()
        assert [cell.strip() for cell in markdown[0].strip("|").split("|")][:len(COLUMNS)] == COLUMNS
        assert len(markdown) == len(table) + 2
    denoising = pd.read_csv(study.path(f"{R}/tables/denoising.csv"))
    assert len(denoising[denoising["representation"] == VARIANTS[0]]) == 8  # 2 splits x 2 kinds x 2 levels
    classifiers = pd.read_csv(study.path(f"{R}/tables/classifiers.csv"))
    assert list(classifiers.columns[:2]) == ["dataset", "variant"] and len(classifiers) == 1
    summary = study.path(f"{R}/tables/summary.md").read_text()
    assert "## Autoencoder vs PCA at each latent size" in summary and "mlp_latent2_tanh_noise0 " in summary
    # One seed and no confirmation: every primary question stays undecided, and says why.
    assert summary.index("## Answers to the primary questions") < summary.index("## Autoencoder vs PCA")
    verdicts = pd.read_csv(study.path(f"{R}/tables/verdicts.csv"))
    assert len(verdicts) and (verdicts["verdict"] == "undecided").all() and (verdicts["seeds"] <= 1).all()


def test_tables_over_seeds_have_one_row_per_configuration(study):
    for name in ANALYSES:
        table = pd.read_csv(study.path(f"{R}/tables/{name}.csv"))
        configurations = pd.read_csv(study.path(f"{R}/tables/{name}_configurations.csv"))
        # One seed: as many configurations as representations, each of one seed.
        assert len(configurations) == len(table) and (configurations["n_seeds"] == 1).all()
        assert set(configurations["split"]) == {"val", "test"}
        assert "mlp_latent2_tanh_noise0.25" in set(configurations["configuration"])
    pivots = study.path(f"{R}/tables/kmeans_pivots.md").read_text()
    assert "### digits, mlp, tanh" in pivots and "| noise 0.25" in pivots and "(n=1)" in pivots


def test_figures_are_non_empty_pngs(study):
    for name in FIGURES:
        data = study.path(f"{R}/figures/digits_{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name


def test_nothing_to_redo_and_one_analysis_reruns_alone(study):
    assert "Nothing to be done" in study.run("-n", *TARGETS).stdout
    target = f"{R}/digits/kmeans/{VARIANTS[1]}.json"
    model = study.path(f"{R}/digits/repr/{VARIANTS[1]}/model.npz")
    before = {"model": model.stat().st_mtime_ns, "json": study.path(target).read_text()}
    dry = study.run("-n", "-f", target).stdout
    assert job_counts(dry) == {"analysis": 1}
    study.run("--cores", "1", "-f", target)
    assert model.stat().st_mtime_ns == before["model"]  # not retrained
    assert study.path(target).read_text() == before["json"]  # and seeded: the same numbers


def test_an_analysis_runs_by_hand_as_its_job_does(study, tmp_path):
    """The rule's command, typed by hand with the settings the job recorded: the same rows."""
    written = json.loads(study.path(f"{R}/digits/kmeans/{VARIANTS[0]}.json").read_text())
    representation = f"{R}/digits/repr/{VARIANTS[0]}"

    def job(*inputs, out):
        return subprocess.run([sys.executable, "-m", "study.analysis_job", "digits", "kmeans", VARIANTS[0],
                               *inputs, "--json", str(out.with_suffix(".json")), "--arrays",
                               str(out.with_suffix(".npz")), "--log", str(out.with_suffix(".log")),
                               "--settings", json.dumps(written["params"])],
                              cwd=study.workdir, timeout=120, capture_output=True, text=True)

    done = job("data/digits.npz", f"{representation}/codes.npz", f"{representation}/model.npz", out=tmp_path / "k")
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "k.json").read_text())["rows"] == written["rows"]
    # Without the model that checks the codes: refused, the log says what k-means reads.
    failed = job("data/digits.npz", f"{representation}/codes.npz", out=tmp_path / "x")
    assert failed.returncode != 0 and not (tmp_path / "x.json").exists()
    assert "kmeans of mlp_latent2_tanh_noise0_seed0 reads data, codes, model" in (tmp_path / "x.log").read_text()


def test_changing_an_analysis_setting_reruns_that_analysis_only(study):
    out = study.run("-n", *TARGETS, "--config", "analysis={classification: {knn_k: 3}}").stdout
    counts = job_counts(out)
    # Classification of both variants and its baselines (pixels, pca2), and the probe, whose k-NN
    # is classification's (its knn_k), then what reads their tables, and the plan of the primary
    # questions (k-NN accuracy is one), which lists every document it reads.
    assert counts["analysis"] == 8 and counts["confirm_plan"] == 1
    rerun = re.findall(r"^\s*output: (\S+)", out, flags=re.M)
    assert f"{R}/digits/classification/pixels.json," in rerun and f"{R}/digits/probe/pixels.json," in rerun
    assert not [path for path in rerun if "/kmeans/" in path]
    assert not {"train_autoencoder", "train_classifier", "pca", "pixels"} & set(counts)
    assert counts["table"] == 2 and counts["summary"] == 1


def test_a_deleted_result_is_rebuilt_by_a_plain_run(study):
    study.run("--cores", "2")  # the default target: the figures TARGETS leaves out too
    tables = sorted(study.path(f"{R}/tables").glob("*.[cm][sd]*"))  # .csv and .md
    before = {path.name: path.read_text() for path in tables}
    variant = study.path(f"{R}/digits/repr/{VARIANTS[1]}")
    for path in variant.iterdir():
        path.unlink()
    variant.rmdir()
    study.path(f"{R}/digits/kmeans/pca2.json").unlink()
    dry = study.run("-n")
    output = dry.stdout + dry.stderr
    assert "4 files the tables and figures were built from are missing" in output
    assert f"{R}/digits/kmeans/pca2.json" in output and f"{R}/digits/repr/{VARIANTS[1]}/model.npz" in output
    counts = job_counts(output)
    # The variant and its analyses, the deleted analysis, and what reads them; nothing else trains.
    assert counts["train_autoencoder"] == 1 and counts["analysis"] == len(ANALYSES) + 1
    assert not {"train_classifier", "pca", "pixels"} & set(counts)
    study.run("--cores", "2")
    assert study.path(f"{R}/digits/kmeans/pca2.json").exists() and (variant / "codes.npz").exists()
    assert {path.name: path.read_text() for path in tables} == before  # retrained bit for bit
    assert "Nothing to be done" in study.run("-n").stdout


def test_report_builds(study):
    study.run("--report", "report.html", *TARGETS)
    report = study.path("report.html")
    assert report.stat().st_size > 100_000
    text = report.read_text()
    assert "digits_tsne.png" in text and "summary.html" in text and "digits_inpainting.png" in text


EXTRA = """\
\"\"\"A user's own analysis: the mean Euclidean norm of the test codes, and a clustering by
their first coordinate's quantiles, compared with k-means in the summary.\"\"\"
import numpy as np

from study.analyses import Analysis, Metric


def run(data, source, settings):
    Z, y = source.codes["Z_test"], data["y_test"]
    norm = np.linalg.norm(Z, axis=1).mean()
    # Clusters: the quantile bins of the first coordinate; accuracy: each bin's majority label.
    edges = np.quantile(Z[:, 0], np.linspace(0, 1, 11)[1:-1])
    clusters = np.searchsorted(edges, Z[:, 0])
    right = sum(np.bincount(y[clusters == c]).max() for c in np.unique(clusters))
    return [{"mean_norm": float(norm) * settings["scale"], "bin_accuracy": right / len(y)}], {}


def check(section, dataset, sizes, n_classes):
    if section["scale"] > sizes["test"]:
        return [f"analysis.codenorm.scale = {section['scale']:g}: above the {sizes['test']} test images of {dataset}"]
    return []


ANALYSIS = Analysis("codenorm", reads="codes", run=run,
                    settings=lambda config: {"scale": config["analysis"]["codenorm"]["scale"]},
                    baselines=("pca",),
                    metrics={"code_norm": Metric("mean_norm", "mean code norm"),
                             "bin_accuracy": Metric("bin_accuracy", "quantile-bin accuracy", unit_interval=True)},
                    schema={"scale": {"type": "number"}}, category="8. Code norm",
                    caption="The mean norm of the test codes.", versus_kmeans="bin_accuracy", check=check)
"""


def test_an_analysis_from_a_module_of_its_own_runs_through_the_workflow(study, tmp_path):
    (tmp_path / "codenorm_analysis.py").write_text(EXTRA)
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    extra = ["--config", "extensions=[codenorm_analysis]", "analysis={codenorm: {scale: 2.0}}",
             f"analyses=[{', '.join(ANALYSES)}, codenorm]"]
    targets = [f"{R}/tables/codenorm.csv", f"{R}/tables/summary.md",
               f"{R}/figures/digits_code_norm_vs_latent.png"]
    result = study.run("--cores", "2", *targets, *extra, env=env)
    assert job_counts(result.stdout + result.stderr)["analysis"] == 3  # two variants and PCA, nothing retrained
    table = pd.read_csv(study.path(f"{R}/tables/codenorm.csv"))
    table = table[table["split"] == "test"]
    assert sorted(table["representation"]) == sorted([*VARIANTS, "pca2"])
    codes = np.load(study.path(f"{R}/digits/repr/{VARIANTS[0]}/codes.npz"))["Z_test"]
    expected = 2.0 * np.linalg.norm(codes, axis=1).mean()
    assert table.loc[table["representation"] == VARIANTS[0], "mean_norm"].item() == pytest.approx(expected)
    summary = study.path(f"{R}/tables/summary.md").read_text()
    assert "mean code norm" in summary
    # Declared versus_kmeans: it joins the summary's section against k-means, with no summary code.
    clusterings = summary.split("Clustering methods against k-means on the same codes")[1]
    assert "codenorm" in clusterings or "quantile-bin accuracy" in clusterings
    # Its declared check runs on the config, before any job, and names the key.
    result = study.run("-n", "--config", "extensions=[codenorm_analysis]", "analysis={codenorm: {scale: 100000}}",
                       f"analyses=[{', '.join(ANALYSES)}, codenorm]", env=env, check=False)
    assert result.returncode != 0
    assert "analysis.codenorm.scale = 100000: above the 359 test images of digits" in result.stdout + result.stderr
    # Without the extension, the analysis name is unknown: a config error before any job.
    result = study.run("-n", "--config", "analysis={codenorm: {scale: 2.0}}", check=False)
    assert result.returncode != 0 and "analysis.codenorm: unknown key" in result.stdout + result.stderr
