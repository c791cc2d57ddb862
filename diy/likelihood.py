"""A VAE's evidence lower bound and its importance-sampled log-likelihood (Burda et al. 2016)."""
import numpy as np

from .autoencoder import AutoEncoder
from .bce_with_logits_loss import BCEWithLogitsLoss
from .checks import in_unit_interval, positive_int
from .gaussian_sample import GaussianSample
from .random import as_generator
from .sigmoid import Sigmoid


def vae_log_likelihood(model, X, *, samples=200, rng=None, batch_size=50):
    """The ELBO and the importance-sampled log-likelihood of each image, in nats.

    For a VAE whose encoder ends in ``GaussianSample`` and whose decoder is Bernoulli (it
    gives the pixels' logits, or probabilities through a final ``Sigmoid``, whose logits are
    then used). With z_1..z_K drawn from q(z | x) = N(mu, sigma^2)::

        ELBO(x)   = 1/K sum_k log p(x | z_k) - KL(q(z | x) || N(0, I))
        log p(x) ~= log 1/K sum_k p(x | z_k) p(z_k) / q(z_k | x)     (IWAE, K = samples)

    The second is a lower bound that tightens as K grows and converges to log p(x) (Burda
    et al. 2016, Theorem 1); with K = 1 it is an unbiased one-sample ELBO. The log-weights
    are computed and log-sum-exp'd in float64. log p(x | z) is a probability only for binary
    x: on grey pixels the numbers are the Bernoulli cross-entropy's, not a likelihood.

    Parameters
    ----------
    model : AutoEncoder
        A VAE (``diy.build_vae``); put in eval mode and left there.
    X : ndarray of shape (n, d)
        Images, of the model's dtype, values in [0, 1] (binary for a likelihood).
    samples : int >= 1
        K, the importance samples per image.
    rng : np.random.Generator, int or None
        Source of the samples (not the module's own generator), so an estimate is repeatable.
    batch_size : int
        Images per decoder pass (of ``batch_size * samples`` codes).

    Returns
    -------
    dict with ``"elbo"`` and ``"log_likelihood"``: float64 ndarrays of shape (n,).
    """
    if not isinstance(model, AutoEncoder):
        raise TypeError(f"vae_log_likelihood: model must be a VAE (diy.build_vae), got {model!r}")
    encoder, decoder = model.encoder, model.decoder
    if not isinstance(encoder[-1], GaussianSample):
        raise ValueError("vae_log_likelihood: the model's encoder must end in a GaussianSample")
    samples = positive_int("vae_log_likelihood", "samples", samples)
    batch_size = positive_int("vae_log_likelihood", "batch_size", batch_size)
    in_unit_interval("vae_log_likelihood", "X", X)
    model.eval()
    rng = as_generator(rng)
    logits_decoder = decoder.modules[:-1] if isinstance(decoder[-1], Sigmoid) else decoder.modules
    bce = BCEWithLogitsLoss()
    elbo, log_likelihood = np.empty(len(X)), np.empty(len(X))
    for start in range(0, len(X), batch_size):
        x = X[start:start + batch_size]
        statistics = x
        for module in encoder.modules[:-1]:
            statistics = module.forward(statistics)
        d = statistics.shape[1] // 2
        mu, logvar = statistics[:, :d].astype(np.float64), statistics[:, d:].astype(np.float64)
        eps = rng.standard_normal((len(x), samples, d))
        z = mu[:, None, :] + np.exp(logvar / 2)[:, None, :] * eps
        logits = z.reshape(-1, d).astype(x.dtype)
        for module in logits_decoder:
            logits = module.forward(logits)
        x_rep = np.repeat(x, samples, axis=0).astype(np.float64)
        log_px = -bce.forward(x_rep, logits.astype(np.float64)).reshape(len(x), samples)
        # log p(z) - log q(z | x): the 2 pi terms cancel.
        log_pz = -0.5 * np.einsum("nkd,nkd->nk", z, z)
        log_qz = -0.5 * (np.einsum("nkd,nkd->nk", eps, eps) + logvar.sum(axis=1)[:, None])
        log_w = log_px + log_pz - log_qz
        top = log_w.max(axis=1)
        log_likelihood[start:start + len(x)] = top + np.log(np.exp(log_w - top[:, None]).mean(axis=1))
        kl = 0.5 * (np.square(mu) + np.exp(logvar) - 1 - logvar).sum(axis=1)
        elbo[start:start + len(x)] = log_px.mean(axis=1) - kl
    return {"elbo": elbo, "log_likelihood": log_likelihood}
