"""Conv1D, Conv2D, ConvTranspose2D, Flatten, Reshape: finite-difference gradients, forward
values against explicit loops, adjointness, shapes, errors, dtype, initial variance, save/load,
and the classic digits experiments (the pools are in test_pooling.py)."""
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

import diy
from diy import check_gradient

TOLERANCE = 1e-6


def normal(shape, seed=0, scale=1.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def with_bias(module, seed=1):
    """Biases are zero at initialisation, which would hide a bias applied at the wrong place."""
    for name, parameter, _ in module.parameters():
        if name.endswith("b"):
            parameter[...] = normal(parameter.shape, seed)
    return module


# -- independent computations: explicit loops over every index --------------------------
def conv1d_loops(X, W, b, stride):
    k, c_in, c_out = W.shape
    n, length, _ = X.shape
    out = (length - k) // stride + 1
    Y = np.zeros((n, out, c_out))
    for s in range(n):
        for t in range(out):
            for o in range(c_out):
                Y[s, t, o] = b[o] + sum(X[s, stride * t + i, c] * W[i, c, o]
                                        for i in range(k) for c in range(c_in))
    return Y


def conv2d_loops(X, W, b, stride, padding):
    (s_h, s_w), (p_h, p_w) = stride, padding
    k_h, k_w, c_in, c_out = W.shape
    X = np.pad(X, ((0, 0), (p_h, p_h), (p_w, p_w), (0, 0)))
    n, height, width, _ = X.shape
    out_h, out_w = (height - k_h) // s_h + 1, (width - k_w) // s_w + 1
    Y = np.zeros((n, out_h, out_w, c_out))
    for s in range(n):
        for y in range(out_h):
            for x in range(out_w):
                for o in range(c_out):
                    Y[s, y, x, o] = b[o] + sum(
                        X[s, s_h * y + i, s_w * x + j, c] * W[i, j, c, o]
                        for i in range(k_h) for j in range(k_w) for c in range(c_in))
    return Y


def conv_transpose2d_loops(X, W, b, stride, padding, output_padding):
    """Each input pixel stamps the kernel, scaled, at stride spacing; then crop the padding."""
    (s_h, s_w), (p_h, p_w), (o_h, o_w) = stride, padding, output_padding
    k_h, k_w, c_out, c_in = W.shape
    n, height, width, _ = X.shape
    full = np.zeros((n, (height - 1) * s_h + k_h + o_h, (width - 1) * s_w + k_w + o_w, c_out))
    for s in range(n):
        for y in range(height):
            for x in range(width):
                for i in range(k_h):
                    for j in range(k_w):
                        for o in range(c_out):
                            full[s, s_h * y + i, s_w * x + j, o] += sum(
                                X[s, y, x, c] * W[i, j, o, c] for c in range(c_in))
    return full[:, p_h:full.shape[1] - p_h, p_w:full.shape[2] - p_w] + b


# -- finite-difference gradients ----------------------------------------------------------
# name -> (module factory, input of a given batch size); float32 modules, as users build them.
CASES = {
    "Conv1D(k3)": (lambda: diy.Conv1D(3, 2, 4, rng=0), lambda n: normal((n, 9, 2))),
    "Conv1D(k4, stride 3, one channel)": (
        lambda: diy.Conv1D(4, 1, 3, stride=3, rng=0, init="he"), lambda n: normal((n, 12, 1))),
    "Conv2D(k3)": (lambda: diy.Conv2D(2, 3, 3, rng=0), lambda n: normal((n, 5, 6, 2))),
    "Conv2D(k3, stride 2, padding 1)": (
        lambda: diy.Conv2D(2, 3, 3, stride=2, padding=1, rng=0), lambda n: normal((n, 7, 5, 2))),
    "Conv2D(k(3,2), stride (2,1), padding (1,0))": (
        lambda: diy.Conv2D(3, 2, (3, 2), stride=(2, 1), padding=(1, 0), rng=0, init="he"),
        lambda n: normal((n, 6, 5, 3))),
    "Conv2D(one channel, k3, stride 2, padding 1)": (
        lambda: diy.Conv2D(1, 3, 3, stride=2, padding=1, rng=0), lambda n: normal((n, 7, 7, 1))),
    "ConvTranspose2D(k3, stride 2, padding 1, output padding 1)": (
        lambda: diy.ConvTranspose2D(2, 3, 3, stride=2, padding=1, output_padding=1, rng=0),
        lambda n: normal((n, 3, 4, 2))),
    "ConvTranspose2D(k(2,3), stride (2,1), padding (0,1), one channel out)": (
        lambda: diy.ConvTranspose2D(3, 1, (2, 3), stride=(2, 1), padding=(0, 1), rng=0),
        lambda n: normal((n, 3, 4, 3))),
    "ConvTranspose2D(k3)": (lambda: diy.ConvTranspose2D(2, 2, 3, rng=0), lambda n: normal((n, 3, 3, 2))),
    "Flatten": (diy.Flatten, lambda n: normal((n, 3, 2, 4))),
    "Reshape": (lambda: diy.Reshape((3, 2, 2)), lambda n: normal((n, 12))),
    # Conv2D after the first module: Sequential calls its backward (dL/dW, then dL/dX).
    "Sequential(Reshape, Conv2D, TanH, Conv2D, Flatten)": (
        lambda: diy.Sequential(
            diy.Reshape((7, 5, 2)), diy.Conv2D(2, 3, 3, stride=2, padding=1, rng=0), diy.TanH(),
            diy.Conv2D(3, 2, 3, stride=2, padding=1, rng=1), diy.Flatten(),
        ),
        lambda n: normal((n, 70))),
    "Sequential(Conv2D, TanH, MaxPool2D, Flatten, Linear, Reshape, ConvTranspose2D)": (
        lambda: diy.Sequential(
            diy.Conv2D(1, 3, 3, padding=1, rng=0), diy.TanH(), diy.MaxPool2D(2), diy.Flatten(),
            diy.Linear(18, 8, rng=1), diy.Reshape((2, 2, 2)),
            diy.ConvTranspose2D(2, 1, 3, stride=2, padding=1, output_padding=1, rng=2),
        ),
        lambda n: normal((n, 4, 6, 1))),
}


@pytest.mark.parametrize("batch", [1, 3], ids=["single", "batch"])
@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name, batch):
    make_module, make_input = CASES[name]
    module = with_bias(make_module())
    errors = check_gradient(module, make_input(batch))
    assert list(errors) == ["input"] + [key for key, _, _ in module.parameters()]
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("name", list(CASES))
def test_float32_stays_float32(name):
    make_module, make_input = CASES[name]
    module = make_module()
    X = make_input(4).astype(np.float32)
    Y = module.forward(X)
    delta = normal(Y.shape, seed=5).astype(np.float32)
    assert Y.dtype == np.float32
    assert module.backward(X, delta).dtype == np.float32
    assert all(p.dtype == g.dtype == np.float32 for _, p, g in module.parameters())


