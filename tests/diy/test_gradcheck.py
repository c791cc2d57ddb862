"""The gradient checker itself: it must fail on wrong gradients, name the wrong item,
leave the caller's objects alone, and hold stochastic modules to one draw."""
import copy

import numpy as np
import pytest

import diy
from diy import check_gradient, check_loss_gradient


def normal(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


class WrongTanH(diy.TanH):
    """Forgets the square: 1 - Y instead of 1 - Y**2."""

    def backward_delta(self, input, delta):
        return delta * (1 - self._output)


class WrongBiasLinear(diy.Linear):
    """Accumulates twice the bias gradient; W and the input gradient stay right."""

    def backward_update_gradient(self, input, delta):
        super().backward_update_gradient(input, delta)
        self._gradient["b"] += delta.sum(axis=0)


class OverwritingLinear(diy.Linear):
    """Overwrites its gradient instead of accumulating: harmless alone after zero_grad,
    wrong as soon as the weights are tied and another module accumulated first."""

    def backward_update_gradient(self, input, delta):
        self._gradient["W"][...] = input.T @ delta
        self._gradient["b"][...] = delta.sum(axis=0)


class HalfMSELoss(diy.MSELoss):
    """Drops the factor 2 of the derivative."""

    def backward(self, y, yhat):
        return super().backward(y, yhat) / 2


class WrongShapeTanH(diy.TanH):
    def backward_delta(self, input, delta):
        return super().backward_delta(input, delta)[:, :-1]


def test_a_wrong_input_gradient_is_detected():
    errors = check_gradient(WrongTanH(), normal((4, 5)))
    assert errors["input"] > 0.1


def test_the_wrong_parameter_is_named():
    errors = check_gradient(WrongBiasLinear(5, 3, rng=0), normal((4, 5)))
    assert errors["b"] > 0.1
    assert errors["W"] < 1e-6 and errors["input"] < 1e-6


def test_a_gradient_that_overwrites_is_detected_once_weights_are_tied():
    X = normal((4, 5))
    assert max(check_gradient(OverwritingLinear(5, 3, rng=0), X).values()) < 1e-6
    encoder = OverwritingLinear(5, 3, rng=0)
    errors = check_gradient(diy.Sequential(encoder, diy.TanH(), diy.TiedLinear(encoder, bias=False)), X)
    assert errors["0.W"] > 0.1
    assert errors["input"] < 1e-6 and errors["0.b"] < 1e-6


def test_a_wrong_loss_gradient_is_detected():
    y, yhat = normal((4, 3), seed=1), normal((4, 3))
    # The analytic gradient is half the true one: ||g/2 - g|| / (||g/2|| + ||g||) = 1/3.
    assert check_loss_gradient(HalfMSELoss(), y, yhat)["yhat"] == pytest.approx(1 / 3, rel=1e-6)


def test_a_wrongly_shaped_gradient_is_an_error():
    with pytest.raises(ValueError, match=r"gradient of 'input' has shape \(4, 4\), expected \(4, 5\)"):
        check_gradient(WrongShapeTanH(), normal((4, 5)))


def test_vanishing_gradients_give_zero_error():
    errors = check_gradient(diy.ReLU(), -np.abs(normal((3, 4))) - 0.1)
    assert errors == {"input": 0.0}


def test_the_callers_module_and_input_are_left_alone():
    net = diy.Sequential(diy.Linear(4, 5, rng=0), diy.Dropout(0.5, rng=1), diy.Sigmoid())
    net[0]._gradient["W"][:] = 3
    X = normal((3, 4)).astype(np.float32)
    before, X_before = copy.deepcopy(net), X.copy()
    assert max(check_gradient(net, X).values()) < 1e-6
    np.testing.assert_array_equal(X, X_before)
    for (_, p, g), (_, p0, g0) in zip(net.parameters(), before.parameters()):
        assert p.dtype == np.float32 and g.dtype == np.float32
        np.testing.assert_array_equal(p, p0)
        np.testing.assert_array_equal(g, g0)
    assert net[1].rng.bit_generator.state == before[1].rng.bit_generator.state
    assert net.training


def test_dropout_in_train_mode_is_checked_on_one_fixed_draw():
    dropout = diy.Dropout(0.5, rng=3)
    X = normal((6, 8))
    # The draw really drops something, and successive forwards would differ...
    assert (dropout.forward(X) == 0).any()
    assert not np.array_equal(dropout.forward(X), dropout.forward(X))
    # ... yet the checker sees one function of X.
    assert check_gradient(dropout, X)["input"] < 1e-6
