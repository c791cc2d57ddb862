"""A handful of the quoted numbers re-derived in seconds: PCA's rows of the digits table of the
full run (docs/results.md) and the README's k-means on raw pixels. They depend on scikit-learn's PCA and k-means and on NumPy, so a version
that moves them fails here, loudly, instead of silently changing the study's answers."""
import re

import pytest

from repository import REPO
from study.analyses.kmeans import cluster, fit_whitening, whiten
from study.analyses.reconstruction import reconstruction_metrics
from study.datasets import DATASETS
from study.pca import pca_representation
from study.representations import reconstruct
from study.statistics import format_number

README = (REPO / "README.md").read_text()
# The autoencoder-vs-PCA table of the full run (tools/results_page.py's section).
RESULTS = (REPO / "docs" / "results.md").read_text()


def quoted_pca(dataset):
    """PCA's test numbers in the full run's autoencoder-vs-PCA table: {(latent, metric): text}."""
    cells = lambda line: [cell.strip() for cell in line.strip("|").split("|")]
    section = RESULTS[RESULTS.index("## The default study at "):]
    header = next(cells(line) for line in section.splitlines()
                  if line.startswith("| dataset") and "PCA test" in cells(line))
    numbers = {}
    for line in section[:section.index("\n## ")].splitlines():
        row = dict(zip(header, cells(line)))
        if len(cells(line)) == len(header) and row["dataset"] == dataset and row["latent"].isdigit():
            numbers[int(row["latent"]), row["metric"]] = row["PCA test"]
    return numbers


@pytest.fixture(scope="module")
def digits():
    # The default config's digits: 20% test, 10% of the rest for validation, seed 0.
    return DATASETS["digits"].build(None, {"test_fraction": 0.2}, {"seed": 0, "validation_fraction": 0.1})


# The run of docs/results.md's table had 10 k-means restarts; the study now has 100.
KMEANS = {"n_init": 10, "seed": 0, "resamples": 100, "confidence": 0.95}


@pytest.mark.parametrize("latent_dim", [2, 8, 16, 32])
def test_pca_rows_of_the_digits_table(digits, latent_dim):
    quoted = quoted_pca("digits")
    model, codes = pca_representation(digits, latent_dim, seed=0)
    error = reconstruction_metrics(digits["X_test"], reconstruct(model, digits["X_test"]))
    assert format_number(error["squared_error_per_image"], "error") == quoted[latent_dim, "squared error/image"]
    y = digits["y_test"]
    assert format_number(cluster(codes["Z_test"], y, KMEANS)["accuracy"], "accuracy") == quoted[latent_dim, "k-means acc."]
    whitened = whiten(codes["Z_test"], fit_whitening(codes["Z_train"]))
    assert (format_number(cluster(whitened, y, KMEANS)["accuracy"], "accuracy")
            == quoted[latent_dim, "whitened k-means acc."])


def test_kmeans_on_raw_digits_pixels(digits):
    quoted = re.search(r"k-means on raw pixels: ([0-9.]+)", README).group(1)
    settings = {**KMEANS, "n_init": 100}  # the quick study's figure, at the default restarts
    assert format_number(cluster(digits["X_test"], digits["y_test"], settings)["accuracy"], "accuracy") == quoted