# -- forward values against the loops -------------------------------------------------------
@pytest.mark.parametrize("k_size, stride, length", [(3, 1, 9), (4, 3, 12), (2, 2, 7), (1, 1, 5)])
def test_conv1d_forward_matches_loops(k_size, stride, length):
    conv = with_bias(diy.Conv1D(k_size, 3, 2, stride=stride, rng=0, dtype=np.float64))
    X = normal((2, length, 3))
    expected = conv1d_loops(X, conv._parameters["W"], conv._parameters["b"], stride)
    np.testing.assert_allclose(conv.forward(X), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel, stride, padding, size", [
    ((3, 3), (1, 1), (0, 0), (5, 6)),
    ((3, 3), (2, 2), (1, 1), (7, 5)),
    ((3, 2), (2, 1), (1, 0), (6, 5)),
    ((2, 2), (2, 2), (0, 0), (5, 5)),
    ((1, 1), (1, 1), (2, 1), (3, 4)),
])
@pytest.mark.parametrize("chan_in", [1, 3])
def test_conv2d_forward_matches_loops(kernel, stride, padding, size, chan_in):
    conv = with_bias(diy.Conv2D(chan_in, 2, kernel, stride, padding, rng=0, dtype=np.float64))
    X = normal((2,) + size + (chan_in,))
    expected = conv2d_loops(X, conv._parameters["W"], conv._parameters["b"], stride, padding)
    np.testing.assert_allclose(conv.forward(X), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel, stride, padding, output_padding, size", [
    ((3, 3), (1, 1), (0, 0), (0, 0), (3, 4)),
    ((3, 3), (2, 2), (1, 1), (1, 1), (3, 2)),
    ((2, 3), (2, 1), (0, 1), (1, 0), (3, 4)),
    ((2, 2), (2, 2), (0, 0), (0, 0), (2, 3)),
    ((4, 4), (3, 3), (1, 2), (2, 0), (2, 2)),
])
@pytest.mark.parametrize("chan_out", [1, 3])
def test_conv_transpose2d_forward_matches_loops(kernel, stride, padding, output_padding, size, chan_out):
    conv = with_bias(diy.ConvTranspose2D(2, chan_out, kernel, stride, padding, output_padding,
                                         rng=0, dtype=np.float64))
    X = normal((2,) + size + (2,))
    expected = conv_transpose2d_loops(X, conv._parameters["W"], conv._parameters["b"],
                                      stride, padding, output_padding)
    Y = conv.forward(X)
    assert Y.shape == conv.output_shape(X.shape)
    np.testing.assert_allclose(Y, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel, stride, padding, size", [
    (3, 1, 0, (5, 6)), (3, 2, 1, (7, 5)), (3, 2, 1, (8, 8)), ((3, 2), (2, 1), (1, 0), (6, 5)),
    (4, 3, 1, (9, 7)),
])
def test_conv_transpose2d_is_the_adjoint_of_conv2d(kernel, stride, padding, size):
    """<Conv2D(x), y> == <x, ConvTranspose2D(y)> for the same weight and zero biases, with the
    output padding that gives the transposed layer the Conv2D's input size back."""
    conv = diy.Conv2D(3, 2, kernel, stride, padding, rng=0, dtype=np.float64)
    k, s, p = conv.kernel, conv.stride, conv.padding
    output_padding = [(n + 2 * p_ - k_) % s_ for n, k_, s_, p_ in zip(size, k, s, p)]
    transpose = diy.ConvTranspose2D(2, 3, kernel, stride, padding, output_padding, dtype=np.float64)
    transpose._parameters["W"][...] = conv._parameters["W"]
    x = normal((2,) + size + (3,))
    Cx = conv.forward(x)
    y = normal(Cx.shape, seed=1)
    Ty = transpose.forward(y)
    assert Ty.shape == x.shape
    np.testing.assert_allclose(np.vdot(Cx, y), np.vdot(x, Ty), rtol=1e-12)
    # ... so each one's input gradient is the other's forward pass.
    np.testing.assert_allclose(conv.backward_delta(x, y), Ty, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(transpose.backward_delta(y, x), Cx, rtol=1e-12, atol=1e-12)


def test_flatten_and_reshape_are_inverse_row_major_views():
    X = normal((4, 3, 2, 5))
    flat = diy.Flatten().forward(X)
    np.testing.assert_array_equal(flat, np.stack([x.ravel() for x in X]))
    np.testing.assert_array_equal(diy.Reshape((3, 2, 5)).forward(flat), X)
    np.testing.assert_array_equal(diy.Flatten().backward_delta(X, flat), X)


# -- the Module contract ---------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: diy.Conv1D(3, 2, 4, stride=2, rng=0, dtype=np.float64),
    lambda: diy.Conv2D(2, 3, 3, stride=2, padding=1, rng=0, dtype=np.float64),
    lambda: diy.ConvTranspose2D(2, 3, 3, stride=2, padding=1, output_padding=1, rng=0, dtype=np.float64),
], ids=["Conv1D", "Conv2D", "ConvTranspose2D"])
def test_gradients_accumulate_and_backward_delta_leaves_them_alone(make):
    module = make()
    X = normal((3, 7, 2) if isinstance(module, diy.Conv1D) else (3, 5, 4, 2))
    delta = normal(module.forward(X).shape, seed=1)
    module.backward_update_gradient(X, delta)
    once = {key: g.copy() for key, _, g in module.parameters()}
    dX = module.backward_delta(X, delta)
    for key, _, g in module.parameters():
        np.testing.assert_array_equal(g, once[key])
    np.testing.assert_allclose(module.backward(X, delta), dX, rtol=1e-12)
    for key, _, g in module.parameters():
        np.testing.assert_allclose(g, 2 * once[key], rtol=1e-12)
    # backward may reuse what forward cached for its own work: a weight gradient after it
    # is still the same.
    module.backward_update_gradient(X, delta)
    for key, _, g in module.parameters():
        np.testing.assert_allclose(g, 3 * once[key], rtol=1e-12)


