"""Seeded stratified splits."""
import numpy as np
import pytest

from study.data.splits import stratified_split

Y = np.repeat(np.arange(5), [30, 11, 50, 7, 2])


def test_partition_of_exact_size_and_per_class_proportion():
    kept, held = stratified_split(Y, 0.2, np.random.default_rng(0))
    assert len(held) == round(0.2 * len(Y))
    np.testing.assert_array_equal(np.sort(np.concatenate([kept, held])), np.arange(len(Y)))
    assert kept.dtype == held.dtype == np.int64
    assert np.all(np.diff(held) > 0) and np.all(np.diff(kept) > 0)
    counts = np.bincount(Y)
    held_counts = np.bincount(Y[held], minlength=5)
    assert np.all(np.abs(held_counts - 0.2 * counts) < 1)


def test_same_seed_same_split_other_seed_other_split():
    a = stratified_split(Y, 0.3, np.random.default_rng(7))[1]
    b = stratified_split(Y, 0.3, np.random.default_rng(7))[1]
    c = stratified_split(Y, 0.3, np.random.default_rng(8))[1]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("fraction, n_held", [(0.0, 0), (1.0, len(Y))])
def test_edge_fractions(fraction, n_held):
    kept, held = stratified_split(Y, fraction, np.random.default_rng(0))
    assert len(held) == n_held and len(kept) == len(Y) - n_held


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_fraction_outside_unit_interval_is_rejected(fraction):
    with pytest.raises(ValueError, match="fraction must be in"):
        stratified_split(Y, fraction, np.random.default_rng(0))
