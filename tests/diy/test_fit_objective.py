"""fit on the whole objective: without penalties the loop is the plain one, bit for bit; with
them the history splits the objective into its terms, early stopping watches their sum, and
a plan of batches, stopping callbacks and the per-batch hook drive the loop; a VAE trains on
its negative ELBO."""
import numpy as np
import pytest

from diy import (
    SGD, Adam, AutoEncoder, BCELoss, BCEWithLogitsLoss, Dropout, L1Penalty, Linear, Module, MSELoss,
    Sequential, Sigmoid, TanH, build_vae, fit,
)
from diy.train import evaluate, evaluate_terms


def circles(n, seed):
    """Inside or outside a circle: two classes a small MLP separates."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (np.hypot(X[:, 0], X[:, 1]) < 0.65).astype(np.float64)[:, None]


def mlp(dtype=np.float32):
    return Sequential(Linear(2, 12, rng=0, dtype=dtype), TanH(), Dropout(0.2, rng=1),
                      Linear(12, 1, rng=2, dtype=dtype), Sigmoid())


def reference_fit(net, loss, optimizer, X, y, *, epochs, batch_size, seed):
    """The loop fit was before penalties: one permutation per epoch from the first stream
    spawned from the seed, then zero_grad, forward, loss, backward, step per batch. Returns
    each epoch's mean loss, weighted by batch size."""
    shuffle_rng, _ = np.random.default_rng(seed).spawn(2)
    n, losses = len(X), []
    for _ in range(epochs):
        net.train()
        perm = shuffle_rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            index = perm[start:start + batch_size]
            batch_x, batch_y = X[index], y[index]
            net.zero_grad()
            output = net.forward(batch_x)
            value = float(loss.forward(batch_y, output).mean())
            net.backward_update_gradient(batch_x, loss.backward(batch_y, output))
            optimizer.step()
            total += value * len(index)
        losses.append(total / n)
    return losses


def test_without_penalties_fit_is_the_plain_loop_bit_for_bit():
    X, y = circles(150, seed=0)
    X, y = X.astype(np.float32), y.astype(np.float32)
    reference, trained = mlp(), mlp()
    losses = reference_fit(reference, BCELoss(), Adam(reference, lr=0.01), X, y, epochs=3, batch_size=32, seed=4)
    history = fit(trained, BCELoss(), Adam(trained, lr=0.01), X, y, epochs=3, batch_size=32, rng=4)
    for (name, p, _), (_, q, _) in zip(reference.parameters(), trained.parameters(), strict=True):
        assert np.array_equal(p, q), name
    assert history["train_loss"] == losses  # 150 = 4 * 32 + 22: a short last batch too
    assert all("train_output" not in record for record in history.records)


def sparse_autoencoder(weight=0.05):
    """An autoencoder with an L1 penalty on its tanh code."""
    encoder = Sequential(Linear(8, 4, rng=0, dtype=np.float64), TanH(), L1Penalty(weight))
    decoder = Sequential(Linear(4, 8, rng=1, dtype=np.float64), Sigmoid())
    return AutoEncoder(encoder, decoder)


def binary_patterns(n, seed):
    rng = np.random.default_rng(seed)
    return (rng.uniform(size=(n, 8)) < np.linspace(0.1, 0.9, 8)).astype(np.float64)