# -- shapes and errors -------------------------------------------------------------------
@pytest.mark.parametrize("module, input_shape, output_shape", [
    (diy.Conv1D(3, 2, 5), (4, 10, 2), (4, 8, 5)),
    (diy.Conv1D(3, 2, 5, stride=2), (4, 10, 2), (4, 4, 5)),
    (diy.Conv1D(10, 2, 5), (4, 10, 2), (4, 1, 5)),
    (diy.Conv2D(1, 16, 3, stride=2, padding=1), (2, 28, 28, 1), (2, 14, 14, 16)),
    (diy.Conv2D(3, 4, (3, 1), stride=(1, 2)), (2, 5, 6, 3), (2, 3, 3, 4)),
    (diy.Conv2D(3, 4, 3, padding=1), (2, 1, 1, 3), (2, 1, 1, 4)),
    (diy.ConvTranspose2D(32, 16, 3, stride=2, padding=1, output_padding=1), (2, 7, 7, 32), (2, 14, 14, 16)),
    (diy.ConvTranspose2D(16, 1, 3, stride=2, padding=1, output_padding=1), (2, 14, 14, 16), (2, 28, 28, 1)),
    (diy.ConvTranspose2D(2, 3, 2, stride=2), (2, 3, 5, 2), (2, 6, 10, 3)),
    (diy.Flatten(), (4, 7, 7, 32), (4, 1568)),
    (diy.Reshape((7, 7, 32)), (4, 1568), (4, 7, 7, 32)),
], ids=repr)
def test_output_shapes(module, input_shape, output_shape):
    X = np.zeros(input_shape, dtype=np.float32)
    Y = module.forward(X)
    assert Y.shape == output_shape
    assert module.backward(X, np.ones_like(Y)).shape == input_shape


