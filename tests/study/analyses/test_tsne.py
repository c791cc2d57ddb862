"""t-SNE maps of a seeded test subset, their scores, and the figures."""
import numpy as np
import pytest
from sklearn.datasets import make_blobs

from diy.assignment import matched_correctly
from study.analyses import ANALYSES, Source
from study.analyses.tsne import (codes2d_figure, knn_loo_correct, map_scores, run, subset_indices,
                                 tsne_figure, tsne_map)
from study.analyses.kmeans import kmeans_labels
from study.bootstrap import bootstrap_interval

KEYS = {"n_samples", "trustworthiness", "knn_accuracy", "knn_accuracy_low", "knn_accuracy_high",
        "kmeans_accuracy", "kmeans_accuracy_low", "kmeans_accuracy_high"}
#: Settings of a small map: t-SNE, its scores and their bootstrap.
SETTINGS = {"seed": 0, "perplexity": 10, "max_iter": 400, "n_neighbors": 5, "knn_k": 5, "n_init": 2,
            "resamples": 100, "confidence": 0.95}


def test_subset_is_seeded_sorted_and_distinct():
    indices = subset_indices(1000, 100, seed=1)
    assert len(np.unique(indices)) == 100 and np.all(np.diff(indices) > 0)
    np.testing.assert_array_equal(indices, subset_indices(1000, 100, seed=1))
    assert not np.array_equal(indices, subset_indices(1000, 100, seed=2))
    np.testing.assert_array_equal(subset_indices(50, 100, seed=1), np.arange(50))


def test_knn_loo_correct_leaves_each_point_out():
    # Each point's nearest *other* point has the other label: 0 without itself, 1 with it.
    Y = np.array([[0.0], [0.1], [10.0], [10.1]])
    np.testing.assert_array_equal(knn_loo_correct(Y, np.array([0, 1, 0, 1]), k=1), [0, 0, 0, 0])
    np.testing.assert_array_equal(knn_loo_correct(Y, np.array([0, 0, 1, 1]), k=1), [1, 1, 1, 1])


def test_knn_loo_correct_majority_vote_ties_go_to_the_smallest_label():
    # Points at 0, -1, 1; with labels 1, 1, 2 the first two see one 1 and one 2 (a tie, given
    # to 1: right) and the third sees two 1s (wrong); with labels 2, 1, 2 every vote is wrong.
    Y = np.array([[0.0], [-1.0], [1.0]])
    correct = knn_loo_correct(Y, np.array([1, 1, 2]), k=2)
    assert correct.dtype == np.float64
    np.testing.assert_array_equal(correct, [1, 1, 0])
    np.testing.assert_array_equal(knn_loo_correct(Y, np.array([2, 1, 2]), k=2), [0, 0, 0])


@pytest.mark.parametrize("representation", ["mlp_latent8_tanh_noise0_seed0", "pixels", "pca8", "pca2"])
def test_map_rows_and_arrays(run_analysis, digits, small_config, representation, split_rows):
    rows, arrays = run_analysis("tsne", representation)
    size = small_config["analysis"]["tsne"]["size"]
    assert [row["split"] for row in rows] == ["val", "test"]
    for row in (split_rows(rows, "val")[0], split_rows(rows, "test")[0]):
        assert set(row) == KEYS
        assert row["n_samples"] == size
        assert 0.5 < row["trustworthiness"] <= 1 and 0.5 < row["knn_accuracy"] <= 1
        assert 0.3 < row["kmeans_accuracy"] <= 1
        for score in ("knn_accuracy", "kmeans_accuracy"):
            assert row[f"{score}_low"] <= row[score] <= row[f"{score}_high"]
            assert row[f"{score}_low"] < row[f"{score}_high"] or row[score] == 1.0
    # The same seeded subset for every representation, the analysis seed alone choosing it.
    np.testing.assert_array_equal(arrays["indices"],
                                  subset_indices(len(digits["y_test"]), size, small_config["analysis"]["seed"]))
    np.testing.assert_array_equal(arrays["y"], digits["y_test"][arrays["indices"]])
    assert arrays["map"].shape == (size, 2) and arrays["map"].dtype == np.float32
    # A 2-dimensional code is kept beside its map, to be drawn as it is.
    assert ("codes" in arrays) == (representation == "pca2")


def test_rows_are_the_scores_of_the_map(run_analysis, digits, small_config, split_rows):
    rows, arrays = run_analysis("tsne", "pca8")
    settings = ANALYSES["tsne"].settings(small_config)
    assert settings["n_init"] == small_config["analysis"]["kmeans"]["n_init"]
    assert settings["resamples"] == small_config["analysis"]["bootstrap"]["resamples"]
    X = digits["X_test"][arrays["indices"]]
    assert split_rows(rows, "test") == [map_scores(X, arrays["map"], arrays["y"], settings)]


def test_map_scores_equal_an_independent_computation():
    from sklearn.manifold import trustworthiness

    X, y = make_blobs(n_samples=90, centers=3, n_features=6, cluster_std=3.0, random_state=3)
    Y = X[:, :2] + np.random.default_rng(0).normal(scale=2.0, size=(90, 2))  # a lossy 2-D map
    scores = map_scores(X, Y, y, SETTINGS)
    assert scores["n_samples"] == 90 and type(scores["n_samples"]) is int
    assert scores["trustworthiness"] == trustworthiness(X, Y, n_neighbors=5)
    knn = knn_loo_correct(Y, y, 5)
    clusters = kmeans_labels(Y, 3, SETTINGS["n_init"], SETTINGS["seed"])
    expected = {"knn_accuracy": bootstrap_interval(knn, n_resamples=100, seed=0),
                "kmeans_accuracy": bootstrap_interval(matched_correctly(y, clusters), n_resamples=100, seed=0)}
    for score, interval in expected.items():
        assert (scores[score], scores[f"{score}_low"], scores[f"{score}_high"]) == pytest.approx(
            (interval.estimate, interval.low, interval.high))
    assert scores["knn_accuracy"] == knn.mean() < 1 and scores["kmeans_accuracy"] < 1


