"""DEC and IDEC: the target distribution by hand, one training step against finite
differences of the objective, the refresh and stopping rules, reproducibility, and
better clusters than k-means on digits."""
import copy

import numpy as np
import pytest
from scipy import special
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits

import diy
from diy import SGD, fit_dec, target_distribution
from diy.dec import update_intervals
from diy.assignment import clustering_accuracy
from diy.train import predict


def test_target_distribution_by_hand():
    Q = np.array([[0.8, 0.2], [0.4, 0.6]])
    # f = (1.2, 0.8); q^2 / f = (8/15, 1/20) and (2/15, 9/20), each row summing to 35/60.
    np.testing.assert_allclose(target_distribution(Q), [[32 / 35, 3 / 35], [8 / 35, 27 / 35]], rtol=1e-15)
    Q32 = np.random.default_rng(0).dirichlet(np.ones(4), size=6).astype(np.float32)
    P = target_distribution(Q32)
    assert P.dtype == np.float32
    np.testing.assert_allclose(P.sum(axis=1), 1, rtol=1e-6)
    assert np.all(P.max(axis=1) >= Q32.max(axis=1))  # sharper than Q, row by row


def blobs(n_per_blob, centers, std, seed, dtype):
    """Tight blobs around ``centers`` (k, d), and their labels."""
    centers = np.asarray(centers, dtype=np.float64)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(centers)), n_per_blob)
    X = centers[y] + std * rng.standard_normal((len(y), centers.shape[1]))
    return X.astype(dtype), y


# -- one step against the objective ------------------------------------------------------------
def objective(X, P, parameters, gamma, with_decoder):
    """mean_i KL(P_i || Q_i), or IDEC's mean_i BCE_i + gamma mean_i KL(P_i || Q_i), from scratch."""
    Z = X @ parameters["encoder W"] + parameters["encoder b"]
    t = 1 / (1 + cdist(Z, parameters["mu"], "sqeuclidean"))
    kl = special.rel_entr(P, t / t.sum(axis=1, keepdims=True)).sum(axis=1).mean()
    if not with_decoder:
        return kl
    X_hat = special.expit(Z @ parameters["decoder W"] + parameters["decoder b"])
    bce = -(special.xlogy(X, X_hat) + special.xlogy(1 - X, 1 - X_hat)).sum(axis=1).mean()
    return bce + gamma * kl


@pytest.mark.parametrize("with_decoder", [False, True], ids=["DEC", "IDEC"])
def test_one_step_is_a_gradient_step_on_the_objective(with_decoder):
    X, y = blobs(6, [[0.2] * 4, [0.8] * 4], 0.02, seed=0, dtype=np.float64)
    encoder = diy.Linear(4, 2, rng=0, dtype=np.float64)
    decoder = diy.Sequential(diy.Linear(2, 4, rng=1, dtype=np.float64), diy.Sigmoid())
    Z = encoder.forward(X)
    # The blobs stay apart in code space, so k-means puts its centroids on their means.
    mu = np.stack([Z[y == 0].mean(axis=0), Z[y == 1].mean(axis=0)])
    t = 1 / (1 + cdist(Z, mu, "sqeuclidean"))
    P = target_distribution(t / t.sum(axis=1, keepdims=True))
    parameters = {"encoder W": encoder._parameters["W"].copy(), "encoder b": encoder._parameters["b"].copy(),
                  "mu": mu, "decoder W": decoder[0]._parameters["W"].copy(),
                  "decoder b": decoder[0]._parameters["b"].copy()}
    gamma, lr, eps = 0.3, 0.05, 1e-6
    expected = {}
    for name, value in parameters.items():
        gradient = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + eps
            plus = objective(X, P, parameters, gamma, with_decoder)
            value[index] = original - eps
            minus = objective(X, P, parameters, gamma, with_decoder)
            value[index] = original
            gradient[index] = (plus - minus) / (2 * eps)
        expected[name] = value - lr * gradient

    result = fit_dec(encoder, X, 2, decoder=decoder if with_decoder else None, gamma=gamma,
                     optimizer=lambda module: SGD(module, lr=lr), update_interval=10, max_iter=1,
                     batch_size=len(X), rng=0)
    trained = {"encoder W": encoder._parameters["W"], "encoder b": encoder._parameters["b"],
               "mu": result.model[1]._parameters["mu"], "decoder W": decoder[0]._parameters["W"],
               "decoder b": decoder[0]._parameters["b"]}
    # k-means may number the two clusters either way: match the centroids first.
    order = cdist(trained["mu"], expected["mu"]).argmin(axis=1)
    assert sorted(order) == [0, 1]
    expected["mu"], parameters["mu"] = expected["mu"][order], parameters["mu"][order]
    for name in expected if with_decoder else ["encoder W", "encoder b", "mu"]:
        assert not np.allclose(trained[name], parameters[name]), name  # it did move
        np.testing.assert_allclose(trained[name], expected[name], rtol=1e-7, atol=1e-9, err_msg=name)
    if not with_decoder:
        np.testing.assert_array_equal(decoder[0]._parameters["W"], parameters["decoder W"])