def test_history_splits_the_objective_into_its_terms():
    X, X_val = binary_patterns(100, 0), binary_patterns(40, 1)
    net = sparse_autoencoder()
    history = fit(net, BCELoss(), Adam(net, lr=0.01), X, epochs=3, batch_size=16, rng=0, X_val=X_val)
    for record in history.records:
        assert set(record) == {"epoch", "train_loss", "val_loss", "val_metric", "seconds",
                               "train_output", "train_l1", "val_output", "val_l1"}
        assert record["train_l1"] > 0 and record["val_l1"] > 0
        assert record["train_loss"] == pytest.approx(record["train_output"] + record["train_l1"], rel=1e-12)
        assert record["val_loss"] == pytest.approx(record["val_output"] + record["val_l1"], rel=1e-12)
    # The last validation, recomputed here: the network is left as it was evaluated.
    code = net.encoder.forward(X_val)
    reconstruction = net.decoder.forward(code)
    bce = -(X_val * np.log(reconstruction) + (1 - X_val) * np.log(1 - reconstruction)).sum(axis=1).mean()
    last = history.records[-1]
    assert last["val_output"] == pytest.approx(bce, rel=1e-10)
    assert last["val_l1"] == pytest.approx(0.05 * np.abs(code).sum(axis=1).mean(), rel=1e-10)
    terms, _ = evaluate_terms(net, BCELoss(), X_val, batch_size=7)
    assert list(terms) == ["output", "l1"]
    total, _ = evaluate(net, BCELoss(), X_val, batch_size=7)
    assert total == pytest.approx(terms["output"] + terms["l1"], rel=1e-12)
    assert total == pytest.approx(last["val_loss"], rel=1e-12)


def test_early_stopping_watches_the_whole_objective():
    """y = 3 x through a slope s under an L1 penalty on the output, w |s x|. Full-batch descent
    from s = 0 climbs monotonically to the training optimum s = 3 - w E|x| / (2 E x^2), about
    2.6. The validation inputs are x / 5: their squared error shrinks 25-fold but their penalty
    only 5-fold, so the validation objective is lowest at s = 3 - 5 w E|x| / (2 E x^2), about
    0.8, while its output term keeps falling all the way (s < 3): stopping on the output term
    would not stop there."""
    X = np.random.default_rng(0).standard_normal((64, 1))
    X_val = X / 5
    net = Sequential(Linear(1, 1, bias=False, dtype=np.float64), L1Penalty(1.0))
    net[0]._parameters["W"][...] = 0.0
    slopes = []
    history = fit(net, MSELoss(), SGD(net, lr=0.02), X, 3 * X, epochs=200, batch_size=64, rng=0,
                  X_val=X_val, y_val=3 * X_val, patience=3,
                  callback=lambda record: slopes.append(net[0]._parameters["W"][0, 0]))
    val_loss, val_output = np.array(history["val_loss"]), np.array(history["val_output"])
    assert np.all(np.diff(slopes) > 0) and slopes[-1] < 3
    assert np.all(np.diff(val_output) < 0)
    assert history.stopped_early and len(history) == history.best_epoch + 3
    assert history.best_epoch == int(np.argmin(val_loss)) + 1 < int(np.argmin(val_output)) + 1
    assert net[0]._parameters["W"][0, 0] == slopes[history.best_epoch - 1]
    a, b = np.mean(np.square(X_val)), np.mean(np.abs(X_val))
    assert abs(slopes[history.best_epoch - 1] - (3 - b / (2 * a))) < 0.2  # the validation optimum


class Recorder(Module):
    """The identity, recording each training batch's first column (the samples' ids) and,
    if set, its ``target``."""

    def __init__(self):
        super().__init__()
        self.ids, self.targets, self.target = [], [], None

    def forward(self, X):
        if self.training:
            self.ids.append(X[:, 0].copy())
            self.targets.append(None if self.target is None else self.target.copy())
        return X


class CountingSGD(SGD):
    def __init__(self, module, lr):
        super().__init__(module, lr)
        self.steps = 0

    def step(self):
        self.steps += 1
        super().step()


def id_data(n):
    """Column 0 holds each sample's index, so a batch says which samples it holds."""
    X = np.random.default_rng(0).standard_normal((n, 3))
    X[:, 0] = np.arange(n)
    return X


def test_batches_give_each_epoch_its_batches_and_training_ends_with_them():
    """An epoch is the batches the plan gives it, however many; a plan shorter than epochs ends
    training there, which is not an early stop."""
    X = id_data(20)
    recorder = Recorder()
    net = Sequential(recorder, Linear(3, 1, rng=0, dtype=np.float64))
    optimizer = CountingSGD(net, 0.01)
    plan = [[np.array([3, 1]), np.array([0])], [np.arange(5, 10)]]
    steps_at_end = []
    history = fit(net, MSELoss(), optimizer, X, np.zeros((20, 1)), epochs=10, rng=0, batches=iter(plan),
                  callback=lambda record: steps_at_end.append(optimizer.steps))
    assert history["epoch"] == [1, 2] and steps_at_end == [2, 3] and not history.stopped_early
    assert [ids.tolist() for ids in recorder.ids] == [[3, 1], [0], [5, 6, 7, 8, 9]]


