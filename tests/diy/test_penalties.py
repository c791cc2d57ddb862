"""Modules that add a penalty to the objective (GaussianSample, L1Penalty, KLSparsity,
Contractive, ClusteringPenalty) and KSparse: finite-difference gradients of the whole objective,
alone and inside a network with a real loss; each penalty's value against its formula computed
independently; GaussianSample's draws; KSparse's mask; penalty names; constructor errors; and
save/load round trips."""
import numpy as np
import pytest
from scipy import special
from scipy.spatial.distance import cdist
from scipy.stats import norm

import diy
from diy import (
    BCEWithLogitsLoss, ClusteringLayer, ClusteringPenalty, Contractive, GaussianSample, KLSparsity,
    KSparse, L1Penalty, Linear, ReLU, Sequential, Sigmoid, TanH, build_vae, check_gradient, load, save,
)
from diy.objective import objective_terms

TOLERANCE = 1e-6
BATCH = 6
#: Centroids far apart, so the codes' distances to them never vanish (ClusteringLayer clips s at 1).
CENTROIDS = np.array([[2.0, 0.0], [-1.0, 1.5], [0.0, -2.5]])


def normal(shape, seed=0, scale=1.0):
    return scale * np.random.default_rng(seed).standard_normal(shape)


def away_from_zero(shape, seed=0):
    """|x| in [0.1, 2]: a finite-difference step never crosses |x|'s kink at 0."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 2, shape) * rng.choice([-1, 1], shape)


def separated_rows(n, d, seed=0):
    """Each row a permutation of d values 0.5 apart, none 0: no two units of a row tie or come
    within a finite-difference step of each other, so KSparse's choice cannot flip."""
    values = 0.5 * np.arange(d) - 0.25 * (d - 1) + 0.1
    return np.random.default_rng(seed).permuted(np.tile(values, (n, 1)), axis=1)


def targets(n, seed=1):
    """Rows of a target distribution over the 3 clusters, one exactly 0 (0 log 0 = 0)."""
    P = np.random.default_rng(seed).dirichlet(np.ones(3), size=n)
    P[0] = [0.7, 0.3, 0.0]
    return P


def clustering_penalty(target=True, gamma=0.4):
    penalty = ClusteringPenalty(ClusteringLayer(3, 2, alpha=2.0, centroids=CENTROIDS, dtype=np.float64), gamma)
    penalty.target = targets(BATCH) if target else None
    return penalty


def linear(d_in, d_out, seed):
    return Linear(d_in, d_out, rng=seed, dtype=np.float64)


def ksparse_network():
    """A code layer close to 2 I, so its outputs keep the input rows' 0.5 gaps (within
    0.04): KSparse keeps the same units under every perturbation of the check."""
    code = linear(6, 6, 0)
    code._parameters["W"][...] = 2 * np.eye(6) + 0.001 * normal((6, 6), seed=1)
    return Sequential(code, KSparse(3), TanH(), linear(6, 5, 2))


# name -> (module alone, its input, a network holding it, the network's input). Each network
# feeds the module what it expects: L1Penalty and KLSparsity sit after a Sigmoid (positive
# activations, away from |x|'s kink; means in (0, 1)).
CASES = {
    **{f"GaussianSample({mode}, beta={beta})": (
        lambda beta=beta, mode=mode: GaussianSample(beta, rng=1).train(mode == "train"),
        lambda: normal((BATCH, 6), scale=0.7),
        lambda beta=beta, mode=mode: Sequential(linear(4, 6, 0), GaussianSample(beta, rng=1), linear(3, 5, 1)
                                                ).train(mode == "train"),
        lambda: normal((BATCH, 4)),
    ) for mode in ("train", "eval") for beta in (0.5, 4.0)},
    "L1Penalty": (
        lambda: L1Penalty(0.3), lambda: away_from_zero((BATCH, 2, 3)),
        lambda: Sequential(linear(4, 6, 0), Sigmoid(), L1Penalty(0.3), linear(6, 5, 1)), lambda: normal((BATCH, 4)),
    ),
    "KLSparsity": (
        lambda: KLSparsity(0.1, 0.7), lambda: np.random.default_rng(0).uniform(0.05, 0.95, (BATCH, 5)),
        lambda: Sequential(linear(4, 6, 0), Sigmoid(), KLSparsity(0.1, 0.7), linear(6, 5, 1)),
        lambda: normal((BATCH, 4)),
    ),
    "KSparse": (
        lambda: KSparse(3), lambda: separated_rows(BATCH, 7), ksparse_network, lambda: separated_rows(BATCH, 6, 1),
    ),
    **{f"Contractive({activation})": (
        lambda activation=activation: Contractive.build(4, 3, activation, 0.5, rng=0, dtype=np.float64),
        lambda: normal((BATCH, 4)),
        lambda activation=activation: Sequential(
            linear(4, 6, 0), TanH(), Contractive.build(6, 3, activation, 0.5, rng=1, dtype=np.float64),
            linear(3, 5, 2)),
        lambda: normal((BATCH, 4)),
    ) for activation in ("sigmoid", "tanh")},
    **{f"ClusteringPenalty({'target' if target else 'no target'})": (
        lambda target=target: clustering_penalty(target), lambda: normal((BATCH, 2)),
        lambda target=target: Sequential(linear(4, 2, 0), clustering_penalty(target), linear(2, 5, 1)),
        lambda: normal((BATCH, 4)),
    ) for target in (True, False)},
}
#: The cases whose module adds a term: the check must then cover it.
PENALISED = {name for name in CASES if not name.startswith(("KSparse", "ClusteringPenalty(no"))}


