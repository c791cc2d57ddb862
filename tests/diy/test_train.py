"""The training loop: learning, reproducibility, divergence, early stopping, hooks."""
import pickle

import numpy as np
import pytest

from diy import (
    SGD, Adam, BCELoss, L1Penalty, Linear, MSELoss, Sequential, Sigmoid, TanH, TrainingDiverged, fit,
)
from diy.optim import Scheduler, WarmupCosine
from diy.train import History, evaluate, predict


def regression_data(n=400, seed=0):
    """y = 3 x1 - 4 x2 + 5 + small noise, float64."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = X @ np.array([[3.0], [-4.0]]) + 5.0 + 0.01 * rng.standard_normal((n, 1))
    return X, y


def circles(n, seed):
    """Two classes not linearly separable: inside (a third of the square) or outside a circle."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (np.hypot(X[:, 0], X[:, 1]) < 0.65).astype(np.float64)[:, None]
    return X, y


def small_net(seed, dtype=np.float64):
    return Sequential(Linear(2, 16, rng=seed, dtype=dtype), TanH(), Linear(16, 1, rng=seed + 1, dtype=dtype), Sigmoid())


def test_linear_regression_recovers_the_coefficients():
    X, y = regression_data()
    model = Linear(2, 1, rng=0, dtype=np.float64)
    history = fit(model, MSELoss(), SGD(model, lr=0.05), X, y, epochs=30, batch_size=16, rng=0)
    np.testing.assert_allclose(model._parameters["W"][:, 0], [3.0, -4.0], atol=0.05)
    np.testing.assert_allclose(model._parameters["b"], [5.0], atol=0.05)
    assert history["train_loss"][-1] < 1e-3


def test_tanh_sigmoid_network_separates_circles():
    X, y = circles(1000, seed=0)
    X_test, y_test = circles(1000, seed=1)
    net = small_net(0)
    fit(net, BCELoss(), Adam(net, lr=0.03), X, y, epochs=100, batch_size=32, rng=0)
    accuracy = np.mean((predict(net, X_test) > 0.5) == y_test)
    assert accuracy >= 0.95, accuracy


def test_history_records_every_epoch_and_calls_back():
    X, y = circles(200, seed=0)
    net = small_net(0)
    seen = []
    history = fit(net, BCELoss(), Adam(net), X, y, epochs=4, batch_size=64, rng=0,
                  X_val=X[:50], y_val=y[:50], metric=lambda t, p: np.mean((p > 0.5) == t),
                  callback=seen.append)
    assert isinstance(history, History) and len(history) == 4
    assert seen == history.records
    assert history["epoch"] == [1, 2, 3, 4]
    for record in history.records:
        assert set(record) == {"epoch", "train_loss", "val_loss", "val_metric", "seconds"}
        assert record["seconds"] > 0 and 0 <= record["val_metric"] <= 1
    assert history.best_epoch is None and not history.stopped_early
    assert not net.training  # fit leaves the network in eval mode


def train_once(seed, epochs=3):
    X, y = circles(300, seed=0)
    net = small_net(seed, dtype=np.float32)
    history = fit(net, BCELoss(), Adam(net, lr=0.01), X.astype(np.float32), y.astype(np.float32),
                  epochs=epochs, batch_size=32, rng=seed, X_val=X[:64].astype(np.float32),
                  y_val=y[:64].astype(np.float32),
                  input_transform=lambda x, rng: x + rng.normal(0, 0.1, x.shape).astype(x.dtype))
    losses = [(r["train_loss"], r["val_loss"]) for r in history.records]
    return losses, [p.copy() for _, p, _ in net.parameters()]


def test_same_seed_is_bit_identical_and_another_seed_differs():
    losses_a, params_a = train_once(7)
    losses_b, params_b = train_once(7)
    losses_c, params_c = train_once(8)
    assert losses_a == losses_b
    assert all(np.array_equal(a, b) for a, b in zip(params_a, params_b))
    assert losses_a != losses_c
    assert not any(np.array_equal(a, c) for a, c in zip(params_a, params_c))