# -- refreshes, stopping, reproducibility ------------------------------------------------
def small_problem(seed=0):
    centers = 3 * np.random.default_rng(seed).standard_normal((3, 8))
    X, y = blobs(40, centers, 1.0, seed=seed, dtype=np.float32)
    encoder = diy.Sequential(diy.Linear(8, 6, rng=seed), diy.TanH(), diy.Linear(6, 3, rng=seed + 1))
    return X, y, encoder


def run(encoder, X, **kwargs):
    options = dict(update_interval=4, batch_size=32, n_init=3, rng=5,
                   optimizer=lambda module: diy.Adam(module, lr=0.01))
    options.update(kwargs)
    return fit_dec(copy.deepcopy(encoder), X, 3, **options)


def test_same_seed_same_result_bit_for_bit_and_labels_never_enter_training():
    X, y, encoder = small_problem()
    first = run(encoder, X, max_iter=30, tol=0, y_monitor=y)
    second = run(encoder, X, max_iter=30, tol=0, y_monitor=y)
    blind = run(encoder, X, max_iter=30, tol=0)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.Q, second.Q)
    assert first.history == second.history
    np.testing.assert_array_equal(first.Q, blind.Q)
    assert [r["accuracy"] for r in blind.history] == [None] * len(blind.history)
    other = run(encoder, X, max_iter=30, tol=0, rng=6)
    assert not np.array_equal(first.Q, other.Q)


def test_update_intervals_cut_consecutive_passes_into_fit_s_epochs():
    """50 samples by 8: passes of 7 batches (the last of 2). Intervals of 3 batches and 10 in
    all: 4 epochs, 3 + 3 + 3 + 1 batches, the third crossing into a second pass."""
    epochs = list(update_intervals(50, 8, 3, 10, np.random.default_rng(0)))
    assert [len(epoch) for epoch in epochs] == [3, 3, 3, 1]
    batches = [index for epoch in epochs for index in epoch]
    assert [len(index) for index in batches] == [8, 8, 8, 8, 8, 8, 2, 8, 8, 8]
    first_pass, second_pass = np.concatenate(batches[:7]), np.concatenate(batches[7:])
    np.testing.assert_array_equal(np.sort(first_pass), np.arange(50))
    assert len(np.unique(second_pass)) == 24  # a fresh permutation, not the first one again
    assert not np.array_equal(second_pass, first_pass[:24])


def test_refreshes_every_update_interval_and_once_more_at_max_iter():
    X, y, encoder = small_problem()
    seen = []
    result = run(encoder, X, max_iter=10, tol=0, y_monitor=y, callback=seen.append)
    assert [r["step"] for r in result.history] == [0, 4, 8, 10]
    assert seen == result.history and not result.converged
    first = result.history[0]
    assert first["loss"] is None and first["reconstruction"] is None and first["changed"] == 0
    assert all(r["loss"] > 0 and r["reconstruction"] is None for r in result.history[1:])
    # The returned Q is the final model's, computed in eval mode; the labels are its argmax.
    np.testing.assert_array_equal(result.Q, predict(result.model, X))
    np.testing.assert_array_equal(result.labels, result.Q.argmax(axis=1))
    assert result.history[-1]["accuracy"] == clustering_accuracy(y, result.labels)


def test_stops_when_fewer_than_tol_of_the_labels_change():
    X, y, encoder = small_problem()
    # Every refresh changes fewer than all labels, so tol = 1 stops at the first one after 0.
    result = run(encoder, X, max_iter=100, tol=1.0)
    assert [r["step"] for r in result.history] == [0, 4] and result.converged
    result = run(encoder, X, max_iter=400, tol=0.001, update_interval=20)
    assert result.converged and result.history[-1]["changed"] < 0.001
    assert all(r["changed"] >= 0.001 for r in result.history[1:-1])
    assert result.history[-1]["step"] < 400


def test_max_iter_zero_gives_the_k_means_clustering():
    X, y, encoder = small_problem()
    result = run(encoder, X, max_iter=0, y_monitor=y)
    assert len(result.history) == 1
    codes = predict(encoder.eval(), X)
    mu = result.model[1]._parameters["mu"]
    np.testing.assert_array_equal(result.labels, cdist(codes, mu).argmin(axis=1))
    contingency = np.zeros((3, 3), dtype=np.int64)
    np.add.at(contingency, (result.labels, y), 1)
    rows, cols = linear_sum_assignment(contingency, maximize=True)
    assert result.history[0]["accuracy"] == contingency[rows, cols].sum() / len(y)


