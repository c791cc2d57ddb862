"""Seeded input corruption: reproducible, the right amount, clipped, dtype kept, input untouched."""
import numpy as np
import pytest

from diy.noise import NOISE, corrupt, gaussian, masking, salt_and_pepper


def _rng(seed=0):
    return np.random.default_rng(seed)


@pytest.fixture
def X():
    return _rng(99).random((200, 100), dtype=np.float32)


@pytest.mark.parametrize("kind", sorted(NOISE))
def test_seeded_reproducible_input_untouched_dtype_kept(X, kind):
    before = X.copy()
    a = corrupt(X, kind, 0.3, _rng(1))
    b = corrupt(X, kind, 0.3, _rng(1))
    c = corrupt(X, kind, 0.3, _rng(2))
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.dtype == np.float32 and a.shape == X.shape
    assert a.min() >= 0 and a.max() <= 1
    assert corrupt(X.astype(np.float64), kind, 0.3, _rng(1)).dtype == np.float64


@pytest.mark.parametrize("kind", sorted(NOISE))
def test_level_zero_is_an_unchanged_copy(X, kind):
    out = corrupt(X, kind, 0.0, _rng())
    np.testing.assert_array_equal(out, X)
    assert out is not X and not np.shares_memory(out, X)


def test_gaussian_adds_sigma_noise_and_clips():
    X = np.full((400, 250), 0.5, dtype=np.float32)
    out = gaussian(X, 0.1, _rng())
    assert abs((out - X).std() - 0.1) < 0.003 and abs((out - X).mean()) < 0.003
    wide = gaussian(X, 1.0, _rng())
    assert wide.min() == 0 and wide.max() == 1  # a sigma of 1 around 0.5 must clip both ways
    assert 0.25 < (wide == 1).mean() < 0.4  # P(N(0, 1) > 0.5) = 0.31


@pytest.mark.parametrize("fraction", [0.1, 0.25, 1.0])
def test_masking_zeroes_exactly_that_fraction_of_each_row(fraction):
    X = np.ones((50, 40), dtype=np.float32)
    out = masking(X, fraction, _rng())
    np.testing.assert_array_equal((out == 0).sum(axis=1), round(fraction * 40))
    assert set(np.unique(out)) <= {0.0, 1.0}
    if fraction < 1:  # rows choose different pixels
        assert len({tuple(row) for row in out}) > 1


def test_salt_and_pepper_sets_that_fraction_to_0_or_1_by_a_fair_coin():
    X = np.full((500, 40), 0.5, dtype=np.float32)
    out = salt_and_pepper(X, 0.25, _rng())
    changed = out != 0.5
    np.testing.assert_array_equal(changed.sum(axis=1), 10)
    assert set(np.unique(out[changed])) == {0.0, 1.0}
    assert abs((out[changed] == 1).mean() - 0.5) < 0.03


def test_single_sample_vector():
    x = np.ones(20, dtype=np.float32)
    assert (masking(x, 0.5, _rng()) == 0).sum() == 10


def test_unknown_kind_names_the_known_ones(X):
    expected = "unknown noise kind 'poisson': expected one of gaussian, masking, salt_and_pepper"
    with pytest.raises(ValueError, match=expected):
        corrupt(X, "poisson", 0.1, _rng())


@pytest.mark.parametrize("kind, level", [("gaussian", -0.1), ("masking", 1.5), ("salt_and_pepper", -1)])
def test_bad_levels(X, kind, level):
    with pytest.raises(ValueError, match=kind):
        corrupt(X, kind, level, _rng())


def test_integer_input_is_refused():
    with pytest.raises(TypeError, match="floating-point"):
        gaussian(np.ones((2, 2), dtype=np.uint8), 0.1, _rng())
