"""Divergence that a finite loss hides (diy.divergence): overflow in the update, a loss far
above its first epoch's, and the likely cause named from the term that blew up."""
import copy
import pickle

import numpy as np
import pytest

import diy
from diy import SGD, Linear, MSELoss, Sequential, TrainingDiverged, fit, fit_dec
from diy.divergence import RISE, Divergence


def regression(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    return X, X @ np.array([[2.0], [-1.0]]) + 0.1 * rng.standard_normal((n, 1))


def test_an_update_that_overflows_is_caught_while_the_loss_is_still_finite():
    # float64 and one epoch: at lr 1e6 each step multiplies the weights by about 1e6, so they
    # pass 1e100 within the epoch while the loss (below 1e308) stays finite; before the check,
    # fit returned that model as trained.
    X, y = regression()
    model = Linear(2, 1, rng=0, dtype=np.float64)
    with np.errstate(over="ignore"), pytest.raises(TrainingDiverged) as caught:
        fit(model, MSELoss(), SGD(model, lr=1e6), X, y, epochs=1, batch_size=16, rng=0, name="big-lr")
    error = caught.value
    assert error.epoch == 1 and error.batch is None and error.what == "largest |parameter|"
    assert np.isfinite(error.loss) and error.loss > RISE
    assert str(error).startswith("big-lr diverged at epoch 1: largest |parameter| = ")
    assert "likely cause: the learning rate (lr = 1e+06)" in str(error)
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_a_loss_far_above_the_first_epoch_s_is_divergence_and_a_fall_is_not():
    model = Linear(2, 1, rng=0)
    check = Divergence(model, SGD(model, lr=0.5), "net")
    check.epoch({"epoch": 1, "train_loss": 500.0, "val_loss": 400.0}, 10)  # a VAE's high first epoch
    check.epoch({"epoch": 2, "train_loss": 1e-3, "val_loss": 2e-3}, 10)
    check.epoch({"epoch": 3, "train_loss": 1e3, "val_loss": 1e3}, 10)  # a rise, not by RISE
    with pytest.raises(TrainingDiverged, match=r"^net diverged at epoch 4: val_loss = 7\.44e\+27 "
                                               r"\(over 1e\+06 times the first epoch's 400; "
                                               r"likely cause: the learning rate \(lr = 0\.5\)"):
        check.epoch({"epoch": 4, "train_loss": 1e3, "val_loss": 7.44e27}, 10)


def test_the_cause_is_the_weight_of_the_penalty_term_that_blew_up():
    # The VAE: a validation loss of 7.44e27, almost all of it the KL term.
    vae = diy.build_vae([4, 3, 2], beta=250.0, rng=0)
    check = Divergence(vae, diy.Adam(vae, lr=1e-3), "vae")
    check.epoch({"epoch": 1, "train_loss": 60.0, "val_loss": 50.0, "train_output": 40.0,
                 "train_kl": 20.0, "val_output": 40.0, "val_kl": 10.0}, 10)
    with pytest.raises(TrainingDiverged) as caught:
        check.epoch({"epoch": 2, "train_loss": 50.0, "val_loss": 7.44e27, "train_output": 40.0,
                     "train_kl": 10.0, "val_output": 60.0, "val_kl": 7.44e27}, 10)
    assert "the kl term makes most of it; likely cause: the kl term's weight (beta = 250), else the " \
           "learning rate (lr = 0.001)" in str(caught.value)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_vae_at_an_absurd_learning_rate_names_the_learning_rate_first():
    # Adam at lr 10 throws the log-variances out by about 10 a step: exp overflows within
    # a few batches, the KL term first.
    X = (np.random.default_rng(0).random((256, 64)) < 0.3).astype(np.float32)
    vae = diy.build_vae([64, 32, 2], beta=1.0, rng=0)
    with pytest.raises(TrainingDiverged, match=r"likely cause: the learning rate \(lr = 10\), else the kl "
                                               r"term's weight \(beta = 1\)"):
        fit(vae, diy.BCEWithLogitsLoss(), diy.Adam(vae, lr=10), X, epochs=5, batch_size=16, rng=0, name="vae")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_vae_whose_beta_is_absurd_names_beta_not_only_the_learning_rate():
    # beta 1e6 with plain SGD at an ordinary lr: the first steps throw the means and
    # log-variances far out, the KL term turns inf (exp overflows) within a few batches.
    rng = np.random.default_rng(0)
    X = (rng.random((128, 8)) < 0.3).astype(np.float32)
    vae = diy.build_vae([8, 6, 2], beta=1e6, rng=0)
    with pytest.raises(TrainingDiverged, match=r"likely cause: the kl term's weight \(beta = 1e\+06\), else"):
        fit(vae, diy.BCEWithLogitsLoss(), SGD(vae, lr=0.01), X, epochs=5, batch_size=16, rng=0, name="vae")


def test_an_ordinary_run_is_not_divergence():
    X, y = regression()
    model = Sequential(Linear(2, 8, rng=0, dtype=np.float64), diy.TanH(), Linear(8, 1, rng=1, dtype=np.float64))
    history = fit(model, MSELoss(), diy.Adam(model, lr=0.01), X, y, epochs=20, batch_size=32, rng=0,
                  X_val=X[:50], y_val=y[:50])
    assert len(history) == 20 and history["val_loss"][-1] < history["val_loss"][0]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_dec_at_an_absurd_learning_rate_is_not_reported_as_converged():
    # At lr 1e12 the centroids and weights explode within the first update interval; the
    # labels then stop changing, which DEC took for convergence.
    rng = np.random.default_rng(0)
    centers = 3 * rng.standard_normal((3, 8))
    X = (centers[np.repeat(np.arange(3), 40)] + rng.standard_normal((120, 8))).astype(np.float32)
    encoder = Sequential(Linear(8, 6, rng=0), diy.TanH(), Linear(6, 3, rng=1))
    with pytest.raises(TrainingDiverged, match=r"^DEC diverged at epoch 1: largest \|parameter\| = .*lr = 1e\+12"):
        fit_dec(copy.deepcopy(encoder), X, 3, update_interval=4, batch_size=32, n_init=3, rng=5,
                optimizer=lambda module: SGD(module, lr=1e12, momentum=0.9))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("idec", [False, True])
def test_dec_and_idec_whose_weights_grow_ten_thousandfold_have_diverged(idec):
    # At lr 1e6 DEC's encoder on digits grows 3e5-fold within 160 steps while its loss falls to
    # 1e-8 and its labels freeze: below the 1e6 of a loss's rise, it was reported as converged.
    from sklearn.datasets import load_digits

    X = (load_digits().data[:300] / 16).astype(np.float32)
    encoder = Sequential(Linear(64, 32, rng=0), diy.ReLU(), Linear(32, 8, rng=1))
    decoder = Sequential(Linear(8, 32, rng=2), diy.ReLU(), Linear(32, 64, rng=3), diy.Sigmoid()) if idec else None
    with pytest.raises(TrainingDiverged, match=r"largest \|parameter\| = .*over 1e\+04 times the largest before "
                                               r"training.*lr = 1e\+06"):
        fit_dec(encoder, X, 10, decoder=decoder, update_interval=10, max_iter=300, n_init=3, rng=0,
                optimizer=lambda module: SGD(module, lr=1e6, momentum=0.9))