@pytest.mark.parametrize("name", list(CASES))
def test_gradient_of_the_module_alone(name):
    make_module, make_input, _, _ = CASES[name]
    module, X = make_module(), make_input()
    errors = check_gradient(module, X)
    assert list(errors) == ["input"] + [key for key, _, _ in module.parameters()]
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("name", list(CASES))
def test_gradient_inside_a_network_with_a_loss(name):
    _, _, make_net, make_input = CASES[name]
    net, X = make_net(), make_input()
    y = (normal((BATCH, 5), seed=7) > 0).astype(np.float64)
    net.forward(X)
    assert (len(list(net.penalties())) == 1) == (name in PENALISED)
    errors = check_gradient(net, X, loss=BCEWithLogitsLoss(), y=y)
    assert list(errors) == ["input"] + [key for key, _, _ in net.parameters()]
    assert max(errors.values()) < TOLERANCE, errors


class ForgetfulL1(L1Penalty):
    """Reports its term but back-propagates the identity's delta only."""

    def backward_delta(self, input, delta):
        return delta


def test_the_check_differentiates_the_penalty_too():
    """A module that forgets its penalty's gradient is caught, with and without a loss."""
    X = away_from_zero((BATCH, 4))
    assert check_gradient(ForgetfulL1(5.0), X)["input"] > 0.1
    net = Sequential(linear(4, 4, 0), ForgetfulL1(5.0), linear(4, 3, 1))
    y = (normal((BATCH, 3), seed=2) > 0).astype(np.float64)
    assert check_gradient(net, X, loss=BCEWithLogitsLoss(), y=y)["0.W"] > 0.1


# -- GaussianSample --------------------------------------------------------------------------
def test_gaussian_kl_is_the_divergence_integrated_numerically():
    """beta * sum_j KL(N(mu_j, sigma_j^2) || N(0, 1)), each KL = int q (log q - log p) dz
    summed on a grid of +-12 sigma (the rectangle rule is exact to rounding for a Gaussian)."""
    X = np.array([[0.5, -1.0, np.log(0.25), 0.3], [0.0, 2.0, 0.0, np.log(3.0)], [-1.5, 0.1, 1.0, -2.0]])
    beta = 4.0
    expected = np.zeros(len(X))
    for n, row in enumerate(X):
        for mu, logvar in zip(row[:2], row[2:]):
            sigma = np.exp(logvar / 2)
            z, dz = np.linspace(mu - 12 * sigma, mu + 12 * sigma, 4001, retstep=True)
            log_q = norm.logpdf(z, mu, sigma)
            expected[n] += np.sum(np.exp(log_q) * (log_q - norm.logpdf(z))) * dz
    for mode in (True, False):
        module = GaussianSample(beta, rng=0).train(mode)
        module.forward(X)
        np.testing.assert_allclose(module.penalty(), beta * expected, rtol=1e-8)


def test_gaussian_sample_gives_the_mean_in_eval_mode():
    X = normal((5, 6))
    z = GaussianSample(rng=0).eval().forward(X)
    np.testing.assert_array_equal(z, X[:, :3])
    assert not np.shares_memory(z, X)