@pytest.mark.parametrize("module, input_shape, message", [
    (diy.Conv1D(3, 2, 5), (4, 10, 3), r"Conv1D.*\(batch, length, 2\).*\(4, 10, 3\)"),
    (diy.Conv1D(3, 2, 5), (4, 10), r"Conv1D.*\(batch, length, 2\)"),
    (diy.Conv1D(3, 2, 5), (4, 2, 2), r"Conv1D.*length 2 is smaller than the kernel \(3\)"),
    (diy.Conv2D(2, 3, 3), (4, 6, 6, 3), r"Conv2D.*\(batch, height, width, 2\).*\(4, 6, 6, 3\)"),
    (diy.Conv2D(2, 3, 3), (4, 6, 6), r"Conv2D.*\(batch, height, width, 2\)"),
    (diy.Conv2D(2, 3, 3, padding=(0, 1)), (4, 2, 6, 2), r"Conv2D.*height 2 is smaller than the kernel \(3\)"),
    (diy.ConvTranspose2D(2, 3, 3), (4, 6, 6, 3), r"ConvTranspose2D.*\(batch, height, width, 2\)"),
    (diy.ConvTranspose2D(2, 3, 1, padding=1), (4, 1, 1, 2), r"ConvTranspose2D.*empty output"),
    (diy.Flatten(), (4,), r"Flatten.*\(batch, \.\.\.\)"),
    (diy.Reshape((3, 4)), (4, 11), r"Reshape.*\(batch, 12\).*\(4, 11\)"),
], ids=lambda v: repr(v) if isinstance(v, diy.Module) else None)
def test_wrong_input_shape_is_a_value_error_naming_the_layer(module, input_shape, message):
    with pytest.raises(ValueError, match=message):
        module.forward(np.zeros(input_shape, dtype=np.float32))


def test_float64_input_to_a_float32_layer_is_refused():
    with pytest.raises(TypeError, match=r"Conv2D.*float64.*float32"):
        diy.Conv2D(1, 2, 3).forward(np.zeros((1, 4, 4, 1)))


@pytest.mark.parametrize("make, message", [
    (lambda: diy.Conv2D(1, 2, "3"), r"Conv2D: kernel must be an int or a pair"),
    (lambda: diy.Conv2D(1, 2, (3, 3, 3)), r"Conv2D: kernel must be an int or a pair"),
    (lambda: diy.Conv2D(1, 2, 3, stride=0), r"Conv2D: kernel and stride must be >= 1"),
    (lambda: diy.Conv1D(3, 1, 2, init="uniform"), r"Conv1D: unknown init 'uniform'"),
    (lambda: diy.ConvTranspose2D(1, 2, 3, stride=2, output_padding=2),
     r"ConvTranspose2D: .*output_padding < stride"),
    (lambda: diy.Reshape(()), r"Reshape: shape must be"),
])
def test_bad_constructor_arguments_are_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# -- initialisation ------------------------------------------------------------------------
@pytest.mark.parametrize("make, shape", [
    (lambda: diy.Conv1D(5, 32, 32, rng=0, init="he"), (64, 100, 32)),
    (lambda: diy.Conv2D(32, 32, 3, padding=1, rng=0, init="he"), (16, 24, 24, 32)),
    (lambda: diy.Conv2D(32, 32, 3, stride=2, padding=1, rng=0, init="he"), (16, 24, 24, 32)),
    (lambda: diy.ConvTranspose2D(32, 32, 3, stride=2, padding=1, output_padding=1, rng=0, init="he"),
     (16, 12, 12, 32)),
    (lambda: diy.ConvTranspose2D(32, 32, 3, rng=0, init="he"), (16, 12, 12, 32)),
], ids=["Conv1D", "Conv2D", "Conv2D(stride 2)", "ConvTranspose2D(stride 2)", "ConvTranspose2D"])
def test_he_init_keeps_the_mean_square_through_relu(make, shape):
    """He: E[relu(y)^2] = E[x^2] for unit-normal x, so deep ReLU stacks start at unit scale
    (a uniform(-1, 1) weight would multiply it by about fan_in / 3 per layer). A stride-2
    ConvTranspose2D output sums 9/4 kernel taps on average, which its fan_in counts."""
    module = make()
    Y = module.forward(normal(shape).astype(np.float32))
    interior = Y[:, 2:-2] if Y.ndim == 3 else Y[:, 2:-2, 2:-2]  # away from the zero padding
    assert np.mean(np.maximum(interior, 0) ** 2) == pytest.approx(1, rel=0.1)