def test_trustworthiness_is_against_the_input_images_not_the_code():
    """A 2-dimensional code unrelated to the images: its t-SNE map keeps the code's own
    neighbours (trustworthy against the code, ~1) but not the images' (~0.5, chance)."""
    from sklearn.manifold import trustworthiness

    rng = np.random.default_rng(0)
    X = rng.random((120, 16)).astype(np.float32)
    Z = rng.normal(size=(120, 2)).astype(np.float32)
    data = {"X_test": X, "y_test": np.arange(120) % 3}
    rows, arrays = run(data, Source("code2", "autoencoder", 2, codes={"Z_test": Z}), {**SETTINGS, "size": 120})
    against_code = trustworthiness(Z, arrays["map"], n_neighbors=5)
    assert against_code > 0.95
    assert rows[0]["trustworthiness"] == trustworthiness(X, arrays["map"], n_neighbors=5) < 0.7


def test_same_seed_same_map_and_numbers(digits, make_source, ae_name):
    source = make_source(ANALYSES["tsne"], ae_name)
    settings = {**SETTINGS, "size": 60, "seed": 4}
    (rows1, arrays1), (rows2, arrays2) = run(digits, source, settings), run(digits, source, settings)
    assert rows1 == rows2
    np.testing.assert_array_equal(arrays1["map"], arrays2["map"])


def test_well_separated_blobs_stay_separated():
    Z, y = make_blobs(n_samples=150, centers=3, n_features=10, cluster_std=0.5, center_box=(-50, 50),
                      random_state=0)
    data = {"X_test": Z, "y_test": y}  # the blobs are the images, and their own code
    rows, _ = run(data, Source("blobs", "pixels", codes={"Z_test": Z}), {**SETTINGS, "size": 150, "perplexity": 15})
    assert rows[0]["knn_accuracy"] == 1.0 and rows[0]["kmeans_accuracy"] == 1.0
    assert rows[0]["knn_accuracy_low"] == 1.0 and rows[0]["kmeans_accuracy_low"] == 1.0
    assert rows[0]["trustworthiness"] > 0.9


def test_tsne_map_is_float32_of_two_columns():
    Z = np.random.default_rng(0).normal(size=(40, 3))
    Y = tsne_map(Z, seed=0, perplexity=5, max_iter=250)
    assert Y.shape == (40, 2) and Y.dtype == np.float32


def _maps(name):
    y = np.repeat(np.arange(10), 10)
    rng = np.random.default_rng(0)
    return {"indices": np.arange(100), "y": y, "map": rng.normal(size=(100, 2)) + y[:, None],
            "codes": rng.normal(size=(100, 2))}


def test_tsne_figure_picks_on_validation_and_prints_the_test_score(fake_tables):
    fig = tsne_figure(fake_tables, "digits", _maps)
    titles = [ax.get_title() for ax in fig.get_axes() if ax.get_title()]
    # Chosen by the lowest validation loss (the fake tables favour ReLU there), not by the
    # k-means accuracy on the map (which favours noise 0.5 tanh): each title prints the latter.
    tsne = fake_tables["tsne"]
    shown = ["mlp_latent2_relu_noise0_seed0", "mlp_latent8_relu_noise0_seed0"]
    scores = [float(tsne.loc[(tsne["dataset"] == "digits") & (tsne["representation"] == name)
                             & (tsne["split"] == "test"), "kmeans_accuracy"].item()) for name in shown]
    # One number of decimals for every panel (an accuracy's 3).
    assert titles[:2] == [f"{name}\nk-means acc. {score:.3f}" for name, score in zip(shown, scores)]
    assert titles[2:] == ["raw pixels\nk-means acc. 0.650", "PCA 2\nk-means acc. 0.570", "PCA 8\nk-means acc. 0.630"]


def test_codes2d_figure_shows_every_latent2_autoencoder_and_pca2(fake_tables, fake_grid):
    fig = codes2d_figure(fake_tables, "mnist", _maps)
    titles = [ax.get_title() for ax in fig.get_axes() if ax.get_title()]
    # Each configuration of latent size 2 (activation x noise) by its first seed, then PCA.
    assert titles == ["mlp_latent2_tanh_noise0_seed0", "mlp_latent2_tanh_noise0.5_seed0",
                      "mlp_latent2_relu_noise0_seed0", "mlp_latent2_relu_noise0.5_seed0", "pca2"]
    applies = ANALYSES["tsne"].figures["codes2d"].applies
    assert applies({"grid": fake_grid["grid"]}) and not applies({"grid": {"latent_dim": [8, 16]}})


def test_tsne_map_is_the_same_for_the_same_seed_and_keeps_the_blobs_apart():
    Z, y = make_blobs(n_samples=120, centers=3, n_features=10, random_state=1)
    Y = tsne_map(Z, seed=3, perplexity=10, max_iter=300)
    assert np.array_equal(Y, tsne_map(Z, seed=3, perplexity=10, max_iter=300))
    assert not np.array_equal(Y, tsne_map(Z, seed=4, perplexity=10, max_iter=300))
    assert knn_loo_correct(Y, y).mean() == 1.0


def test_tsne_map_refuses_fewer_iterations_than_the_early_exaggeration():
    with pytest.raises(ValueError, match="max_iter = 100: must be at least 250"):
        tsne_map(np.zeros((40, 3)), seed=0, max_iter=100)