def test_gaussian_sample_draws_have_the_encoders_mean_and_variance():
    """40000 draws per unit: the bounds are 6 standard errors (sigma / sqrt(n) for the mean,
    sqrt(2 / n) relative for the variance), which no seed exceeds but by a 1e-9 chance."""
    n = 40000
    mu, sigma = np.array([0.5, -2.0]), np.array([0.5, 2.0])
    X = np.tile(np.concatenate([mu, 2 * np.log(sigma)]), (n, 1))
    z = GaussianSample(rng=0).forward(X)
    assert np.all(np.abs(z.mean(axis=0) - mu) < 6 * sigma / np.sqrt(n))
    assert np.all(np.abs(z.var(axis=0) / sigma ** 2 - 1) < 6 * np.sqrt(2 / n))
    assert abs(np.corrcoef(z.T)[0, 1]) < 6 / np.sqrt(n)


def test_gaussian_sample_follows_its_seed():
    X = normal((4, 6)).astype(np.float32)
    first, same, other = GaussianSample(rng=3), GaussianSample(rng=3), GaussianSample(rng=4)
    z = first.forward(X)
    assert z.dtype == np.float32
    np.testing.assert_array_equal(z, same.forward(X))
    assert not np.array_equal(z, other.forward(X))
    assert not np.array_equal(z, first.forward(X))  # a fresh draw at every forward


# -- L1Penalty, KLSparsity ---------------------------------------------------------------------
def test_l1_penalty_is_weight_times_the_absolute_sum_and_passes_the_input_through():
    X = normal((4, 2, 3))
    module = L1Penalty(0.25)
    np.testing.assert_array_equal(module.forward(X), X)
    np.testing.assert_allclose(module.penalty(), 0.25 * np.abs(X).sum(axis=(1, 2)), rtol=1e-14)


def test_kl_sparsity_is_the_bernoulli_divergence_of_the_batch_means():
    X = np.random.default_rng(0).uniform(0.05, 0.95, (8, 5))
    module = KLSparsity(rho=0.1, weight=0.7)
    np.testing.assert_array_equal(module.forward(X), X)
    r = X.mean(axis=0)
    kl = special.rel_entr(0.1, r) + special.rel_entr(0.9, 1 - r)  # KL(Bernoulli(0.1) || Bernoulli(r))
    np.testing.assert_allclose(module.penalty(), np.full(8, 0.7 * kl.sum()), rtol=1e-12)


# -- KSparse -----------------------------------------------------------------------------------
def test_k_sparse_keeps_exactly_the_k_largest_and_passes_gradient_only_there():
    X = separated_rows(5, 7)
    module = KSparse(3)
    out = module.forward(X)
    threshold = np.sort(X, axis=1)[:, -3][:, None]
    keep = X >= threshold
    assert np.all(np.count_nonzero(out, axis=1) == 3) and np.all(keep.sum(axis=1) == 3)
    np.testing.assert_array_equal(out, np.where(keep, X, 0))
    delta = normal(X.shape, seed=1)
    np.testing.assert_array_equal(module.backward_delta(X, delta), np.where(keep, delta, 0))
    assert module.penalty() is None
    np.testing.assert_array_equal(module.eval().forward(X), out)  # eval keeps the same k


def test_k_sparse_keeps_k_units_among_ties_and_all_when_k_covers_the_row():
    X = np.array([[2.0, 2.0, 2.0, 1.0, 0.5]])
    out = KSparse(2).forward(X)
    assert np.count_nonzero(out) == 2 and set(out[out != 0]) == {2.0}
    np.testing.assert_array_equal(KSparse(5).forward(X), X)
    np.testing.assert_array_equal(KSparse(9).forward(X), X)


# -- Contractive -------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_contractive_penalty_is_the_jacobians_squared_frobenius_norm(activation):
    """||dh/dx||_F^2 per sample, the Jacobian by central differences of the layer's output."""
    module = Contractive.build(4, 3, activation, weight=0.5, rng=0, dtype=np.float64)
    X = normal((5, 4), scale=1.5)
    module.forward(X)
    penalty = module.penalty().copy()
    eps = 1e-5
    expected = np.empty(len(X))
    for n, x in enumerate(X):
        steps = np.repeat(x[None], 8, axis=0)
        steps[0::2] += eps * np.eye(4)
        steps[1::2] -= eps * np.eye(4)
        h = module.forward(steps)
        jacobian = (h[0::2] - h[1::2]) / (2 * eps)  # row i: dh / dx_i
        expected[n] = np.sum(np.square(jacobian))
    np.testing.assert_allclose(penalty, 0.5 * expected, rtol=1e-8)
    a = X @ module[0]._parameters["W"] + module[0]._parameters["b"]
    np.testing.assert_allclose(module.forward(X), special.expit(a) if activation == "sigmoid" else np.tanh(a),
                               rtol=1e-12)