def test_idec_records_the_reconstruction_and_trains_the_decoder():
    X, y, encoder = small_problem()
    X = special.expit(X)  # in (0, 1), for the default BCELoss
    decoder = diy.Sequential(diy.Linear(3, 8, rng=9), diy.Sigmoid())
    before = decoder[0]._parameters["W"].copy()
    result = run(encoder, X, decoder=decoder, max_iter=8, tol=0)
    assert all(r["reconstruction"] > 0 for r in result.history[1:])
    assert not np.array_equal(decoder[0]._parameters["W"], before)
    mse = run(encoder, X, decoder=copy.deepcopy(decoder), reconstruction_loss=diy.MSELoss(), max_iter=8, tol=0)
    assert mse.history[-1]["reconstruction"] < result.history[-1]["reconstruction"]  # a different loss


def test_rejects_bad_arguments():
    X, y, encoder = small_problem()
    with pytest.raises(ValueError, match="update_interval must be >= 1, got 0"):
        run(encoder, X, update_interval=0)
    with pytest.raises(ValueError, match="y_monitor has 3"):
        run(encoder, X, y_monitor=y[:3])
    decoder = diy.Sequential(diy.Linear(3, 8, rng=9), diy.Sigmoid())
    for gamma in (0.0, -0.1):  # gamma = 0 would train the autoencoder alone
        with pytest.raises(ValueError, match="IDEC needs gamma > 0"):
            run(encoder, special.expit(X), decoder=decoder, gamma=gamma)


@pytest.mark.parametrize("max_iter, steps", [(8, [0, 4, 8]), (10, [0, 4, 8, 10])])
def test_idec_refreshes_every_update_interval_up_to_max_iter(max_iter, steps):
    """IDEC's refreshes are fit's epochs of update_interval batches, the last one cut at max_iter."""
    X, y, encoder = small_problem()
    decoder = diy.Sequential(diy.Linear(3, 8, rng=9), diy.Sigmoid())
    result = run(encoder, special.expit(X), decoder=decoder, max_iter=max_iter, tol=0)
    assert [r["step"] for r in result.history] == steps and not result.converged
    assert result.history[0]["loss"] is None and result.history[0]["reconstruction"] is None
    assert all(r["loss"] > 0 and r["reconstruction"] > 0 for r in result.history[1:])


# -- better clusters than k-means ----------------------------------------------------------
@pytest.mark.slow
def test_dec_and_idec_improve_on_k_means_of_the_pretrained_codes_on_digits():
    digits = load_digits()
    X, y = (digits.data / 16).astype(np.float32), digits.target
    ae = diy.AutoEncoder.build([64, 32, 10], "relu", "sigmoid", latent_activation="linear", rng=0)
    diy.fit(ae, diy.BCELoss(), diy.Adam(ae, lr=3e-3), X, epochs=300, batch_size=64, rng=0)
    codes = predict(ae.encoder, X)
    k_means = clustering_accuracy(y, KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(codes))
    reconstruction = float(diy.BCELoss().forward(X, predict(ae, X)).mean())

    dec = fit_dec(copy.deepcopy(ae.encoder), X, 10, update_interval=30, max_iter=3000, rng=0, y_monitor=y)
    idec = fit_dec(copy.deepcopy(ae.encoder), X, 10, decoder=copy.deepcopy(ae.decoder), update_interval=30,
                   max_iter=3000, rng=0, y_monitor=y)
    print(f"k-means on the codes {k_means:.3f}, DEC {dec.history[-1]['accuracy']:.3f} "
          f"(from {dec.history[0]['accuracy']:.3f}), IDEC {idec.history[-1]['accuracy']:.3f}")
    assert k_means > 0.6
    assert dec.history[-1]["accuracy"] >= k_means + 0.01  # measured: 0.686 -> 0.725
    assert idec.history[-1]["accuracy"] >= k_means - 0.01
    # IDEC's point: the code keeps reconstructing the data.
    assert idec.history[-1]["reconstruction"] <= 1.05 * reconstruction


def test_idec_needs_a_positive_gamma():
    # gamma = 0 would be the autoencoder alone, and the history's KL is read off the weighted term.
    X, _, encoder = small_problem()
    decoder = diy.Sequential(diy.Linear(3, 8, rng=3))
    with pytest.raises(ValueError, match="gamma > 0"):
        run(encoder, X, decoder=decoder, gamma=0.0, max_iter=4, reconstruction_loss=diy.MSELoss())
