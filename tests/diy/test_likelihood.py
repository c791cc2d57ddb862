"""vae_log_likelihood against quadrature: on 6 binary pixels every image can be enumerated and,
with a latent of size 1 or 2, log p(x) = log int p(x | z) N(z; 0, I) dz and the ELBO are
integrals a grid computes to far better than the Monte Carlo noise the tests allow.

Tolerances are a few standard errors computed from the quadrature (not from a run), so a
seeded test cannot fail by chance and a wrong estimator (a missing term, a wrong sign) moves
the estimates by far more.
"""
import itertools

import numpy as np
import pytest
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import log_expit, logsumexp
from scipy.stats import norm

from diy import AutoEncoder, GaussianSample, Linear, Sequential, Sigmoid, TanH, build_vae, vae_log_likelihood

#: All 64 images of 6 binary pixels: the likelihoods of a model sum to 1 over them.
IMAGES = np.array(list(itertools.product([0.0, 1.0], repeat=6)))


def log_bernoulli(decoder, x, z):
    """log p(x_i | z_j) for every image i and code j, (len(x), len(z)), from the decoder's
    logits l: sum_p x_p log sigmoid(l_p) + (1 - x_p) log sigmoid(-l_p)."""
    logits = decoder.forward(z)
    return x @ log_expit(logits).T + (1 - x) @ log_expit(-logits).T


def encoder_statistics(vae, X):
    """mu and log-variance of q(z | x): the encoder's output before its GaussianSample."""
    statistics = X
    for module in vae.encoder.modules[:-1]:
        statistics = module.forward(statistics)
    d = statistics.shape[1] // 2
    return statistics[:, :d], statistics[:, d:]


def log_marginal_on_grid(decoder, X, grid):
    """log p(x) = log sum_z p(x | z) N(z; 0, I) dz over the product grid ``grid`` ** latent."""
    latent = decoder[0].d_in
    Z = np.stack(np.meshgrid(*[grid] * latent, indexing="ij"), axis=-1).reshape(-1, latent)
    log_joint = log_bernoulli(decoder, X, Z) + norm.logpdf(Z).sum(axis=1)
    return logsumexp(log_joint, axis=1) + latent * np.log(grid[1] - grid[0]), Z, log_joint


def exact_elbo(vae, X, points=40):
    """E_q[log p(x | z)] - KL(q || N(0, I)) per image by Gauss-Hermite quadrature in
    z = mu + sigma u, and the variance of log p(x | z) under q (the Monte Carlo noise of one
    draw). KL in closed form: sum_j -log sigma_j + (sigma_j^2 + mu_j^2 - 1) / 2."""
    mu, logvar = encoder_statistics(vae, X)
    sigma = np.exp(logvar / 2)
    latent = mu.shape[1]
    u, w = hermegauss(points)
    U = np.stack(np.meshgrid(*[u] * latent, indexing="ij"), axis=-1).reshape(-1, latent)
    weights = np.prod(np.stack(np.meshgrid(*[w] * latent, indexing="ij"), axis=-1).reshape(-1, latent), axis=1)
    weights /= np.sqrt(2 * np.pi) ** latent
    elbo, variance = np.empty(len(X)), np.empty(len(X))
    for i, x in enumerate(X):
        f = log_bernoulli(vae.decoder, x[None], mu[i] + sigma[i] * U)[0]
        mean = weights @ f
        kl = np.sum(-np.log(sigma[i]) + (np.square(sigma[i]) + np.square(mu[i]) - 1) / 2)
        elbo[i], variance[i] = mean - kl, weights @ np.square(f) - mean ** 2
    return elbo, variance


# -- a latent of 2: q much wider than the posterior, so the ELBO is far below log p(x) ------------
@pytest.fixture(scope="module")
def wide_vae():
    """Random tanh VAE whose first decoder weights are tripled (an informative likelihood) and whose
    q(z | x) has variance 4 in each direction: the posterior's variance is at most 1 (the
    prior's) on average over x, so KL(q || posterior), the ELBO's gap, is large by construction."""
    vae = build_vae([6, 8, 2], "tanh", rng=0, dtype=np.float64)
    vae.decoder[0]._parameters["W"] *= 3
    statistics = vae.encoder[-2]
    statistics._parameters["W"][:, 2:] = 0
    statistics._parameters["b"][2:] = np.log(4.0)
    vae.eval()
    log_p, _, _ = log_marginal_on_grid(vae.decoder, IMAGES, np.linspace(-6, 6, 241))
    # The grid holds all but ~4e-9 of the prior's mass: the 64 likelihoods sum to 1.
    assert np.exp(log_p).sum() == pytest.approx(1, abs=1e-7)
    elbo, variance = exact_elbo(vae, IMAGES)
    return vae, log_p, elbo, variance


