"""k-means on codes, raw and whitened, scored against the labels."""
import numpy as np
import pytest
from sklearn.datasets import make_blobs

from study.analyses import ANALYSES
from diy.assignment import matched_correctly
from study.analyses.kmeans import (accuracy_interval, cluster, cluster_scores, fit_whitening, kmeans_labels, run,
                                   whiten)
from study.bootstrap import bootstrap_interval
from study.metrics import clustering_accuracy

#: ``cluster``'s settings: k-means restarts and seed, and a short bootstrap.
SETTINGS = {"n_init": 3, "seed": 0, "resamples": 200, "confidence": 0.95}
KEYS = {"preprocessing", "accuracy", "accuracy_low", "accuracy_high", "nmi", "ari"}


def blobs(seed=0):
    Z, y = make_blobs(n_samples=300, centers=4, n_features=5, cluster_std=0.5, center_box=(-50, 50),
                      random_state=seed)
    return Z.astype(np.float32), y


def test_well_separated_blobs_are_clustered_perfectly():
    Z, y = blobs()
    assert cluster(Z, y, SETTINGS) == pytest.approx({"accuracy": 1.0, "accuracy_low": 1.0, "accuracy_high": 1.0,
                                                     "nmi": 1.0, "ari": 1.0})


def test_the_accuracy_interval_is_a_bootstrap_over_the_samples_with_the_clusters_fixed():
    # Overlapping blobs: some samples go to the wrong cluster, so the accuracy has a spread.
    Z, y = make_blobs(n_samples=300, centers=3, n_features=2, cluster_std=2.5, random_state=1)
    scores = cluster(Z, y, SETTINGS)
    assert list(scores) == ["accuracy", "accuracy_low", "accuracy_high", "nmi", "ari"]
    clusters = kmeans_labels(Z, 3, SETTINGS["n_init"], SETTINGS["seed"])
    assert scores["accuracy"] == clustering_accuracy(y, clusters) < 1
    # The mean over the resamples of who the full sample's matching gets right, the same
    # resamples as any bootstrap of that seed.
    expected = bootstrap_interval(matched_correctly(y, clusters), n_resamples=200, seed=SETTINGS["seed"])
    assert (scores["accuracy_low"], scores["accuracy_high"]) == (expected.low, expected.high)
    assert scores["accuracy_low"] < scores["accuracy"] < scores["accuracy_high"]
    # A lower confidence: other quantiles of the same resamples, an interval inside this one.
    narrow = cluster(Z, y, {**SETTINGS, "confidence": 0.5})
    assert scores["accuracy_low"] < narrow["accuracy_low"] < narrow["accuracy_high"] < scores["accuracy_high"]


def noisy_clusters(rng, n, n_classes, p):
    """Labels y (n,) drawn uniformly, and cluster ids (n,): a fixed permutation of the label with
    probability p, else one of the other clusters uniformly. Matched by that permutation, a sample
    is right with probability p: the clustering's accuracy in the population."""
    y = rng.integers(0, n_classes, n)
    permutation = rng.permutation(n_classes)
    other = (permutation[y] + rng.integers(1, n_classes, n)) % n_classes
    return y, np.where(rng.random(n) < p, permutation[y], other), permutation


@pytest.mark.parametrize("seed", range(3))
def test_the_accuracy_interval_is_centred_on_the_estimate(seed):
    # Ten classes at accuracy 0.2 (chance 0.1): other matchings come close to the best one. A
    # matching redone on each resample fits that resample's noise, so the resampled accuracies
    # sit above the estimate (the estimate 0.05 of the way up its interval at these seeds); the
    # matching of the full sample, kept, leaves a proportion's bootstrap, centred.
    y, clusters, _ = noisy_clusters(np.random.default_rng(seed), 500, 10, 0.2)
    interval = accuracy_interval(y, clusters, {**SETTINGS, "resamples": 1000})
    position = (clustering_accuracy(y, clusters) - interval["accuracy_low"]) / (
        interval["accuracy_high"] - interval["accuracy_low"])
    assert 0.4 < position < 0.6


def test_the_accuracy_interval_covers_the_true_accuracy_95_percent_of_the_time():
    # p = 250.25 / n, a quarter of the way between two resampled proportions k / n: a bound, two
    # of them interpolated 0.025 or 0.975 of the way (200 resamples), cannot equal p unless they
    # are ten steps apart, so no rounding decides whether an interval covers it.
    n, p, replications = 500, 250.25 / 500, 400
    covered = np.zeros(replications, dtype=bool)
    for replication in range(replications):
        y, clusters, permutation = noisy_clusters(np.random.default_rng(replication), n, 10, p)
        # Far above chance (0.1): the sample's matching is the permutation, of accuracy p.
        np.testing.assert_array_equal(matched_correctly(y, clusters), clusters == permutation[y])
        interval = accuracy_interval(y, clusters, {**SETTINGS, "seed": replication})
        covered[replication] = interval["accuracy_low"] <= p <= interval["accuracy_high"]
    # The share's binomial sd over 400 replications at 0.95: 0.011.
    assert 0.91 <= covered.mean() <= 0.98


