"""MaxPool1D, AvgPool1D, MaxPool2D: forward values against explicit loops, finite-difference
gradients where the maximum is unique, ties routed to one position by hand, shapes, errors, dtype."""
import numpy as np
import pytest

import diy
from diy import check_gradient

TOLERANCE = 1e-6


def distinct(shape, seed=0):
    """A permutation of 0, 1/n, ..., (n-1)/n: no ties, and every gap (1/n) is far wider than
    the finite-difference step, so no window's argmax changes under it."""
    n = int(np.prod(shape))
    return np.random.default_rng(seed).permutation(n).reshape(shape) / n


def pool1d_loops(X, k, stride, reduce):
    n, length, channels = X.shape
    out = (length - k) // stride + 1
    Y = np.zeros((n, out, channels))
    for s in range(n):
        for t in range(out):
            for c in range(channels):
                Y[s, t, c] = reduce([X[s, stride * t + i, c] for i in range(k)])
    return Y


def max_pool2d_loops(X, kernel, stride):
    (k_h, k_w), (s_h, s_w) = kernel, stride
    n, height, width, channels = X.shape
    out_h, out_w = (height - k_h) // s_h + 1, (width - k_w) // s_w + 1
    Y = np.zeros((n, out_h, out_w, channels))
    for s in range(n):
        for y in range(out_h):
            for x in range(out_w):
                for c in range(channels):
                    Y[s, y, x, c] = max(X[s, s_h * y + i, s_w * x + j, c]
                                        for i in range(k_h) for j in range(k_w))
    return Y


# -- forward values --------------------------------------------------------------------------
@pytest.mark.parametrize("k, stride, length", [(2, 2, 9), (3, 1, 7), (3, 2, 10), (4, 3, 11), (1, 1, 4)])
def test_pool1d_forward_matches_loops(k, stride, length):
    X = np.random.default_rng(0).standard_normal((3, length, 2))
    np.testing.assert_array_equal(diy.MaxPool1D(k, stride).forward(X), pool1d_loops(X, k, stride, max))
    np.testing.assert_allclose(diy.AvgPool1D(k, stride).forward(X),
                               pool1d_loops(X, k, stride, lambda v: sum(v) / k), rtol=1e-12)


@pytest.mark.parametrize("kernel, stride, size", [
    ((2, 2), (2, 2), (6, 8)), ((2, 2), (2, 2), (5, 7)), ((3, 3), (2, 2), (7, 6)),
    ((3, 2), (1, 2), (5, 5)), ((1, 3), (1, 1), (2, 5)),
])
def test_max_pool2d_forward_matches_loops(kernel, stride, size):
    X = np.random.default_rng(0).standard_normal((2,) + size + (3,))
    expected = max_pool2d_loops(X, kernel, stride)
    np.testing.assert_array_equal(diy.MaxPool2D(kernel, stride).forward(X), expected)


def test_stride_defaults_to_the_kernel():
    assert diy.MaxPool1D(3).stride == 3 and diy.AvgPool1D(4).stride == 4
    assert diy.MaxPool2D((2, 3)).stride == (2, 3)


# -- gradients -----------------------------------------------------------------------------------
CASES = {
    "MaxPool1D(2)": (lambda: diy.MaxPool1D(2), (9, 3)),
    "MaxPool1D(3, stride 1): overlapping": (lambda: diy.MaxPool1D(3, 1), (7, 2)),
    "MaxPool1D(4, stride 3)": (lambda: diy.MaxPool1D(4, 3), (11, 2)),
    "AvgPool1D(2)": (lambda: diy.AvgPool1D(2), (9, 3)),
    "AvgPool1D(3, stride 1): overlapping": (lambda: diy.AvgPool1D(3, 1), (7, 2)),
    "AvgPool1D(4, stride 3)": (lambda: diy.AvgPool1D(4, 3), (11, 2)),
    "MaxPool2D(2)": (lambda: diy.MaxPool2D(2), (5, 7, 3)),
    "MaxPool2D(3, stride 2): overlapping": (lambda: diy.MaxPool2D(3, 2), (7, 6, 2)),
    "MaxPool2D((3, 2), stride (1, 2))": (lambda: diy.MaxPool2D((3, 2), (1, 2)), (5, 5, 2)),
}


@pytest.mark.parametrize("batch", [1, 4], ids=["single", "batch"])
@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name, batch):
    make, shape = CASES[name]
    errors = check_gradient(make(), distinct((batch,) + shape))
    assert list(errors) == ["input"]
    assert errors["input"] < TOLERANCE, errors


@pytest.mark.parametrize("name", list(CASES))
def test_float32_stays_float32(name):
    make, shape = CASES[name]
    module, X = make(), distinct((4,) + shape).astype(np.float32)
    Y = module.forward(X)
    assert Y.dtype == np.float32
    assert module.backward(X, np.ones_like(Y)).dtype == np.float32


def test_avg_pool1d_spreads_each_delta_evenly_over_its_window():
    pool = diy.AvgPool1D(2)
    X = np.zeros((1, 5, 1))
    pool.forward(X)
    dX = pool.backward_delta(X, np.array([[[4.0], [6.0]]]))
    np.testing.assert_array_equal(dX[0, :, 0], [2, 2, 3, 3, 0])  # the fifth sample is in no window