# -- ClusteringPenalty -----------------------------------------------------------------------
def test_clustering_penalty_is_gamma_times_kl_of_the_target_from_the_soft_assignment():
    """Q from the Student's t kernel with alpha = 2, computed here from the distances."""
    module = clustering_penalty(gamma=0.4)
    Z = normal((BATCH, 2))
    np.testing.assert_array_equal(module.forward(Z), Z)
    t = (1 + cdist(Z, CENTROIDS, "sqeuclidean") / 2.0) ** -1.5
    Q = t / t.sum(axis=1, keepdims=True)
    expected = 0.4 * special.rel_entr(module.target, Q).sum(axis=1)
    np.testing.assert_allclose(module.penalty(), expected, rtol=1e-12)


def test_clustering_penalty_without_target_is_the_identity():
    module = clustering_penalty(target=False)
    net = Sequential(linear(2, 3, 0), module)
    Z = normal((BATCH, 2))
    np.testing.assert_array_equal(module.forward(Z), Z)
    assert module.penalty() is None
    net.forward(Z)
    assert list(net.penalties()) == []
    delta = normal((BATCH, 2), seed=1)
    module.forward(Z)
    np.testing.assert_array_equal(module.backward(Z, delta), delta)
    assert not module.layer._gradient["mu"].any()


# -- names, the objective's terms ---------------------------------------------------------------
def test_a_unique_penalty_is_named_alone_and_repeated_ones_by_their_path():
    X = np.abs(normal((3, 4))) + 0.1
    net = Sequential(L1Penalty(0.1), Linear(4, 4, rng=0, dtype=np.float64), Sigmoid(),
                     KLSparsity(0.2, 1.0), L1Penalty(0.3))
    assert list(net.penalties()) == []  # no forward yet, no terms
    net.forward(X)
    terms = dict(net.penalties())
    assert list(terms) == ["0.l1", "sparsity", "4.l1"]
    assert terms["0.l1"] is net[0].penalty() and terms["4.l1"] is net[4].penalty()
    vae = build_vae([4, 3, 2], rng=0, dtype=np.float64)
    vae.forward(X)
    assert [name for name, _ in vae.penalties()] == ["kl"]
    nested = diy.AutoEncoder(Sequential(Linear(4, 2, rng=0, dtype=np.float64), L1Penalty(0.1)),
                             Sequential(Linear(2, 4, rng=1, dtype=np.float64), L1Penalty(0.2)))
    nested.forward(X)
    assert [name for name, _ in nested.penalties()] == ["encoder.1.l1", "decoder.1.l1"]


class OutputPenalty(L1Penalty):
    """A penalty whose name collides with the loss's term."""

    penalty_name = "output"


def test_objective_terms_are_the_loss_then_each_penalty():
    X = np.abs(normal((3, 4))) + 0.1
    y = (normal((3, 4), seed=1) > 0).astype(np.float64)
    net = Sequential(Linear(4, 4, rng=0, dtype=np.float64), Sigmoid(), L1Penalty(0.3))
    output = net.forward(X)
    terms = objective_terms(net, BCEWithLogitsLoss(), y, output)
    assert list(terms) == ["output", "l1"]
    np.testing.assert_array_equal(terms["output"], BCEWithLogitsLoss().forward(y, output))
    clash = Sequential(OutputPenalty(0.1))
    with pytest.raises(ValueError, match="two terms named 'output'"):
        objective_terms(clash, BCEWithLogitsLoss(), y, clash.forward(X))


