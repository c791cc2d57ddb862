"""Metric functions of the analyses on cases with known answers."""
import numpy as np
import pytest

from study.metrics import (binary_cross_entropy, clustering_accuracy, mean_squared_error, psnr,
                           squared_error_per_image)


def test_a_permuted_labelling_scores_one():
    y = np.repeat(np.arange(5), 20)
    permutation = np.array([3, 0, 4, 1, 2])
    assert clustering_accuracy(y, permutation[y] + 10) == 1.0


def test_a_constant_clustering_of_two_balanced_classes_scores_one_half():
    y = np.repeat([0, 1], 50)
    assert clustering_accuracy(y, np.zeros(100, dtype=int)) == 0.5


def test_clustering_accuracy_uses_a_one_to_one_matching():
    # Three clusters, two labels: the third cluster's samples cannot be matched.
    assert clustering_accuracy([0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(4 / 6)


def test_psnr_mse_and_squared_error_of_a_known_error():
    X = np.zeros((3, 4), dtype=np.float32)
    X_hat = np.full((3, 4), 0.1, dtype=np.float32)
    assert mean_squared_error(X, X_hat) == pytest.approx(0.01)
    assert squared_error_per_image(X, X_hat) == pytest.approx(0.04)
    assert psnr(X, X_hat) == pytest.approx(20.0)
    assert psnr(X, X) == float("inf")


def test_binary_cross_entropy_of_a_known_case_and_finite_at_zero_and_one():
    X = np.full((2, 4), 0.5)
    assert binary_cross_entropy(X, X) == pytest.approx(4 * np.log(2))
    X = np.array([[0.0, 1.0, 0.3]])
    assert np.isfinite(binary_cross_entropy(X, np.array([[1.0, 0.0, 0.0]])))
    assert binary_cross_entropy(X[:, :2], X[:, :2]) == pytest.approx(0.0, abs=1e-6)


def test_metrics_against_an_independent_computation():
    rng = np.random.default_rng(0)
    X = rng.random((7, 5)).astype(np.float32)
    X_hat = rng.random((7, 5)).astype(np.float32)
    d = X.astype(np.float64) - X_hat.astype(np.float64)
    assert mean_squared_error(X, X_hat) == pytest.approx(np.mean(d ** 2), rel=1e-12)
    assert squared_error_per_image(X, X_hat) == pytest.approx(np.mean(np.sum(d ** 2, axis=1)), rel=1e-12)
    assert psnr(X, X_hat, data_range=2.0) == pytest.approx(10 * np.log10(4 / np.mean(d ** 2)), rel=1e-12)
    bce = -np.mean(np.sum(X * np.log(X_hat.astype(np.float64)) + (1 - X) * np.log(1 - X_hat.astype(np.float64)),
                          axis=1))
    assert binary_cross_entropy(X, X_hat) == pytest.approx(bce, rel=1e-9)