def test_shuffling_depends_on_the_seed_only():
    """Same model, same data, two fit seeds: the first epoch's losses differ by the order."""
    X, y = regression_data(64)
    runs = []
    for seed in (0, 0, 1):
        model = Linear(2, 1, rng=0, dtype=np.float64)
        runs.append(fit(model, MSELoss(), SGD(model, 0.01), X, y, epochs=1, batch_size=8, rng=seed)["train_loss"])
    assert runs[0] == runs[1] != runs[2]


def test_absurd_learning_rate_raises_training_diverged_naming_epoch_and_batch():
    X, y = regression_data()
    model = Linear(2, 1, rng=0, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(TrainingDiverged) as caught:
        fit(model, MSELoss(), SGD(model, lr=1e30), X, y, epochs=5, batch_size=16, rng=0, name="absurd-lr")
    error = caught.value
    assert isinstance(error, FloatingPointError)
    assert error.epoch in (1, 2) and 1 <= error.batch <= 25 and not np.isfinite(error.loss)
    assert str(error).startswith(f"absurd-lr diverged at epoch {error.epoch}, batch {error.batch}/25: loss = ")
    assert np.all(np.isfinite(model._parameters["W"]))  # the bad update was not applied
    assert str(pickle.loads(pickle.dumps(error))) == str(error)  # crosses process boundaries


def test_early_stopping_restores_the_best_parameters():
    """Training targets y = 3x, validation targets 1.5x: from slope 0 the training walks
    the slope up to 3, and the validation loss is lowest when it passes 1.5."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 1))
    model = Linear(1, 1, bias=False, dtype=np.float64)
    model._parameters["W"][...] = 0.0
    slopes = []
    history = fit(model, MSELoss(), SGD(model, lr=0.02), X, 3 * X, epochs=100, batch_size=64, rng=0,
                  X_val=X, y_val=1.5 * X, patience=3,
                  callback=lambda record: slopes.append(model._parameters["W"][0, 0]))
    val = history["val_loss"]
    best = int(np.argmin(val)) + 1
    assert history.best_epoch == best and 1 < best < len(val) == best + 3
    assert history.stopped_early
    assert model._parameters["W"][0, 0] == slopes[best - 1]
    assert abs(slopes[best - 1] - 1.5) < abs(slopes[-1] - 1.5)


def test_input_transform_corrupts_the_input_but_not_the_target():
    """An input zeroed by the transform leaves only the bias to learn: the clean mean."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(256, 3)) + [0.0, 1.0, 2.0]
    model = Linear(3, 3, rng=0, dtype=np.float64)
    calls = []

    def blank(batch, generator):
        calls.append(isinstance(generator, np.random.Generator))
        return np.zeros_like(batch)

    fit(model, MSELoss(), Adam(model, lr=0.05), X, epochs=40, batch_size=64, rng=0, input_transform=blank)
    assert len(calls) == 40 * 4 and all(calls)
    np.testing.assert_allclose(model._parameters["b"], X.mean(axis=0), atol=0.02)


def test_evaluate_in_batches_equals_one_batch():
    X, y = circles(100, seed=0)
    net = small_net(0).eval()
    loss, metric = evaluate(net, BCELoss(), X, y, batch_size=7, metric=lambda t, p: float(np.mean(p)))
    yhat = net.forward(X)
    assert loss == pytest.approx(BCELoss().forward(y, yhat).mean(), rel=1e-12)
    assert metric == pytest.approx(yhat.mean(), rel=1e-12)
    np.testing.assert_allclose(predict(net, X, batch_size=7), yhat, rtol=1e-12)


def test_patience_or_metric_without_validation_data_is_an_error():
    X, y = circles(10, seed=0)
    net = small_net(0)
    with pytest.raises(ValueError, match="validation"):
        fit(net, BCELoss(), Adam(net), X, y, epochs=1, patience=2)
    with pytest.raises(ValueError, match="samples"):
        fit(net, BCELoss(), Adam(net), X, y[:5], epochs=1)


class RecordingSGD(SGD):
    """SGD that records the learning rate of each update."""

    def __init__(self, module, lr):
        super().__init__(module, lr)
        self.lrs = []

    def step(self):
        self.lrs.append(self.lr)
        super().step()


def test_fit_steps_the_scheduler_once_per_batch():
    X, y = regression_data(40)
    model = Linear(2, 1, rng=0, dtype=np.float64)
    optimizer = RecordingSGD(model, lr=0.1)
    scheduler = WarmupCosine(optimizer, total=6, warmup=2)
    fit(model, MSELoss(), optimizer, X, y, epochs=2, batch_size=10, rng=0, scheduler=scheduler)
    # 4 batches per epoch, 8 updates: the ramp 0.1 * t / 2, then 0.1 * (1 + cos(pi p)) / 2
    # with p = (t - 2) / 4, i.e. cos(pi/4), 0, -cos(pi/4), -1, then the final rate 0.
    half = np.sqrt(0.5)
    expected = [0.05, 0.1, 0.05 * (1 + half), 0.05, 0.05 * (1 - half), 0.0, 0.0, 0.0]
    np.testing.assert_allclose(optimizer.lrs, expected, rtol=1e-12, atol=1e-18)
    assert scheduler.t == 8


def test_fit_with_the_constant_scheduler_is_fit_without_one():
    X, y = circles(200, seed=0)
    runs = []
    for make_scheduler in (lambda optimizer: None, Scheduler):
        net = small_net(0, dtype=np.float32)
        optimizer = Adam(net, lr=0.01)
        history = fit(net, BCELoss(), optimizer, X.astype(np.float32), y.astype(np.float32), epochs=2,
                      batch_size=32, rng=0, scheduler=make_scheduler(optimizer))
        runs.append((history["train_loss"], [p.copy() for _, p, _ in net.parameters()]))
    assert runs[0][0] == runs[1][0]
    assert all(np.array_equal(a, b) for a, b in zip(runs[0][1], runs[1][1]))


def test_fit_refuses_a_scheduler_of_another_optimizer():
    X, y = regression_data(40)
    model = Linear(2, 1, rng=0, dtype=np.float64)
    with pytest.raises(ValueError, match="scheduler"):
        fit(model, MSELoss(), SGD(model, 0.1), X, y, epochs=1, scheduler=Scheduler(SGD(model, 0.1)))


def test_verbose_prints_one_line_per_epoch_with_the_objective_s_terms(capsys):
    X, y = circles(100, seed=0)
    net = Sequential(Linear(2, 8, rng=0, dtype=np.float64), TanH(), L1Penalty(0.01),
                     Linear(8, 1, rng=1, dtype=np.float64), Sigmoid())
    history = fit(net, BCELoss(), Adam(net), X, y, epochs=3, batch_size=32, rng=0, X_val=X[:20], y_val=y[:20],
                  metric=lambda t, p: np.mean((p > 0.5) == t), name="circles", verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    last = history.records[-1]
    assert lines[-1] == (
        f"circles epoch 3/3: train_loss {last['train_loss']:.5g} (output {last['train_output']:.5g} + l1 "
        f"{last['train_l1']:.5g}), val_loss {last['val_loss']:.5g} (output {last['val_output']:.5g} + l1 "
        f"{last['val_l1']:.5g}), val_metric {last['val_metric']:.5g}, {last['seconds']:.2f} s")
    fit(net, BCELoss(), Adam(net), X, y, epochs=2, batch_size=32, rng=0)
    assert capsys.readouterr().out == ""  # quiet by default


def test_verbose_without_validation_or_penalties_prints_the_training_loss_alone(capsys):
    X, y = circles(64, seed=0)
    net = small_net(0)
    history = fit(net, BCELoss(), Adam(net), X, y, epochs=1, batch_size=32, rng=0, verbose=True)
    record = history.records[0]
    assert capsys.readouterr().out == f"epoch 1/1: train_loss {record['train_loss']:.5g}, {record['seconds']:.2f} s\n"