# -- constructors ------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, name", [
    (lambda: GaussianSample(-0.5), ValueError, "GaussianSample"),
    (lambda: GaussianSample(float("nan")), ValueError, "GaussianSample"),
    (lambda: L1Penalty(-1.0), ValueError, "L1Penalty"),
    (lambda: KLSparsity(rho=0.0), ValueError, "KLSparsity"),
    (lambda: KLSparsity(rho=1.0), ValueError, "KLSparsity"),
    (lambda: KLSparsity(rho=1.5), ValueError, "KLSparsity"),
    (lambda: KLSparsity(rho=0.1, weight=-1.0), ValueError, "KLSparsity"),
    (lambda: KSparse(0), ValueError, "KSparse"),
    (lambda: KSparse(2.5), ValueError, "KSparse"),
    (lambda: Contractive(Linear(4, 3, rng=0), ReLU()), TypeError, "Contractive"),
    (lambda: Contractive.build(4, 3, "relu"), ValueError, "Contractive"),
    (lambda: Contractive.build(4, 3, weight=-0.1), ValueError, "Contractive"),
    (lambda: ClusteringPenalty(Linear(2, 3, rng=0)), TypeError, "ClusteringPenalty"),
    (lambda: ClusteringPenalty(ClusteringLayer(3, 2, rng=0), gamma=-1.0), ValueError, "ClusteringPenalty"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_bad_arguments_are_refused_naming_the_class(make, error, name):
    with pytest.raises(error, match=name):
        make()


# -- float32 and save / load -------------------------------------------------------------------
def every_new_module(dtype=np.float32):
    """Linear, both Contractives, KLSparsity, L1Penalty, KSparse, ClusteringPenalty, GaussianSample."""
    return Sequential(
        Linear(5, 8, rng=0, dtype=dtype), Contractive.build(8, 6, "sigmoid", 0.3, rng=1, dtype=dtype),
        KLSparsity(0.1, 0.5), L1Penalty(0.01), Contractive.build(6, 6, "tanh", 0.2, rng=2, dtype=dtype),
        KSparse(4), ClusteringPenalty(ClusteringLayer(3, 6, rng=3, dtype=dtype), 0.2),
        Linear(6, 4, rng=4, dtype=dtype), GaussianSample(2.0, rng=5),
    )


def perturbed(model, seed=0):
    """Biases made non-zero, so that a mix-up of parameters cannot hide behind zeros."""
    rng = np.random.default_rng(seed)
    for name, parameter, _ in model.parameters():
        if name.endswith("b"):
            parameter[...] = rng.standard_normal(parameter.shape)
    return model


def test_float32_stays_float32_through_every_new_module():
    net = every_new_module()
    net[6].target = targets(7).astype(np.float32)
    X = normal((7, 5)).astype(np.float32)
    out = net.forward(X)
    assert out.dtype == np.float32
    terms = dict(net.penalties())
    assert list(terms) == ["1.contractive", "sparsity", "l1", "4.contractive", "clustering", "kl"]
    assert all(term.dtype == np.float32 for term in terms.values())
    net.zero_grad()
    assert net.backward(X, np.ones_like(out)).dtype == np.float32
    assert all(gradient.dtype == np.float32 for _, _, gradient in net.parameters())


def test_sequential_of_every_new_module_round_trips(tmp_path):
    net = perturbed(every_new_module()).eval()
    save(net, tmp_path / "net.npz")
    loaded = load(tmp_path / "net.npz")
    assert repr(loaded) == repr(net) and not loaded.training
    assert [loaded[1].activation, loaded[4].activation] == ["sigmoid", "tanh"]
    assert (loaded[2].rho, loaded[2].weight, loaded[5].k, loaded[6].gamma, loaded[8].beta) == (0.1, 0.5, 4, 0.2, 2.0)
    X = normal((7, 5)).astype(np.float32)
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))
    for (name, term), (name_loaded, term_loaded) in zip(net.penalties(), loaded.penalties(), strict=True):
        assert name == name_loaded
        np.testing.assert_array_equal(term_loaded, term)


def test_vae_round_trips(tmp_path):
    vae = perturbed(build_vae([8, 6, 3], "tanh", beta=4.0, rng=0)).eval()
    save(vae, tmp_path / "vae.npz")
    loaded = load(tmp_path / "vae.npz")
    assert isinstance(loaded.encoder[-1], GaussianSample) and loaded.encoder[-1].beta == 4.0
    X = np.random.default_rng(1).uniform(size=(5, 8)).astype(np.float32)
    np.testing.assert_array_equal(loaded.forward(X), vae.forward(X))
    np.testing.assert_array_equal(loaded.encoder.forward(X), vae.encoder.forward(X))
    np.testing.assert_array_equal(loaded.encoder[-1].penalty(), vae.encoder[-1].penalty())