# -- ties: the gradient goes to the first maximum only -----------------------------------------
def test_max_pool1d_sends_a_tied_window_delta_to_its_first_maximum():
    X = np.array([[[2, 5], [2, 5], [1, 5], [0, -1], [7, -1], [7, -2]]], dtype=float)
    pool = diy.MaxPool1D(3)
    np.testing.assert_array_equal(pool.forward(X), [[[2, 5], [7, -1]]])
    delta = np.array([[[10.0, 20.0], [30.0, 40.0]]])
    expected = np.zeros_like(X)
    expected[0, 0] = [10, 20]  # both channels' maxima are tied: the first position wins
    expected[0, 4, 0], expected[0, 3, 1] = 30, 40
    np.testing.assert_array_equal(pool.backward_delta(X, delta), expected)


def test_overlapping_windows_sharing_a_tied_maximum_add_their_deltas_there():
    X = np.array([1, 3, 3, 3, 0], dtype=float).reshape(1, 5, 1)
    pool = diy.MaxPool1D(3, 1)  # windows [1 3 3], [3 3 3], [3 3 0]: first maxima at 1, 1, 2
    pool.forward(X)
    dX = pool.backward_delta(X, np.array([1.0, 10.0, 100.0]).reshape(1, 3, 1))
    np.testing.assert_array_equal(dX[0, :, 0], [0, 11, 100, 0, 0])


def test_max_pool2d_sends_a_tied_window_delta_to_its_first_maximum_in_row_major_order():
    X = np.array([[2, 2, 0, 5],
                  [2, 2, 5, 1],
                  [4, 4, 4, 4],
                  [4, 4, 4, 4]], dtype=float).reshape(1, 4, 4, 1)
    pool = diy.MaxPool2D(2)
    np.testing.assert_array_equal(pool.forward(X)[0, :, :, 0], [[2, 5], [4, 4]])
    dX = pool.backward_delta(X, np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1))
    np.testing.assert_array_equal(dX[0, :, :, 0], [[1, 0, 0, 2],
                                                   [0, 0, 0, 0],
                                                   [3, 0, 4, 0],
                                                   [0, 0, 0, 0]])


def one_maximum_per_window(batch, windows, window_size, channels, seed=0):
    """(batch, *windows, window_size, channels) zeros with one distinct positive value per
    window and channel, at a random offset: ties everywhere below the maximum."""
    X = np.zeros((batch,) + windows + (window_size, channels))
    offsets = np.random.default_rng(seed).integers(window_size, size=(batch,) + windows + (1, channels))
    np.put_along_axis(X, offsets, 1 + distinct((batch,) + windows + (1, channels)), axis=-2)
    return X


def test_ties_below_the_maximum_leave_max_pool1d_differentiable():
    X = one_maximum_per_window(4, (3,), 3, 2).reshape(4, 9, 2)
    assert check_gradient(diy.MaxPool1D(3), X)["input"] < TOLERANCE


def test_ties_below_the_maximum_leave_max_pool2d_differentiable():
    X = one_maximum_per_window(3, (2, 3), 2 * 2, 2)
    # (batch, window row, window col, (row in window, col in window), channel) -> image
    X = X.reshape(3, 2, 3, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(3, 4, 6, 2)
    pool = diy.MaxPool2D(2)
    assert np.count_nonzero(pool.forward(X)) == pool.forward(X).size
    assert check_gradient(pool, X)["input"] < TOLERANCE


# -- shapes and errors -------------------------------------------------------------------------
@pytest.mark.parametrize("module, input_shape, output_shape", [
    (diy.MaxPool1D(2), (4, 62, 32), (4, 31, 32)),
    (diy.MaxPool1D(2), (4, 63, 32), (4, 31, 32)),
    (diy.AvgPool1D(3, 1), (4, 10, 2), (4, 8, 2)),
    (diy.MaxPool2D(2), (4, 8, 7, 3), (4, 4, 3, 3)),
    (diy.MaxPool2D(3, 2), (4, 7, 7, 3), (4, 3, 3, 3)),
], ids=repr)
def test_output_shapes(module, input_shape, output_shape):
    X = np.zeros(input_shape, dtype=np.float32)
    Y = module.forward(X)
    assert Y.shape == output_shape
    assert module.backward(X, np.ones_like(Y)).shape == input_shape


@pytest.mark.parametrize("module, input_shape, message", [
    (diy.MaxPool1D(2), (4, 10), r"MaxPool1D.*\(batch, length, channels\).*\(4, 10\)"),
    (diy.MaxPool1D(4), (4, 3, 2), r"MaxPool1D.*length 3 is smaller than the kernel \(4\)"),
    (diy.AvgPool1D(2), (4, 5, 2, 2), r"AvgPool1D.*\(batch, length, channels\)"),
    (diy.MaxPool2D(2), (4, 6, 6), r"MaxPool2D.*\(batch, height, width, channels\)"),
    (diy.MaxPool2D((2, 3)), (4, 6, 2, 1), r"MaxPool2D.*width 2 is smaller than the kernel \(3\)"),
], ids=lambda v: repr(v) if isinstance(v, diy.Module) else None)
def test_wrong_input_shape_is_a_value_error_naming_the_layer(module, input_shape, message):
    with pytest.raises(ValueError, match=message):
        module.forward(np.zeros(input_shape))


@pytest.mark.parametrize("make, message", [
    (lambda: diy.MaxPool1D(0), r"MaxPool1D: k_size must be >= 1, got 0"),
    (lambda: diy.AvgPool1D(2, 0), r"AvgPool1D: stride must be >= 1, got 0"),
    (lambda: diy.MaxPool2D((2, 0)), r"MaxPool2D: kernel and stride must be >= 1"),
    (lambda: diy.MaxPool2D(2.5), r"MaxPool2D: kernel must be an int or a pair"),
])
def test_bad_constructor_arguments_are_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()
