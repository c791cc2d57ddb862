"""Analyses, tables, figures and the report run by Snakemake on a tiny digits study.

One run (module-scoped, about a minute): the quick config (workflow/configs/quick.yaml) cut to
two autoencoder variants with small analysis settings, up to the tables, the summary and one
figure of each kind; the tests then check its files and re-run single targets.
"""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from study.results import read_npz
from study.tables import TABLES, VARIANT_COLUMNS

pytestmark = pytest.mark.slow

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VARIANTS = ["latent2_tanh_noise0_seed0", "latent2_tanh_noise0.25_seed0"]
ANALYSES = list(TABLES)
TABLE_NAMES = ANALYSES + ["classifiers"]
FIGURES = ["learning_curves", "classifier_curves", "reconstructions", "tsne", "denoising",
           "kmeans_accuracy_vs_latent", "denoising_psnr_heatmap"]
TARGETS = ([f"results/tables/{t}.{ext}" for t in TABLE_NAMES for ext in ("csv", "md", "html")]
           + ["results/tables/summary.md", "results/tables/summary.html"]
           + [f"results/figures/digits_{f}.png" for f in FIGURES])
ANALYSIS = {
    "seed": 0,
    "examples": 4,
    "kmeans": {"n_init": 2},
    "tsne": {"size": 80, "perplexity": 10, "max_iter": 250},
    "denoising": {"kinds": ["gaussian", "masking"], "levels": [0.25, 0.5]},
    "classification": {"logistic_max_iter": 200, "mlp": {"hidden": [16], "epochs": 5, "patience": 2}},
}


class Study:
    """A working directory with its config, and `run(*args)` of Snakemake in it."""

    def __init__(self, root):
        self.workdir = root / "work"
        self.workdir.mkdir()
        config = yaml.safe_load(open(os.path.join(REPO, "workflow", "configs", "quick.yaml")))
        config.update(datasets=["digits"], analysis=ANALYSIS,
                      grid={"latent_dim": [2], "activation": ["tanh"], "noise": [0.0, 0.25], "seed": [0]})
        self.configfile = root / "config.yaml"
        self.configfile.write_text(yaml.safe_dump(config))

    def run(self, *args, check=True):
        command = [sys.executable, "-m", "snakemake", "-s", os.path.join(REPO, "Snakefile"),
                   "-d", str(self.workdir), "--configfile", str(self.configfile), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if check:
            assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
        return result

    def path(self, relative):
        return self.workdir / relative


def job_counts(output):
    """``{rule: count}`` from Snakemake's "Job stats" table."""
    lines = output.split("Job stats:")[1].splitlines()
    counts = {}
    for line in lines[3:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        counts[parts[0]] = int(parts[1])
    return counts


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    study = Study(tmp_path_factory.mktemp("analysis"))
    study.run("--cores", "2", *TARGETS)
    return study


def test_every_analysis_of_every_variant_and_baseline_is_a_json_document(study):
    for analysis in ANALYSES:
        for variant in VARIANTS:
            doc = json.loads(study.path(f"results/digits/{analysis}/{variant}.json").read_text())
            assert (doc["analysis"], doc["dataset"], doc["variant"], doc["latent_dim"], doc["activation"]) == (
                analysis, "digits", variant, 2, "tanh")
            assert doc["noise"] in (0.0, 0.25) and doc["seed"] == 0 and doc["rows"]
            assert doc["params"]  # the settings it was computed with
            assert study.path(f"logs/digits/{analysis}/{variant}.log").exists()
            assert study.path(f"benchmarks/digits/{analysis}/{variant}.tsv").exists()
    kmeans = json.loads(study.path(f"results/digits/kmeans/{VARIANTS[0]}.json").read_text())
    assert kmeans["params"] == {"n_init": 2, "seed": 0}
    tsne = json.loads(study.path(f"results/digits/tsne/{VARIANTS[0]}.json").read_text())
    assert tsne["rows"][0]["n_samples"] == 80
    baselines = {path.name for path in study.path("results/digits/baselines").iterdir()}
    assert {"kmeans_pixels.json", "kmeans_pca2.json", "tsne_pixels.json", "tsne_pixels.npz",
            "denoising_noisy.json", "denoising_pca2.npz", "reconstruction_pca2.npz",
            "classification_pixels.json", "classification_pca2.json"} <= baselines
    tsne_map = read_npz(study.path(f"results/digits/tsne/{VARIANTS[1]}.npz"))
    assert tsne_map["map"].shape == (80, 2)


def test_tables_have_the_variant_columns_and_one_row_per_variant(study):
    for name in ANALYSES:
        table = pd.read_csv(study.path(f"results/tables/{name}.csv"))
        assert list(table.columns[:6]) == VARIANT_COLUMNS
        variants = table[table["variant"].notna()]
        per_variant = variants.groupby("variant").size()
        assert sorted(per_variant.index) == sorted(VARIANTS)
        assert per_variant.nunique() == 1  # as many rows for each variant
        assert table["variant"].isna().any()  # and the baselines
        markdown = study.path(f"results/tables/{name}.md").read_text().splitlines()
        assert markdown[0].startswith("| dataset | latent_dim | activation | noise | seed | variant |")
        assert len(markdown) == len(table) + 2
    denoising = pd.read_csv(study.path("results/tables/denoising.csv"))
    assert len(denoising[denoising["variant"] == VARIANTS[0]]) == 4  # 2 kinds x 2 levels
    classifiers = pd.read_csv(study.path("results/tables/classifiers.csv"))
    assert list(classifiers.columns[:6]) == VARIANT_COLUMNS and len(classifiers) == 1
    summary = study.path("results/tables/summary.md").read_text()
    assert "## Autoencoder vs PCA at each latent size" in summary and VARIANTS[0] in summary


def test_figures_are_non_empty_pngs(study):
    for name in FIGURES:
        data = study.path(f"results/figures/digits_{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name


def test_nothing_to_redo_and_one_analysis_reruns_alone(study):
    assert "Nothing to be done" in study.run("-n", *TARGETS).stdout
    target = f"results/digits/kmeans/{VARIANTS[1]}.json"
    model = study.path(f"results/digits/ae/{VARIANTS[1]}/model.npz")
    before = {"model": model.stat().st_mtime_ns, "json": study.path(target).read_text()}
    dry = study.run("-n", "-f", target).stdout
    assert job_counts(dry) == {"kmeans": 1}
    study.run("--cores", "1", "-f", target)
    assert model.stat().st_mtime_ns == before["model"]  # not retrained
    assert study.path(target).read_text() == before["json"]  # and seeded: the same numbers


def test_changing_an_analysis_setting_reruns_that_analysis_only(study):
    out = study.run("-n", *TARGETS, "--config", "analysis={classification: {knn_k: 3}}").stdout
    counts = job_counts(out)
    # Classification of both variants and its baselines (pixels, pca2), then what reads its table.
    assert counts["classification"] == 2 and counts["classification_baseline"] == 2
    assert not {"train_autoencoder", "train_classifier", "tsne", "tsne_baseline", "kmeans",
                "reconstruction", "denoising"} & set(counts)
    assert counts["table"] == 1 and counts["summary"] == 1


def test_report_builds(study):
    study.run("--report", "report.html", *TARGETS)
    report = study.path("report.html")
    assert report.stat().st_size > 100_000
    text = report.read_text()
    assert "digits_tsne.png" in text and "summary.html" in text
