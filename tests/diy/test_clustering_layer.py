"""ClusteringLayer and KLDivLoss: finite-difference gradients, values against independent
formulas, the accumulate contract, dtype, extreme inputs and save/load."""
import numpy as np
import pytest
from scipy import special
from scipy.spatial.distance import cdist

import diy
from diy import ClusteringLayer, KLDivLoss, check_gradient, check_loss_gradient

TOLERANCE = 1e-6


def normal(shape, seed=0, scale=1.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def student_t(Z, mu, alpha):
    """The soft assignment of Xie et al. (2016), eq. 1, from SciPy's distances."""
    t = (1 + cdist(Z, mu, "sqeuclidean") / alpha) ** (-(alpha + 1) / 2)
    return t / t.sum(axis=1, keepdims=True)


def dirichlet(n, k, seed):
    return np.random.default_rng(seed).dirichlet(np.ones(k), size=n)


# -- ClusteringLayer ---------------------------------------------------------------------
@pytest.mark.parametrize("batch", [1, 6], ids=["single", "batch"])
@pytest.mark.parametrize("alpha", [1.0, 2.0, 0.5])
def test_gradient_matches_finite_differences(alpha, batch):
    layer = ClusteringLayer(4, 3, alpha, centroids=normal((4, 3), seed=1))
    errors = check_gradient(layer, normal((batch, 3), seed=2, scale=1.5))
    assert list(errors) == ["input", "mu"]
    assert max(errors.values()) < TOLERANCE, errors


def test_gradient_through_an_encoder():
    net = diy.Sequential(diy.Linear(5, 3, rng=0), diy.TanH(), ClusteringLayer(4, 3, rng=1))
    errors = check_gradient(net, normal((7, 5)))
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("alpha", [1.0, 2.0])
def test_forward_is_the_student_t_soft_assignment(alpha):
    Z, mu = normal((9, 3), scale=2), normal((4, 3), seed=1)
    Q = ClusteringLayer(4, 3, alpha, centroids=mu, dtype=np.float64).forward(Z)
    np.testing.assert_allclose(Q, student_t(Z, mu, alpha), rtol=1e-12)
    np.testing.assert_allclose(Q.sum(axis=1), 1, rtol=1e-15)
    np.testing.assert_array_equal(Q.argmax(axis=1), cdist(Z, mu).argmin(axis=1))


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_far_codes_give_finite_assignments_to_the_nearest_centroid(dtype):
    mu = np.array([[0, 0], [1, 0], [0, 1]], dtype)
    Z = np.array([[1e6, 0], [0, -1e6], [1e15, 1e15]], dtype)
    Q = ClusteringLayer(3, 2, centroids=mu, dtype=dtype).forward(Z)
    assert Q.dtype == dtype and np.isfinite(Q).all()
    np.testing.assert_array_equal(Q.argmax(axis=1)[:2], [1, 0])
    np.testing.assert_allclose(Q.sum(axis=1), 1, rtol=1e-6)


def test_float32_stays_float32():
    layer = ClusteringLayer(4, 3, rng=0)
    Z = normal((8, 3)).astype(np.float32)
    Q = layer.forward(Z)
    delta = normal(Q.shape, seed=1).astype(np.float32)
    assert Q.dtype == np.float32
    assert layer.backward(Z, delta).dtype == np.float32
    assert layer._gradient["mu"].dtype == np.float32


def test_backward_accumulates_and_backward_delta_leaves_parameters_alone():
    layer = ClusteringLayer(4, 3, centroids=normal((4, 3), seed=1), dtype=np.float64)
    Z, delta = normal((5, 3)), normal((5, 4), seed=2)
    layer.forward(Z)
    mu = layer._parameters["mu"].copy()
    dZ = layer.backward_delta(Z, delta)
    assert np.all(layer._gradient["mu"] == 0)
    np.testing.assert_array_equal(layer._parameters["mu"], mu)
    layer.backward_update_gradient(Z, delta)
    once = layer._gradient["mu"].copy()
    np.testing.assert_array_equal(layer.backward(Z, delta), dZ)
    np.testing.assert_allclose(layer._gradient["mu"], 2 * once, rtol=1e-15)


def test_construction_checks_and_input_checks():
    with pytest.raises(ValueError, match="alpha must be > 0"):
        ClusteringLayer(3, 2, alpha=0)
    with pytest.raises(ValueError, match=r"centroids of shape \(2, 2\), expected \(3, 2\)"):
        ClusteringLayer(3, 2, centroids=np.zeros((2, 2)))
    layer = ClusteringLayer(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"expected input of shape \(batch, 2\)"):
        layer.forward(np.zeros((4, 3), np.float32))
    with pytest.raises(TypeError, match="input is float64 but parameters are float32"):
        layer.forward(np.zeros((4, 2)))


def test_save_and_load_round_trip(tmp_path):
    net = diy.Sequential(diy.Linear(5, 3, rng=0), ClusteringLayer(4, 3, alpha=2.0, rng=1))
    diy.save(net, tmp_path / "model.npz")
    loaded = diy.load(tmp_path / "model.npz")
    assert loaded[1].get_config() == {"n_clusters": 4, "latent_dim": 3, "alpha": 2.0}
    X = normal((6, 5)).astype(np.float32)
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))


# -- KLDivLoss -----------------------------------------------------------------------------
@pytest.mark.parametrize("batch", [1, 6], ids=["single", "batch"])
def test_kl_gradient_matches_finite_differences(batch):
    P = dirichlet(batch, 5, seed=1)
    P[0, 1] = 0  # a 0 log 0 term: constant, zero gradient
    P /= P.sum(axis=1, keepdims=True)
    errors = check_loss_gradient(KLDivLoss(), P, dirichlet(batch, 5, seed=2))
    assert errors["yhat"] < TOLERANCE, errors


def test_kl_values_and_gradient():
    P, Q = dirichlet(7, 4, seed=1), dirichlet(7, 4, seed=2)
    P[2, :2] = 0
    loss = KLDivLoss()
    np.testing.assert_allclose(loss.forward(P, Q), special.rel_entr(P, Q).sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(loss.backward(P, Q), -P / Q / 7, rtol=1e-15)
    np.testing.assert_allclose(loss.forward(Q, Q), 0, atol=1e-15)


@pytest.mark.filterwarnings("error")
def test_kl_edge_cases():
    loss = KLDivLoss()
    P = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    Q = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
    np.testing.assert_array_equal(loss.forward(P, Q), [0, np.inf])
    np.testing.assert_array_equal(loss.backward(P, Q), [[-0.5, -0.5, 0], [-np.inf, 0, 0]])  # 0 / 0 is 0
    with pytest.raises(ValueError, match="must both be"):
        loss.forward(P, Q[:, :2])


def test_kl_float32_stays_float32():
    P, Q = dirichlet(8, 4, seed=1), dirichlet(8, 4, seed=2).astype(np.float32)
    loss = KLDivLoss()
    assert loss.forward(P, Q).dtype == np.float32 and loss.forward(P, Q).shape == (8,)
    assert loss.backward(P, Q).dtype == np.float32
