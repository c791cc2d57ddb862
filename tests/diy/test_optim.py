"""Optimizers: single steps against values worked out by hand, and the Trainer helper."""
import math

import numpy as np
import pytest

from diy import Adam, Linear, MSELoss, SGD, Sequential, TanH, TiedLinear, Trainer
from diy import optim


def scalar_model(p0, dtype=np.float64):
    """A Linear(1, 1) without bias: one scalar parameter W = p0."""
    layer = Linear(1, 1, bias=False, dtype=dtype)
    layer._parameters["W"][...] = p0
    return layer


def set_gradient(layer, g):
    layer._gradient["W"][...] = g


def test_top_level_and_package_names_are_the_same_classes():
    assert optim.SGD is SGD and optim.Adam is Adam


def test_sgd_step():
    layer = Linear(2, 1, dtype=np.float64)
    layer._parameters["W"][...] = [[1.0], [2.0]]
    layer._parameters["b"][...] = [0.5]
    layer._gradient["W"][...] = [[0.1], [-0.2]]
    layer._gradient["b"][...] = [1.0]
    SGD(layer, lr=0.5).step()
    # p - lr * g
    np.testing.assert_allclose(layer._parameters["W"], [[1.0 - 0.05], [2.0 + 0.1]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(layer._parameters["b"], [0.5 - 0.5], rtol=0, atol=1e-15)


def test_momentum_two_steps_carry_the_velocity():
    layer = scalar_model(1.0)
    opt = SGD(layer, lr=0.1, momentum=0.9)
    set_gradient(layer, 2.0)
    opt.step()
    # v1 = 2, p1 = 1 - 0.1 * 2
    assert layer._parameters["W"][0, 0] == pytest.approx(0.8, abs=1e-15)
    set_gradient(layer, -1.0)
    opt.step()
    # v2 = 0.9 * 2 - 1 = 0.8, p2 = 0.8 - 0.1 * 0.8
    assert layer._parameters["W"][0, 0] == pytest.approx(0.72, abs=1e-15)


def test_adam_two_steps():
    layer = scalar_model(1.0)
    opt = Adam(layer, lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    set_gradient(layer, 2.0)
    opt.step()
    # m1 = 0.1 * 2 = 0.2, v1 = 0.001 * 4 = 0.004
    # m_hat = 0.2 / (1 - 0.9) = 2, v_hat = 0.004 / (1 - 0.999) = 4
    p1 = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)
    assert layer._parameters["W"][0, 0] == pytest.approx(p1, rel=1e-12)
    set_gradient(layer, -1.0)
    opt.step()
    # m2 = 0.9 * 0.2 + 0.1 * (-1) = 0.08, v2 = 0.999 * 0.004 + 0.001 * 1 = 0.004996
    m_hat = 0.08 / (1 - 0.9**2)
    v_hat = 0.004996 / (1 - 0.999**2)
    p2 = p1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert layer._parameters["W"][0, 0] == pytest.approx(p2, rel=1e-12)
    assert p2 == pytest.approx(0.87336630, abs=1e-8)  # = 0.9 - 0.1 * 0.4210526 / 1.5809015


def test_adam_first_step_has_size_lr_whatever_the_gradient_scale():
    for g in (1e-4, 1.0, 1e4):
        layer = scalar_model(0.0)
        set_gradient(layer, g)
        Adam(layer, lr=0.01).step()
        assert layer._parameters["W"][0, 0] == pytest.approx(-0.01, rel=1e-3)


@pytest.mark.parametrize("make", [lambda m: SGD(m, 0.1, momentum=0.5), lambda m: Adam(m)])
def test_float32_stays_float32_and_buffers_are_reused(make):
    net = Sequential(Linear(3, 4, rng=0), TanH(), Linear(4, 2, rng=1))
    opt = make(net)
    arrays = [p for _, p, _ in net.parameters()]
    for _ in range(2):
        for _, _, g in net.parameters():
            g[...] = 0.5
        opt.step()
    assert all(p.dtype == np.float32 for _, p, _ in net.parameters())
    assert all(b.dtype == np.float32 for buffers in opt.state.values() for b in buffers)
    assert [p for _, p, _ in net.parameters()] == arrays  # updated in place
    assert sorted(opt.state) == ["0.W", "0.b", "2.W", "2.b"]


def test_tied_weight_is_updated_once_with_the_summed_gradient():
    encoder = Linear(3, 2, dtype=np.float64, rng=0)
    net = Sequential(encoder, TiedLinear(encoder))
    W0 = encoder._parameters["W"].copy()
    net.zero_grad()
    encoder._gradient["W"][...] = 1.0
    SGD(net, lr=0.1).step()
    np.testing.assert_allclose(encoder._parameters["W"], W0 - 0.1)


def test_optimizer_state_follows_astype():
    layer = scalar_model(1.0, dtype=np.float32)
    opt = SGD(layer, lr=0.1, momentum=0.9)
    set_gradient(layer, 2.0)
    opt.step()
    layer.astype(np.float64)
    set_gradient(layer, -1.0)
    opt.step()
    assert layer._parameters["W"].dtype == np.float64
    assert layer._parameters["W"][0, 0] == pytest.approx(0.72, abs=1e-6)  # velocity kept


def test_invalid_hyperparameters_are_rejected():
    layer = scalar_model(1.0)
    with pytest.raises(ValueError, match="lr"):
        SGD(layer, lr=0)
    with pytest.raises(ValueError, match="momentum"):
        SGD(layer, lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="betas"):
        Adam(layer, betas=(0.9, 1.0))


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_an_optimizer_refuses_parameters_and_asks_for_the_module(optimizer):
    """PyTorch's habit, ``Adam(net.parameters())``, is refused when made, not at step()."""
    layer = scalar_model(1.0)
    for wrong in (layer.parameters(), list(layer.parameters())):
        with pytest.raises(TypeError, match=rf"^{optimizer.__name__}: module must be the network to train, "
                                            r"a diy Module .*got (generator|list); pass the module itself"):
            optimizer(wrong, lr=0.1)


def test_optim_step_is_forward_loss_backward_update():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 2)), rng.standard_normal((5, 1))
    layer = Linear(2, 1, dtype=np.float64, rng=0)
    W0, b0 = layer._parameters["W"].copy(), layer._parameters["b"].copy()
    value = Trainer(layer, MSELoss(), 0.1).step(X, y)
    residual = X @ W0 + b0 - y
    assert value == pytest.approx(np.mean(residual[:, 0] ** 2), rel=1e-12)
    # d/dW of mean_i (x_i w + b - y_i)^2 = 2 X.T r / n
    np.testing.assert_allclose(layer._parameters["W"], W0 - 0.1 * 2 * X.T @ residual / 5, rtol=1e-12)
    np.testing.assert_allclose(layer._parameters["b"], b0 - 0.1 * 2 * residual.sum(0) / 5, rtol=1e-12)


