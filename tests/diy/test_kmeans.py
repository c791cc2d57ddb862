"""k-means and the cluster-to-label matching: exact recovery, inertia against scikit-learn,
fixed points of Lloyd's iterations, the Hungarian method against SciPy."""
import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment as scipy_assignment
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits, make_blobs
from sklearn.metrics import adjusted_rand_score

from diy.assignment import clustering_accuracy, linear_sum_assignment, matched_correctly
from diy.kmeans import kmeans


def blobs(seed=0):
    centers = 20 * np.random.default_rng(seed).standard_normal((5, 3))
    return make_blobs(n_samples=300, centers=centers, cluster_std=0.5, random_state=seed)


def brute_force_squared_distances(Z, centroids):
    return ((Z[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)


# -- k-means ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_well_separated_blobs_exactly(seed):
    Z, y = blobs(seed)
    centroids, labels, inertia = kmeans(Z, 5, rng=seed)
    assert adjusted_rand_score(y, labels) == 1.0
    means = np.stack([Z[labels == j].mean(axis=0) for j in range(5)])
    np.testing.assert_allclose(centroids, means, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(inertia, ((Z - means[labels]) ** 2).sum(), rtol=1e-12)


def test_digits_inertia_within_one_percent_of_scikit_learn():
    X = load_digits().data / 16
    _, _, inertia = kmeans(X, 10, n_init=10, rng=0)
    reference = KMeans(n_clusters=10, n_init=10, random_state=0).fit(X).inertia_
    assert inertia <= 1.01 * reference, (inertia, reference)


def test_result_is_a_fixed_point_of_lloyd_with_tol_zero():
    X = load_digits().data[:400] / 16
    centroids, labels, inertia = kmeans(X, 8, n_init=2, tol=0, rng=3)
    distances = brute_force_squared_distances(X, centroids)
    np.testing.assert_array_equal(labels, distances.argmin(axis=1))
    means = np.stack([X[labels == j].mean(axis=0) for j in range(8)])
    np.testing.assert_allclose(centroids, means, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(inertia, distances.min(axis=1).sum(), rtol=1e-10)


def test_seeded_and_the_best_of_restarts():
    X = load_digits().data[:500] / 16
    one = kmeans(X, 10, n_init=1, rng=4)
    again = kmeans(X, 10, n_init=1, rng=4)
    np.testing.assert_array_equal(one[0], again[0])
    np.testing.assert_array_equal(one[1], again[1])
    # The restarts draw one after the other from the generator: n_init=5 runs the same five
    # seedings as five single runs sharing a generator, and keeps the lowest inertia.
    generator = np.random.default_rng(7)
    singles = [kmeans(X, 10, n_init=1, rng=generator)[2] for _ in range(5)]
    assert len(set(singles)) > 1
    assert kmeans(X, 10, n_init=5, rng=7)[2] == min(singles)


def test_edge_cases_and_dtype():
    Z = np.random.default_rng(0).standard_normal((30, 4)).astype(np.float32)
    centroids, labels, inertia = kmeans(Z, 1, rng=0)
    assert centroids.dtype == np.float32 and centroids.shape == (1, 4)
    np.testing.assert_allclose(centroids[0], Z.astype(np.float64).mean(axis=0), rtol=1e-6)
    assert np.all(labels == 0)
    _, labels, inertia = kmeans(Z, 30, rng=0)  # one point per cluster
    assert inertia == 0 and len(set(labels)) == 30
    duplicates = np.repeat(Z[:3], 10, axis=0)  # 3 distinct points, k = 3: no empty cluster left
    _, labels, inertia = kmeans(duplicates, 3, rng=0)
    assert inertia == 0 and len(set(labels)) == 3
    with pytest.raises(ValueError, match="1 <= k <= n"):
        kmeans(Z, 31)
    with pytest.raises(ValueError, match=r"shape \(n, d\)"):
        kmeans(Z[0], 2)


# -- the Hungarian method and clustering accuracy ---------------------------------------------
@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_assignment_matches_scipy_on_random_10x10(seed, maximize):
    rng = np.random.default_rng(seed)
    # Even seeds: continuous costs (a unique optimum); odd seeds: small integers (many ties).
    cost = rng.standard_normal((10, 10)) if seed % 2 == 0 else rng.integers(0, 4, (10, 10))
    rows, cols = linear_sum_assignment(cost, maximize=maximize)
    expected_rows, expected_cols = scipy_assignment(cost, maximize=maximize)
    np.testing.assert_array_equal(rows, np.arange(10))
    assert sorted(cols) == list(range(10))
    np.testing.assert_allclose(cost[rows, cols].sum(), cost[expected_rows, expected_cols].sum(), rtol=1e-12)
    if seed % 2 == 0:
        np.testing.assert_array_equal(cols, expected_cols)


@pytest.mark.parametrize("shape", [(3, 7), (7, 3), (1, 5), (5, 1)])
def test_assignment_of_rectangular_matrices(shape):
    cost = np.random.default_rng(0).standard_normal(shape)
    rows, cols = linear_sum_assignment(cost)
    expected_rows, expected_cols = scipy_assignment(cost)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(cols, expected_cols)


def test_clustering_accuracy_matches_a_search_over_all_matchings():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 200)
    clusters = np.where(rng.random(200) < 0.7, (y + 1) % 4, rng.integers(0, 4, 200))
    best = max(np.mean(np.asarray(mapping)[clusters] == y) for mapping in itertools.permutations(range(4)))
    assert clustering_accuracy(y, clusters) == pytest.approx(best, abs=1e-15)
    assert clustering_accuracy(y, 10 * y + 3) == 1.0  # any renaming of the clusters
    # Five clusters for four labels: the smallest cluster cannot be matched.
    assert clustering_accuracy([0, 0, 1, 1, 2, 3, 3], [0, 0, 1, 1, 2, 3, 4]) == pytest.approx(6 / 7)


def test_matched_correctly_marks_the_samples_of_the_best_matching():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, 200)
    clusters = np.where(rng.random(200) < 0.7, (y + 1) % 4, rng.integers(0, 4, 200))
    # The best of all 24 maps from clusters to labels; it is unique on these data.
    scores = {mapping: np.mean(np.asarray(mapping)[clusters] == y) for mapping in itertools.permutations(range(4))}
    best = max(scores, key=scores.get)
    assert sorted(scores.values())[-2] < scores[best]
    correct = matched_correctly(y, clusters)
    assert correct.dtype == bool and correct.shape == (200,)
    np.testing.assert_array_equal(correct, np.asarray(best)[clusters] == y)
    assert correct.mean() == clustering_accuracy(y, clusters)
    # Five clusters for four labels: the samples of the unmatched cluster (4) are wrong.
    np.testing.assert_array_equal(matched_correctly([0, 0, 1, 1, 2, 3, 3, 3], [5, 5, 1, 1, 2, 3, 3, 4]),
                                  [True, True, True, True, True, True, True, False])
    with pytest.raises(ValueError, match=r"same shape.*\(3,\) and \(2,\)"):
        matched_correctly([0, 1, 2], [0, 1])