def test_one_sample_estimate_has_the_elbo_as_expectation(wide_vae):
    """With K = 1 the importance-sampled estimate is log p(x, z) - log q(z | x) for one draw:
    its mean over 300 draws of each image is the mean ELBO, up to its standard error."""
    vae, _, elbo, _ = wide_vae
    repeats = 300
    result = vae_log_likelihood(vae, np.tile(IMAGES, (repeats, 1)), samples=1, rng=0)
    estimate = result["log_likelihood"]
    standard_error = estimate.std() / np.sqrt(len(estimate))
    assert standard_error < 0.05  # the comparison below is sharp
    assert abs(estimate.mean() - elbo.mean()) < 6 * standard_error
    # The returned ELBO, with its KL in closed form, has the same expectation.
    assert abs(result["elbo"].mean() - elbo.mean()) < 6 * result["elbo"].std() / np.sqrt(len(estimate))


def test_elbo_of_each_image_matches_quadrature(wide_vae):
    vae, _, elbo, variance = wide_vae
    samples = 2000
    result = vae_log_likelihood(vae, IMAGES, samples=samples, rng=1)
    standard_error = np.sqrt(variance / samples)
    assert np.all(np.abs(result["elbo"] - elbo) < 6 * standard_error)
    assert standard_error.max() < 0.1


def test_the_bound_tightens_with_more_samples(wide_vae):
    """IWAE with K = 1000 is far above the one-sample bound and closes most of the ELBO's gap,
    without exceeding log p(x) beyond its noise."""
    vae, log_p, elbo, _ = wide_vae
    one = vae_log_likelihood(vae, np.tile(IMAGES, (300, 1)), samples=1, rng=2)["log_likelihood"]
    many = vae_log_likelihood(vae, IMAGES, samples=1000, rng=3)["log_likelihood"]
    gap = np.mean(log_p - elbo)
    assert gap > 1  # built in by the wide q
    assert many.mean() >= one.mean()
    assert np.mean(log_p - many) < 0.25 * gap
    assert many.mean() <= log_p.mean() + 0.02


def test_elbo_is_below_log_likelihood_for_every_image(wide_vae):
    vae, log_p, elbo, variance = wide_vae
    result = vae_log_likelihood(vae, IMAGES, samples=2000, rng=4)
    assert np.all(result["elbo"] < log_p)
    assert np.all(elbo < log_p)  # the quadrature agrees: the gap is KL(q || posterior) >= 0