def test_optim_accepts_an_optimizer_and_zeroes_gradients_between_steps():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, 2)), rng.standard_normal((8, 1))
    a, b = Linear(2, 1, dtype=np.float64, rng=0), Linear(2, 1, dtype=np.float64, rng=0)
    plain, adam = Trainer(a, MSELoss(), 0.05), Trainer(b, MSELoss(), optimizer=Adam(b, lr=0.05))
    losses = [(plain.step(X, y), adam.step(X, y)) for _ in range(50)]
    assert losses[-1][0] < losses[0][0] and losses[-1][1] < losses[0][1]
    with pytest.raises(ValueError, match="exactly one"):
        Trainer(a, MSELoss())
    with pytest.raises(ValueError, match="exactly one"):
        Trainer(a, MSELoss(), 0.1, optimizer=Adam(a))


def test_adam_matches_the_textbook_update_over_many_steps():
    """The scaled moments and folded scalars against the docstring's formulas, step by
    step, with the learning rate changed between steps as a scheduler does."""
    rng = np.random.default_rng(0)
    layer = Linear(3, 2, dtype=np.float64, rng=0)
    b1, b2, eps = 0.8, 0.99, 1e-3  # eps large enough to matter
    opt = Adam(layer, lr=0.1, betas=(b1, b2), eps=eps)
    p = {name: q.copy() for name, q, _ in layer.parameters()}
    m = {name: np.zeros_like(q) for name, q in p.items()}
    v = {name: np.zeros_like(q) for name, q in p.items()}
    for t in range(1, 31):
        opt.lr = 0.1 / t
        for name, _, gradient in layer.parameters():
            g = gradient[...] = rng.standard_normal(gradient.shape) * 10.0 ** rng.integers(-3, 3)
            m[name] = b1 * m[name] + (1 - b1) * g
            v[name] = b2 * v[name] + (1 - b2) * g**2
            m_hat, v_hat = m[name] / (1 - b1**t), v[name] / (1 - b2**t)
            p[name] = p[name] - opt.lr * m_hat / (np.sqrt(v_hat) + eps)
        opt.step()
        for name, parameter, _ in layer.parameters():
            np.testing.assert_allclose(parameter, p[name], rtol=1e-12, atol=1e-15)