# -- save / load -----------------------------------------------------------------------------
def test_sequential_of_every_new_layer_round_trips(tmp_path):
    net1d = with_bias(diy.Sequential(
        diy.Conv1D(3, 2, 4, stride=1, rng=0, init="he"), diy.ReLU(), diy.MaxPool1D(2),
        diy.AvgPool1D(3, 1), diy.Flatten(), diy.Linear(8, 3, rng=1),
    )).eval()
    net2d = with_bias(diy.Sequential(
        diy.Conv2D(1, 4, 3, padding=1, rng=0), diy.ReLU(), diy.MaxPool2D(2, 2),
        diy.Conv2D(4, 6, (3, 2), stride=2, padding=(1, 0), rng=1), diy.Flatten(), diy.Linear(12, 18, rng=2),
        diy.Reshape((3, 3, 2)), diy.ConvTranspose2D(2, 1, 3, stride=2, padding=1, output_padding=1, rng=3),
    ))
    for net, X in [(net1d, normal((5, 11, 2))), (net2d, normal((5, 8, 6, 1)))]:
        X = X.astype(np.float32)
        diy.save(net, tmp_path / "net.npz")
        loaded = diy.load(tmp_path / "net.npz")
        assert repr(loaded) == repr(net) and loaded.training == net.training
        np.testing.assert_array_equal(loaded.forward(X), net.forward(X))


# -- the classic experiments on digits ---------------------------------------------------
@pytest.fixture(scope="module")
def digits():
    """Pixels / 16 in [0, 1], a seeded stratified 80/20 split, and one BLAS thread: the GEMMs
    of a batch of 32 are too small to share, and on a busy machine a second thread waiting
    for its core made these tests four times slower."""
    data = load_digits()
    X = (data.data / 16).astype(np.float32)
    with threadpool_limits(1):
        yield train_test_split(X, data.target, test_size=0.2, stratify=data.target, random_state=0)


def test_conv1d_classifier_reads_digits_as_sequences(digits):
    """The course's experiment: 64 pixels as a sequence of length 64 with one channel."""
    X_train, X_test, y_train, y_test = digits
    rng = np.random.default_rng(0)
    net = diy.Sequential(
        diy.Conv1D(3, 1, 32, rng=rng), diy.MaxPool1D(2, 2), diy.Flatten(),
        diy.Linear(31 * 32, 100, rng=rng, init="he"), diy.ReLU(), diy.Linear(100, 10, rng=rng),
    )
    diy.fit(net, diy.CrossEntropyLoss(), diy.Adam(net, lr=1e-3), X_train.reshape(-1, 64, 1), y_train,
            epochs=20, batch_size=32, rng=rng)
    accuracy = np.mean(net.forward(X_test.reshape(-1, 64, 1)).argmax(axis=1) == y_test)
    assert accuracy >= 0.95


def test_conv2d_classifier_on_digit_images(digits):
    X_train, X_test, y_train, y_test = digits
    rng = np.random.default_rng(0)
    net = diy.Sequential(
        diy.Conv2D(1, 32, 3, padding=1, rng=rng, init="he"), diy.ReLU(), diy.MaxPool2D(2),
        diy.Conv2D(32, 64, 3, padding=1, rng=rng, init="he"), diy.ReLU(), diy.MaxPool2D(2),
        diy.Flatten(), diy.Linear(2 * 2 * 64, 10, rng=rng),
    )
    diy.fit(net, diy.CrossEntropyLoss(), diy.Adam(net, lr=1e-3), X_train.reshape(-1, 8, 8, 1), y_train,
            epochs=20, batch_size=32, rng=rng)
    accuracy = np.mean(net.forward(X_test.reshape(-1, 8, 8, 1)).argmax(axis=1) == y_test)
    assert accuracy >= 0.97
