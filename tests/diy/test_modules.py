"""Modules: finite-difference gradients, forward values against independent formulas,
the accumulate / zero / update contract, dtype, and Dropout's two modes."""
import numpy as np
import pytest
from scipy import special

import diy
from diy import check_gradient

TOLERANCE = 1e-6


def normal(shape, seed=0, scale=1.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def away_from_zero(shape, seed=0):
    """|x| in [0.1, 2], so a finite-difference step never crosses ReLU's kink."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 2, shape) * rng.choice([-1, 1], shape)


class TiedTranspose(diy.Module):
    """Decoder ``Y = X @ W.T`` holding the encoder Linear's very W and gradient arrays.

    Unlike ``diy.TiedLinear`` (which looks W up through its source), the arrays sit in
    two modules' ``_parameters``: the case ``parameters()`` and ``astype`` must dedupe.
    """

    def __init__(self, encoder):
        super().__init__()
        self._parameters["W"] = encoder._parameters["W"]
        self._gradient["W"] = encoder._gradient["W"]

    def forward(self, X):
        return X @ self._parameters["W"].T

    def backward_update_gradient(self, input, delta):
        self._gradient["W"] += delta.T @ input

    def backward_delta(self, input, delta):
        return delta @ self._parameters["W"]


def tied_autoencoder(d=5, latent=3):
    encoder = diy.Linear(d, latent, rng=3)
    return diy.Sequential(encoder, diy.TanH(), TiedTranspose(encoder), diy.Sigmoid())


# name -> (module factory, input of a given batch size); modules are float32, as users
# build them: check_gradient works on a float64 copy.
CASES = {
    "Linear": (lambda: diy.Linear(4, 3, rng=0), lambda n: normal((n, 4))),
    "Linear(he, no bias)": (
        lambda: diy.Linear(4, 3, rng=0, init="he", bias=False),
        lambda n: normal((n, 4)),
    ),
    "TanH": (diy.TanH, lambda n: normal((n, 5), scale=2)),
    "Sigmoid": (diy.Sigmoid, lambda n: normal((n, 5), scale=3)),
    "ReLU": (diy.ReLU, lambda n: away_from_zero((n, 5))),
    "Softmax": (diy.Softmax, lambda n: normal((n, 4), scale=2)),
    "LogSoftmax": (diy.LogSoftmax, lambda n: normal((n, 4), scale=2)),
    "Dropout(train)": (lambda: diy.Dropout(0.4, rng=1), lambda n: normal((n, 6))),
    "Dropout(eval)": (lambda: diy.Dropout(0.4, rng=1).eval(), lambda n: normal((n, 6))),
    "Sequential(TanH, ReLU, Dropout, LogSoftmax)": (
        lambda: diy.Sequential(
            diy.Linear(4, 6, rng=0), diy.TanH(), diy.Linear(6, 5, rng=1, init="he"), diy.ReLU(),
            diy.Dropout(0.2, rng=2), diy.Linear(5, 3, rng=3), diy.LogSoftmax(),
        ),
        lambda n: normal((n, 4)),
    ),
    "Sequential(Sigmoid, Softmax)": (
        lambda: diy.Sequential(
            diy.Linear(4, 6, rng=0), diy.Sigmoid(), diy.Linear(6, 3, rng=1), diy.Softmax()
        ),
        lambda n: normal((n, 4)),
    ),
    "tied autoencoder": (tied_autoencoder, lambda n: normal((n, 5))),
}


@pytest.mark.parametrize("batch", [1, 6], ids=["single", "batch"])
@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name, batch):
    make_module, make_input = CASES[name]
    module = make_module()
    errors = check_gradient(module, make_input(batch))
    assert list(errors) == ["input"] + [name for name, _, _ in module.parameters()]
    assert max(errors.values()) < TOLERANCE, errors


def test_tied_weights_are_checked_once_and_stay_shared_through_astype():
    net = tied_autoencoder()
    assert list(check_gradient(net, normal((4, 5)))) == ["input", "0.W", "0.b"]
    net.astype(np.float64)
    assert net[2]._parameters["W"] is net[0]._parameters["W"]
    assert net[2]._gradient["W"] is net[0]._gradient["W"]
    assert net[0]._parameters["W"].dtype == np.float64


def test_astype_to_the_same_dtype_keeps_the_arrays():
    linear = diy.Linear(3, 2, rng=0)
    W = linear._parameters["W"]
    assert linear.astype(np.float32)._parameters["W"] is W


# -- forward values against independent formulas ------------------------------------
def test_tanh_forward():
    X = normal((5, 7), scale=3)
    np.testing.assert_allclose(diy.TanH().forward(X), np.expm1(2 * X) / (np.exp(2 * X) + 1), rtol=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_exact_and_warning_free_at_any_magnitude(dtype):
    extremes = [-1e4, -800, -100, -88, -20, 0, 20, 100, 800, 1e4]
    X = np.concatenate([extremes, normal(50, scale=10)]).astype(dtype)
    Y = diy.Sigmoid().forward(X)
    assert Y.dtype == dtype
    reference = special.expit(X.astype(np.float64))
    tiny = np.finfo(dtype).tiny  # results below the normal range may flush to 0
    np.testing.assert_allclose(Y, reference, rtol=4 * np.finfo(dtype).eps, atol=tiny)
    assert Y[0] == 0 and Y[9] == 1


def test_relu_forward():
    X = normal((4, 9))
    np.testing.assert_array_equal(diy.ReLU().forward(X), np.where(X > 0, X, 0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_rows_sum_to_one_even_for_huge_logits(dtype):
    X = np.vstack([normal((5, 6), scale=3), [1e4, -1e4, 0, 1e4, 5, -5]]).astype(dtype)
    Y = diy.Softmax().forward(X)
    assert Y.dtype == dtype and np.isfinite(Y).all()
    np.testing.assert_allclose(Y.sum(axis=1), 1, rtol=0, atol=10 * np.finfo(dtype).eps)
    np.testing.assert_allclose(Y, special.softmax(X.astype(np.float64), axis=1), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_softmax_matches_scipy_even_for_huge_logits(dtype):
    X = np.vstack([normal((5, 6), scale=3), [1e4, -1e4, 0, 1e4, 5, -5]]).astype(dtype)
    Y = diy.LogSoftmax().forward(X)
    assert Y.dtype == dtype and np.isfinite(Y).all()
    expected = special.log_softmax(X.astype(np.float64), axis=1)
    np.testing.assert_allclose(Y, expected, rtol=1e-6, atol=1e-5)


def test_softmax_backward_is_the_jacobian_product():
    X, delta = normal((3, 4)), normal((3, 4), seed=1)
    softmax = diy.Softmax()
    Y = softmax.forward(X)
    jacobians = [np.diag(y) - np.outer(y, y) for y in Y]
    expected = np.stack([J.T @ d for J, d in zip(jacobians, delta)])
    np.testing.assert_allclose(softmax.backward_delta(X, delta), expected, rtol=1e-12)


# -- dtype ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(CASES))
def test_float32_stays_float32(name):
    make_module, make_input = CASES[name]
    module = make_module()
    X = make_input(8).astype(np.float32)
    Y = module.forward(X)
    delta = normal(Y.shape, seed=5).astype(np.float32)
    module.backward_update_gradient(X, delta)
    assert Y.dtype == np.float32
    assert module.backward_delta(X, delta).dtype == np.float32
    assert all(g.dtype == np.float32 for _, _, g in module.parameters())


# -- the Module contract, on Linear and Sequential -------------------------------------
def test_linear_backward_update_gradient_accumulates():
    linear = diy.Linear(4, 3, rng=0, dtype=np.float64)
    X, delta = normal((5, 4)), normal((5, 3), seed=1)
    linear.forward(X)
    linear.backward_update_gradient(X, delta)
    np.testing.assert_allclose(linear._gradient["W"], X.T @ delta, rtol=1e-12)
    np.testing.assert_allclose(linear._gradient["b"], delta.sum(axis=0), rtol=1e-12)
    linear.backward_update_gradient(X, delta)
    np.testing.assert_allclose(linear._gradient["W"], 2 * X.T @ delta, rtol=1e-12)
    np.testing.assert_allclose(linear._gradient["b"], 2 * delta.sum(axis=0), rtol=1e-12)


def test_linear_backward_delta_leaves_parameters_and_gradients_alone():
    linear = diy.Linear(4, 3, rng=0, dtype=np.float64)
    linear._gradient["W"][:] = 7
    before = {name: (p.copy(), g.copy()) for name, p, g in linear.parameters()}
    X, delta = normal((5, 4)), normal((5, 3), seed=1)
    linear.forward(X)
    np.testing.assert_allclose(linear.backward_delta(X, delta), delta @ linear._parameters["W"].T)
    for name, p, g in linear.parameters():
        np.testing.assert_array_equal(p, before[name][0])
        np.testing.assert_array_equal(g, before[name][1])


def sequential():
    return diy.Sequential(diy.Linear(4, 6, rng=0), diy.TanH(), diy.Linear(6, 2, rng=1)).astype(np.float64)


def test_zero_grad_and_update_parameters():
    net = sequential()
    X = normal((5, 4))
    net.backward_update_gradient(X, normal(net.forward(X).shape, seed=1))
    before = {name: (p.copy(), g.copy()) for name, p, g in net.parameters()}
    assert all(np.any(g != 0) for _, g in before.values())
    net.update_parameters(0.1)
    for name, p, _ in net.parameters():
        np.testing.assert_allclose(p, before[name][0] - 0.1 * before[name][1], rtol=1e-15)
    net.zero_grad()
    assert all(np.all(g == 0) for _, _, g in net.parameters())


def test_sequential_backward_equals_its_two_halves():
    X = normal((5, 4))
    one, two = sequential(), sequential()
    delta = normal(one.forward(X).shape, seed=1)
    two.forward(X)
    dX = one.backward(X, delta)
    two.backward_update_gradient(X, delta)
    np.testing.assert_array_equal(dX, two.backward_delta(X, delta))
    for (_, _, g1), (_, _, g2) in zip(one.parameters(), two.parameters()):
        np.testing.assert_array_equal(g1, g2)


def test_linear_rejects_wrong_shape_and_dtype_clearly():
    linear = diy.Linear(4, 3, rng=0)
    with pytest.raises(ValueError, match=r"expected input of shape \(batch, 4\), got \(2, 5\)"):
        linear.forward(np.zeros((2, 5), np.float32))
    with pytest.raises(ValueError, match=r"got \(4,\)"):
        linear.forward(np.zeros(4, np.float32))
    with pytest.raises(TypeError, match="input is float64 but parameters are float32"):
        linear.forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="unknown init"):
        diy.Linear(4, 3, init="glorot")


@pytest.mark.parametrize("init, variance", [
    ("xavier", lambda fan_in, fan_out: 2 / (fan_in + fan_out)),
    ("he", lambda fan_in, fan_out: 2 / fan_in),
    ("fan_in_uniform", lambda fan_in, fan_out: 1 / (3 * fan_in)),  # U(-a, a) has variance a^2 / 3
])
def test_linear_initial_weights_have_their_scheme_s_variance(init, variance):
    W = diy.Linear(400, 300, rng=0, init=init, dtype=np.float64)._parameters["W"]
    assert W.var() == pytest.approx(variance(400, 300), rel=0.02)
    assert abs(W.mean()) < 0.01 * W.std()


# -- Dropout ----------------------------------------------------------------------------
def test_dropout_is_the_identity_in_eval_mode():
    dropout = diy.Dropout(0.5, rng=0).eval()
    X, delta = normal((6, 7)), normal((6, 7), seed=1)
    np.testing.assert_array_equal(dropout.forward(X), X)
    np.testing.assert_array_equal(dropout.backward_delta(X, delta), delta)


def test_dropout_keeps_the_mean_and_drops_a_fraction_p():
    p = 0.3
    X = np.ones((1000, 1000), np.float32)
    Y = diy.Dropout(p, rng=0).forward(X)
    assert Y.dtype == np.float32
    assert abs(Y.mean() - 1) < 0.005  # the standard error is sqrt(p / (1 - p) / 1e6) = 6.5e-4
    assert abs((Y == 0).mean() - p) < 0.003
    np.testing.assert_allclose(np.unique(Y), [0, 1 / (1 - p)], rtol=1e-7)


def test_dropout_masks_follow_the_seed_and_backward_reuses_the_mask():
    X = np.ones((50, 40))
    first, second = diy.Dropout(0.5, rng=7), diy.Dropout(0.5, rng=7)
    Y = first.forward(X)
    np.testing.assert_array_equal(Y, second.forward(X))
    assert not np.array_equal(Y, diy.Dropout(0.5, rng=8).forward(X))
    np.testing.assert_array_equal(first.backward_delta(X, np.ones_like(X)), Y)
    assert not np.array_equal(first.forward(X), Y)  # a fresh mask at every forward


def test_dropout_with_p_zero_is_the_identity_in_train_mode():
    X = normal((3, 4))
    np.testing.assert_array_equal(diy.Dropout(0.0, rng=0).forward(X), X)


@pytest.mark.parametrize("p", [1, 1.5, -0.1, float("nan")])
def test_dropout_rejects_p_outside_0_1(p):
    with pytest.raises(ValueError, match=r"^Dropout: p must be (in \[0, 1\)|a finite number), got "):
        diy.Dropout(p)


def test_gradients_only_skip_the_deltas_no_parameter_needs():
    # Flatten -> Linear -> TanH -> Linear: accumulating gradients needs the deltas of the
    # second Linear and the TanH, never the first Linear's input delta (nothing before it
    # learns), and gives the same gradients as a full backward.
    import diy

    calls = []

    class Spy(diy.Linear):
        def backward_delta(self, input, delta):
            calls.append(self)
            return super().backward_delta(input, delta)

    rng = np.random.default_rng(0)
    first, second = Spy(6, 4, rng=rng, dtype=np.float64), Spy(4, 3, rng=rng, dtype=np.float64)
    model = diy.Sequential(diy.Flatten(), first, diy.TanH(), second)
    X, delta = rng.normal(size=(5, 2, 3)), rng.normal(size=(5, 3))
    model.forward(X)
    model.backward_update_gradient(X, delta)
    assert calls == [second]
    gradients = [g.copy() for _, _, g in model.parameters()]
    model.zero_grad()
    calls.clear()
    model.backward(X, delta)
    assert calls == [second, first]
    for (_, _, g), expected in zip(model.parameters(), gradients):
        np.testing.assert_array_equal(g, expected)