def test_a_callback_returning_true_stops_training():
    X = id_data(20)
    net = Linear(3, 1, rng=0, dtype=np.float64)
    optimizer = CountingSGD(net, 0.01)
    history = fit(net, MSELoss(), optimizer, X, np.zeros((20, 1)), epochs=10, batch_size=5, rng=0,
                  callback=lambda record: record["epoch"] == 2)
    assert len(history) == 2 and optimizer.steps == 8 and history.stopped_early
    history = fit(net, MSELoss(), optimizer, X, np.zeros((20, 1)), epochs=3, batch_size=5, rng=0,
                  callback=lambda record: None)
    assert len(history) == 3 and not history.stopped_early


def test_before_batch_sees_each_batch_s_indices_before_it_is_trained():
    X = id_data(30)
    rows = 10.0 * np.arange(30)[:, None] + [0.0, 1.0]  # row i: (10 i, 10 i + 1)
    recorder = Recorder()

    def give_rows(index):
        recorder.target = rows[index]

    net = Sequential(recorder, Linear(3, 1, rng=0, dtype=np.float64))
    fit(net, MSELoss(), SGD(net, 1e-6), X, np.zeros((30, 1)), epochs=2, batch_size=7, rng=0,
        before_batch=give_rows)
    assert len(recorder.ids) == 10
    for ids, target in zip(recorder.ids, recorder.targets, strict=True):
        np.testing.assert_array_equal(target, rows[ids.astype(int)])


def prototype_images(n=200, seed=0):
    """Each image one of two complementary 20-pixel prototypes with 5% of its pixels flipped.

    Its entropy is log 2 + 20 H(0.05) = 4.7 nats; a VAE starting from logits near 0 costs
    about 20 log 2 = 13.9 nats per image. The gap is the margin training must cover."""
    rng = np.random.default_rng(seed)
    prototype = np.array([1.0] * 10 + [0.0] * 10)
    images = np.where(rng.uniform(size=(n, 1)) < 0.5, prototype, 1 - prototype)
    flip = rng.uniform(size=images.shape) < 0.05
    return np.where(flip, 1 - images, images)


def test_a_vae_trains_on_its_negative_elbo():
    X = prototype_images()
    vae = build_vae([20, 16, 2], "tanh", rng=0, dtype=np.float64)
    history = fit(vae, BCEWithLogitsLoss(), Adam(vae, lr=0.01), X, epochs=25, batch_size=20, rng=0)
    first, last = history.records[0], history.records[-1]
    assert {"train_output", "train_kl"} <= set(last)
    assert last["train_kl"] > 0
    assert last["train_loss"] == pytest.approx(last["train_output"] + last["train_kl"], rel=1e-12)
    assert last["train_loss"] < 9.0 < first["train_loss"] - 2.0


def test_resample_draws_each_batch_afresh_as_input_and_target():
    from diy.noise import binarize

    X = np.full((64, 6), 0.5, dtype=np.float32)
    batches = []

    class Recording(L1Penalty):
        def forward(self, x):
            batches.append(x.copy())
            return super().forward(x)

    net = Sequential(Recording(0.0), Linear(6, 6, rng=0))
    fit(net, BCEWithLogitsLoss(), Adam(net, lr=1e-3), X, epochs=2, batch_size=64, rng=0, resample=binarize)
    assert all(set(np.unique(b)) == {0.0, 1.0} for b in batches)
    assert not np.array_equal(batches[0], batches[1])  # a new draw each epoch
    np.testing.assert_array_equal(X, 0.5)  # the data itself is left grey


def test_batch_size_below_one_is_refused():
    net = Linear(2, 1, rng=0, dtype=np.float64)
    with pytest.raises(ValueError, match="batch_size"):
        fit(net, BCEWithLogitsLoss(), Adam(net), np.zeros((4, 2)), np.zeros((4, 1)), epochs=1, batch_size=0)