# -- a latent of 1: q fitted to the posterior, so K = 5000 converges to log p(x) -------------------
def posterior_vae(variance_ratio, seed=0):
    """A latent-1 VAE whose q(z | x) is N(m(x), ratio * v(x)) at each of the 64 images, with
    m and v the posterior's mean and variance by quadrature: the last encoder layer is solved
    for by least squares on its 64 hidden features and a bias (65 unknowns, an exact fit).

    A q somewhat wider than the posterior is a good importance sampler (bounded weights);
    the ratio sets the ELBO's gap. The decoder, 1-8-6 with tripled first weights (an informative
    likelihood), is narrower than the encoder: it costs the K draws. Returns the model and
    log p(x) of each image."""
    rng = np.random.default_rng(seed)
    encoder = Sequential(Linear(6, 64, rng=rng, dtype=np.float64), TanH(),
                         Linear(64, 2, rng=rng, dtype=np.float64), GaussianSample(rng=rng))
    decoder = Sequential(Linear(1, 8, rng=rng, dtype=np.float64), TanH(), Linear(8, 6, rng=rng, dtype=np.float64))
    decoder[0]._parameters["W"] *= 3
    vae = AutoEncoder(encoder, decoder)
    vae.eval()
    grid = np.linspace(-12, 12, 24001)
    log_p, Z, log_joint = log_marginal_on_grid(vae.decoder, IMAGES, grid)
    assert np.exp(log_p).sum() == pytest.approx(1, abs=1e-9)
    posterior = np.exp(log_joint - log_p[:, None]) * (grid[1] - grid[0])
    mean = posterior @ Z[:, 0]
    variance = posterior @ np.square(Z[:, 0]) - np.square(mean)
    hidden = IMAGES
    for module in vae.encoder.modules[:-2]:
        hidden = module.forward(hidden)
    design = np.hstack([hidden, np.ones((len(IMAGES), 1))])
    targets = np.stack([mean, np.log(variance_ratio * variance)], axis=1)
    coefficients = np.linalg.lstsq(design, targets, rcond=None)[0]
    layer = vae.encoder[-2]
    layer._parameters["W"][...] = coefficients[:-1]
    layer._parameters["b"][...] = coefficients[-1]
    mu, logvar = encoder_statistics(vae, IMAGES)
    np.testing.assert_allclose(np.hstack([mu, logvar]), targets, atol=1e-8)
    return vae, log_p


def test_importance_sampled_estimate_converges_to_the_quadrature():
    """q 1.5 times wider than the posterior: the log-estimate's standard deviation is about
    0.006 nats at K = 5000, so 0.05 nats is a wide margin for each image, and the estimator's
    downward bias shows in the mean over images."""
    vae, log_p = posterior_vae(1.5)
    estimate = vae_log_likelihood(vae, IMAGES, samples=5000, rng=0)["log_likelihood"]
    assert np.all(np.abs(estimate - log_p) < 0.05)
    assert np.mean(estimate - log_p) < 0.005  # a lower bound in expectation: below or near


def test_elbo_of_a_loose_q_is_below_the_quadrature():
    """q 4 times wider than the posterior: a gap of about 0.8 nats, against Monte Carlo noise
    of a few hundredths."""
    vae, log_p = posterior_vae(4.0)
    result = vae_log_likelihood(vae, IMAGES, samples=2000, rng=0)
    assert np.all(result["elbo"] < log_p - 0.3)
    assert np.all(result["log_likelihood"] > result["elbo"])


# -- reproducibility, decoders, errors ---------------------------------------------------------
def test_same_rng_same_numbers_and_the_modules_generator_is_left_alone(wide_vae):
    vae = wide_vae[0]
    vae.train()
    state = vae.encoder[-1].rng.bit_generator.state
    first = vae_log_likelihood(vae, IMAGES, samples=20, rng=5)
    second = vae_log_likelihood(vae, IMAGES, samples=20, rng=np.random.default_rng(5))
    other = vae_log_likelihood(vae, IMAGES, samples=20, rng=6)
    for key in ("elbo", "log_likelihood"):
        assert first[key].dtype == np.float64 and first[key].shape == (len(IMAGES),)
        np.testing.assert_array_equal(first[key], second[key])
        assert not np.array_equal(first[key], other[key])
    assert vae.encoder[-1].rng.bit_generator.state == state
    assert not vae.training  # put in eval mode and left there


def test_a_final_sigmoid_is_read_through_to_its_logits(wide_vae):
    vae = wide_vae[0]
    with_sigmoid = AutoEncoder(vae.encoder, Sequential(*vae.decoder.modules, Sigmoid()))
    plain = vae_log_likelihood(vae, IMAGES, samples=30, rng=7)
    through = vae_log_likelihood(with_sigmoid, IMAGES, samples=30, rng=7)
    for key in ("elbo", "log_likelihood"):
        np.testing.assert_array_equal(through[key], plain[key])


def test_rejects_a_model_without_gaussian_sample_and_zero_samples(wide_vae):
    autoencoder = AutoEncoder.build([6, 4, 2], rng=0, dtype=np.float64)
    with pytest.raises(ValueError, match="GaussianSample"):
        vae_log_likelihood(autoencoder, IMAGES)
    with pytest.raises(ValueError, match="samples must be >= 1"):
        vae_log_likelihood(wide_vae[0], IMAGES, samples=0)
