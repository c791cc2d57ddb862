"""Losses: finite-difference gradients, values against independent formulas, the
edge cases (BCE at 0 and 1, cross-entropy on huge logits), dtype and validation."""
import numpy as np
import pytest
from scipy import special

import diy
from diy import check_loss_gradient

TOLERANCE = 1e-6
CLASSES = 4


def normal(shape, seed=0, scale=1.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def uniform(shape, low=0.0, high=1.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def labels(n, seed=0):
    return np.random.default_rng(seed).integers(0, CLASSES, n)


def one_hot(y):
    return np.eye(CLASSES)[y]


# name -> (loss, (y, yhat) for a batch size)
CASES = {
    "MSE": (diy.MSELoss(), lambda n: (normal((n, 5), seed=1), normal((n, 5)))),
    "MSE 3-d": (diy.MSELoss(), lambda n: (normal((n, 2, 3), seed=1), normal((n, 2, 3)))),
    "BCE": (diy.BCELoss(), lambda n: (uniform((n, 5), seed=1), uniform((n, 5), 0.05, 0.95))),
    "BCE binary y": (
        diy.BCELoss(),
        lambda n: ((uniform((n, 5), seed=1) > 0.5).astype(float), uniform((n, 5), 0.05, 0.95)),
    ),
    "CrossEntropy indices": (
        diy.CrossEntropyLoss(),
        lambda n: (labels(n), normal((n, CLASSES), scale=2)),
    ),
    "CrossEntropy one-hot": (
        diy.CrossEntropyLoss(),
        lambda n: (one_hot(labels(n)), normal((n, CLASSES), scale=2)),
    ),
    "NLL indices": (
        diy.NLLLoss(),
        lambda n: (labels(n), special.log_softmax(normal((n, CLASSES)), axis=1)),
    ),
    "NLL one-hot": (
        diy.NLLLoss(),
        lambda n: (one_hot(labels(n)), special.log_softmax(normal((n, CLASSES)), axis=1)),
    ),
}


@pytest.mark.parametrize("batch", [1, 6], ids=["single", "batch"])
@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name, batch):
    loss, make = CASES[name]
    errors = check_loss_gradient(loss, *make(batch))
    assert errors["yhat"] < TOLERANCE, errors


@pytest.mark.parametrize("name", list(CASES))
def test_float32_stays_float32(name):
    loss, make = CASES[name]
    y, yhat = make(8)
    yhat = yhat.astype(np.float32)  # y stays float64 (or int): it must not upcast
    assert loss.forward(y, yhat).dtype == np.float32
    assert loss.forward(y, yhat).shape == (8,)
    assert loss.backward(y, yhat).dtype == np.float32
    assert loss.backward(y, yhat).shape == yhat.shape


# -- values against independent formulas -----------------------------------------------
def test_mse_values():
    y, yhat = normal((6, 2, 3), seed=1), normal((6, 2, 3))
    loss = diy.MSELoss()
    np.testing.assert_allclose(loss.forward(y, yhat), ((yhat - y) ** 2).sum(axis=(1, 2)), rtol=1e-12)
    np.testing.assert_allclose(loss.backward(y, yhat), 2 * (yhat - y) / 6, rtol=1e-12)


def test_bce_values():
    y, yhat = uniform((6, 5), seed=1), uniform((6, 5), 0.01, 0.99)
    expected = -(special.xlogy(y, yhat) + special.xlogy(1 - y, 1 - yhat)).sum(axis=1)
    np.testing.assert_allclose(diy.BCELoss().forward(y, yhat), expected, rtol=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_is_finite_at_0_and_1(dtype):
    y = np.array([[0, 0, 1, 1]], dtype)
    yhat = np.array([[0, 1, 0, 1]], dtype)
    loss = diy.BCELoss()
    # Each wrong certainty costs exactly the clamp, 100; each right one costs 0.
    np.testing.assert_array_equal(loss.forward(y, yhat), [200])
    grad = loss.backward(y, yhat)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, [[0, 1e12, -1e12, 0]], rtol=1e-6)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_on_huge_logits(dtype):
    yhat = np.array([[1e4, -1e4, 0], [-1e4, 1e4, 1e4]], dtype)
    y = np.array([1, 2])
    loss = diy.CrossEntropyLoss()
    np.testing.assert_allclose(loss.forward(y, yhat), [2e4, np.log(2)], rtol=1e-6)
    np.testing.assert_allclose(loss.backward(y, yhat), [[0.5, -0.5, 0], [0, 0.25, -0.25]], atol=1e-7)


def test_cross_entropy_values_and_gradient():
    y, yhat = labels(7), normal((7, CLASSES), scale=3)
    loss = diy.CrossEntropyLoss()
    rows = np.arange(7)
    np.testing.assert_allclose(
        loss.forward(y, yhat), special.logsumexp(yhat, axis=1) - yhat[rows, y], rtol=1e-12
    )
    np.testing.assert_allclose(
        loss.backward(y, yhat), (special.softmax(yhat, axis=1) - one_hot(y)) / 7, rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("loss", [diy.CrossEntropyLoss(), diy.NLLLoss()], ids=repr)
def test_indices_and_one_hot_agree(loss):
    y, yhat = labels(7), normal((7, CLASSES))
    np.testing.assert_allclose(loss.forward(y, yhat), loss.forward(one_hot(y), yhat), rtol=1e-12)
    np.testing.assert_allclose(loss.backward(y, yhat), loss.backward(one_hot(y), yhat), rtol=1e-12)


def test_log_softmax_then_nll_is_cross_entropy():
    y, logits = labels(7), normal((7, CLASSES), scale=3)
    log_softmax, nll = diy.LogSoftmax(), diy.NLLLoss()
    log_p = log_softmax.forward(logits)
    np.testing.assert_allclose(nll.forward(y, log_p), -log_p[np.arange(7), y])
    cross_entropy = diy.CrossEntropyLoss()
    np.testing.assert_allclose(nll.forward(y, log_p), cross_entropy.forward(y, logits), rtol=1e-12)
    np.testing.assert_allclose(
        log_softmax.backward_delta(logits, nll.backward(y, log_p)),
        cross_entropy.backward(y, logits),
        rtol=1e-12, atol=1e-15,
    )


# -- validation ------------------------------------------------------------------------
@pytest.mark.parametrize("loss", [diy.MSELoss(), diy.BCELoss()], ids=repr)
def test_elementwise_losses_reject_mismatched_shapes(loss):
    with pytest.raises(ValueError, match=r"y has shape \(3, 4\) but yhat has shape \(3, 5\)"):
        loss.forward(np.zeros((3, 4)), np.full((3, 5), 0.5))
    with pytest.raises(ValueError, match="y has shape"):
        loss.backward(np.zeros((3, 4)), np.full((3, 5), 0.5))


@pytest.mark.parametrize("loss", [diy.CrossEntropyLoss(), diy.NLLLoss()], ids=repr)
def test_classification_losses_reject_bad_targets(loss):
    yhat = np.zeros((3, CLASSES))
    with pytest.raises(TypeError, match="class indices must be integers, got float64"):
        loss.forward(np.array([0.0, 1.0, 2.0]), yhat)
    with pytest.raises(ValueError, match=r"must lie in \[0, 4\), got \[0, 4\]"):
        loss.forward(np.array([0, 4, 1]), yhat)
    with pytest.raises(ValueError, match=r"must lie in \[0, 4\), got \[-1, 1\]"):
        loss.backward(np.array([0, -1, 1]), yhat)
    wrong_shape = r"class indices of shape \(3,\) or one-hot rows of shape \(3, 4\), got \(3, 5\)"
    with pytest.raises(ValueError, match=wrong_shape):
        loss.forward(np.zeros((3, 5)), yhat)
    with pytest.raises(ValueError, match=r"expected yhat of shape \(batch, C\)"):
        loss.forward(np.array([0, 1]), np.zeros(CLASSES))


# -- BCEWithLogitsLoss -----------------------------------------------------------------
def logit_cases(n):
    """(y, z) pairs: soft and binary targets, moderate logits, and large ones (|z| from
    35 to 60, where exp(-|z|) is far below float64's epsilon: the sigmoid is saturated)."""
    y_soft, y_binary = uniform((n, 5), seed=1), (uniform((n, 5), seed=2) > 0.5).astype(float)
    return {
        "soft y": (y_soft, normal((n, 5), scale=3)),
        "binary y": (y_binary, normal((n, 5), scale=3)),
        "large |z|": (y_soft, normal((n, 5)) + [40, -35, 0, 60, -50]),
        "3-d": (uniform((n, 2, 3), seed=1), normal((n, 2, 3), scale=3)),
    }


@pytest.mark.parametrize("case", ["soft y", "binary y", "large |z|", "3-d"])
@pytest.mark.parametrize("batch", [1, 6], ids=["single", "batch"])
def test_bce_with_logits_gradient_matches_finite_differences(case, batch):
    y, z = logit_cases(batch)[case]
    errors = check_loss_gradient(diy.BCEWithLogitsLoss(), y, z)
    assert errors["yhat"] < TOLERANCE, errors


def test_bce_with_logits_is_bce_of_the_sigmoid():
    y, z = uniform((6, 5), seed=1), normal((6, 5), scale=3)
    loss, p = diy.BCEWithLogitsLoss(), special.expit(z)
    np.testing.assert_allclose(loss.forward(y, z), diy.BCELoss().forward(y, p), rtol=1e-12)
    np.testing.assert_allclose(loss.backward(y, z), (p - y) / 6, rtol=1e-12, atol=1e-16)
    # The chain rule through the Sigmoid gives the same delta, the long way round.
    sigmoid = diy.Sigmoid()
    np.testing.assert_allclose(
        sigmoid.backward_delta(z, diy.BCELoss().backward(y, sigmoid.forward(z))),
        loss.backward(y, z), rtol=1e-10, atol=1e-16,
    )


@pytest.mark.parametrize("scale", [50, 500])
def test_bce_with_logits_matches_the_stable_formula_for_large_logits(scale):
    y = uniform((4, 6), seed=1)
    z = scale * np.sign(normal((4, 6)))
    # softplus(z) - y z, computed by np.logaddexp(0, z) = log(exp(0) + exp(z))
    expected = (np.logaddexp(0, z) - y * z).sum(axis=1)
    np.testing.assert_allclose(diy.BCEWithLogitsLoss().forward(y, z), expected, rtol=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_with_logits_on_huge_logits(dtype):
    y = np.array([[0.25, 0.25, 0, 1, 0.5, 0.5]], dtype)
    z = np.array([[1e4, -1e4, 50, -50, 500, -500]], dtype)
    loss = diy.BCEWithLogitsLoss()
    # softplus(z) - y z per element: 1e4 - 2500 = 7500; 0 + 2500; 50 - 0; ~0 + 50;
    # 500 - 250; 0 + 250 (softplus(-50) = 2e-22 is below an ulp of the sum)
    np.testing.assert_array_equal(loss.forward(y, z), [10600])
    # sigmoid(z) - y: 1 - 0.25, 0 - 0.25, 1 - 0, 0 - 1, 1 - 0.5, 0 - 0.5
    np.testing.assert_array_equal(loss.backward(y, z), [[0.75, -0.25, 1, -1, 0.5, -0.5]])


def test_bce_with_logits_keeps_float32_and_rejects_mismatched_shapes():
    y, z = uniform((8, 5), seed=1), normal((8, 5), scale=3).astype(np.float32)
    loss = diy.BCEWithLogitsLoss()  # y stays float64: it must not upcast
    assert loss.forward(y, z).dtype == np.float32 and loss.forward(y, z).shape == (8,)
    assert loss.backward(y, z).dtype == np.float32 and loss.backward(y, z).shape == z.shape
    np.testing.assert_allclose(loss.forward(y, z), loss.forward(y, z.astype(np.float64)), rtol=1e-6)
    with pytest.raises(ValueError, match=r"y has shape \(3, 4\) but yhat has shape \(3, 5\)"):
        loss.forward(np.zeros((3, 4)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="y has shape"):
        loss.backward(np.zeros((3, 4)), np.zeros((3, 5)))