def test_a_permuted_labelling_scores_one():
    y = np.repeat(np.arange(5), 20)
    permutation = np.array([3, 0, 4, 1, 2])
    assert cluster_scores(y, permutation[y] + 10) == pytest.approx({"accuracy": 1.0, "nmi": 1.0, "ari": 1.0})


def test_a_constant_clustering_of_two_balanced_classes_scores_one_half():
    y = np.repeat([0, 1], 50)
    scores = cluster_scores(y, np.zeros(100, dtype=int))
    assert scores["accuracy"] == 0.5
    assert scores["nmi"] == pytest.approx(0.0) and scores["ari"] == pytest.approx(0.0)


def test_whitened_train_codes_have_zero_mean_and_identity_covariance():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(500, 3)) @ np.array([[3.0, 0, 0], [1, 0.2, 0], [0, 2, 5]]) + [1, -2, 7]
    W = whiten(Z, fit_whitening(Z))
    np.testing.assert_allclose(W.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(np.cov(W, rowvar=False), np.eye(3), atol=1e-10)


def test_whitening_drops_constant_directions_and_rejects_constant_codes():
    rng = np.random.default_rng(1)
    Z = np.column_stack([rng.normal(size=200), np.full(200, 4.0), rng.normal(size=200)])  # a dead unit
    assert whiten(Z, fit_whitening(Z)).shape == (200, 2)
    with pytest.raises(ValueError, match="constant"):
        fit_whitening(np.ones((10, 3)))


def test_whitened_kmeans_ignores_an_invertible_linear_map_of_the_codes():
    # Four round blobs on a square; stretched 40 times along x, raw k-means cuts along x
    # and mixes the blobs that differ in y only. An invertible map loses no information.
    rng = np.random.default_rng(2)
    y = np.repeat(np.arange(4), 150)
    Z = rng.normal(size=(600, 2)) * 0.5 + np.array([[0, 0], [0, 6], [6, 0], [6, 6]])[y]
    A = np.array([[40.0, 0.0], [3.0, 1.0]])  # stretch and shear: an equivalent code
    Z_mapped = Z @ A
    train, test = slice(0, None, 2), slice(1, None, 2)
    settings = {**SETTINGS, "n_init": 5, "resamples": 10}
    raw = cluster(Z_mapped[test], y[test], settings)["accuracy"]
    whitened = [cluster(whiten(C[test], fit_whitening(C[train])), y[test], settings)["accuracy"]
                for C in (Z, Z_mapped)]
    assert whitened[0] == whitened[1] > 0.95 > raw


@pytest.mark.parametrize("representation, preprocessing", [
    ("mlp_latent8_tanh_noise0_seed0", ["none", "whitened"]), ("pca8", ["none", "whitened"]),
    ("pixels", ["none"]),  # raw pixels are never whitened
])
def test_rows_of_codes_pixels_and_pca(run_analysis, make_source, digits, small_config, representation,
                                      preprocessing, split_rows):
    rows, arrays = run_analysis("kmeans", representation)
    settings = ANALYSES["kmeans"].settings(small_config)
    assert settings["n_init"] == small_config["analysis"]["kmeans"]["n_init"]
    assert settings["resamples"] == small_config["analysis"]["bootstrap"]["resamples"]
    codes = make_source(ANALYSES["kmeans"], representation).codes
    assert arrays == {}
    for split in ("val", "test"):
        split_ = split_rows(rows, split)
        assert [row["preprocessing"] for row in split_] == preprocessing
        assert all(set(row) == KEYS - {"split"} for row in split_)
        # k-means on digits is far above chance (0.1) without being perfect.
        assert all(0.5 < row["accuracy_low"] < row["accuracy"] < row["accuracy_high"] < 1 for row in split_)
        y = digits[f"y_{split}"]
        assert split_[0] == {"preprocessing": "none", **cluster(codes[f"Z_{split}"], y, settings)}
        if len(split_) > 1:  # whitened with the *train* codes' statistics
            whitened = whiten(codes[f"Z_{split}"], fit_whitening(codes["Z_train"]))
            assert split_[1] == {"preprocessing": "whitened", **cluster(whitened, y, settings)}


def test_same_seed_same_numbers(digits, make_source, ae_name):
    source = make_source(ANALYSES["kmeans"], ae_name)
    settings = {**SETTINGS, "seed": 5}
    assert run(digits, source, settings) == run(digits, source, settings)
