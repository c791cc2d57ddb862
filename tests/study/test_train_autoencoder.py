"""Training one autoencoder variant (study.train_autoencoder), without Snakemake."""
import logging

import numpy as np
import pytest

from diy.bce_loss import BCELoss
from diy.bce_with_logits_loss import BCEWithLogitsLoss
from diy.linear import Linear
from diy.mse_loss import MSELoss
from diy.optim import SGD, Adam, Scheduler, WarmupCosine
from diy.sigmoid import Sigmoid
from diy.train import TrainingDiverged, fit
from study.families import FAMILIES, Family
from study.train_autoencoder import schedule, seed_streams, train_autoencoder
from study.training import training_subset
from study.variants import AEVariant

TRAINING = {"epochs": 4, "batch_size": 64, "lr": 3e-3, "schedule": "cosine", "warmup_epochs": 1, "patience": 3,
            "dtype": "float32", "max_train_samples": None}
#: Updates per epoch: 600 training digits in batches of 64.
BATCHES = 10


FAMILY = {"hidden": [32], "latent_activation": "linear"}


def _train(digits, variant, **kwargs):
    options = {"family": FAMILY, "training": TRAINING, "noise_type": "gaussian", **kwargs}
    return train_autoencoder(digits, variant, **options)


def _parameters(model):
    return {name: p.copy() for name, p, _ in model.parameters()}


def _assert_same_parameters(a, b):
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_model_history_and_codes(digits):
    model, history, codes = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0))
    assert [name for name, _, _ in model.parameters()] == [
        "encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b",
        "decoder.0.W", "decoder.0.b", "decoder.2.W", "decoder.2.b",
    ]
    assert model.encoder[0]._parameters["W"].shape == (64, 32)
    assert model.encoder[2]._parameters["W"].shape == (32, 8)
    assert model.encoder[0]._parameters["W"].dtype == np.float32
    assert len(history) == 4 and history["epoch"] == [1, 2, 3, 4]
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert history.best_epoch == int(np.argmin(history["val_loss"])) + 1
    assert sorted(codes) == ["Z_test", "Z_train", "Z_val"]
    for split in ("train", "val", "test"):
        Z = codes[f"Z_{split}"]
        assert Z.dtype == np.float32 and Z.shape == (len(digits[f"X_{split}"]), 8)
        np.testing.assert_allclose(Z, model.encode(digits[f"X_{split}"]), rtol=1e-6)
    assert not model.training


def _record_fit(monkeypatch):
    """Wrap the training's ``fit``: the returned list gets, per call, the type of the model's
    last decoder layer, the type of the loss and the number of decoder layers."""
    from diy.train import fit as diy_fit

    seen = []

    def fit(net, loss, *args, **kwargs):
        seen.append((type(net.decoder[-1]), type(loss), len(net.decoder)))
        return diy_fit(net, loss, *args, **kwargs)

    monkeypatch.setattr("study.train_autoencoder.fit", fit)
    return seen


def test_trained_on_logits_saved_with_a_sigmoid(digits, monkeypatch):
    """The family's model ends in logits while it is trained on BCEWithLogitsLoss; the model
    returned ends in a Sigmoid: pixels in [0, 1], whose BCE is the validation loss training saw."""
    seen = _record_fit(monkeypatch)
    model, history, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0))
    [(last, loss, n_layers)] = seen
    assert last is not Sigmoid and loss is BCEWithLogitsLoss
    assert len(model.decoder) == n_layers + 1 and isinstance(model.decoder[-1], Sigmoid)
    X_val = digits["X_val"]
    output = model.forward(X_val)
    assert output.dtype == np.float32 and ((output >= 0) & (output <= 1)).all()
    # The best epoch's weights, the loss on logits equal to the BCE of the sigmoid's pixels.
    bce = float(BCELoss().forward(X_val.astype(np.float64), output.astype(np.float64)).mean())
    assert bce == pytest.approx(min(history["val_loss"]), rel=1e-4)


def test_the_mse_loss_trains_and_keeps_a_linear_output(digits, monkeypatch):
    """``loss: mse``: trained on MSELoss, the model returned ends in the family's Linear, and
    the squared error of its output (summed over the pixels) is the best validation loss."""
    seen = _record_fit(monkeypatch)
    model, history, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0), training={**TRAINING, "loss": "mse"})
    assert [loss for _, loss, _ in seen] == [MSELoss] and isinstance(model.decoder[-1], Linear)
    X_val = digits["X_val"]
    output = model.forward(X_val).astype(np.float64)
    squared_error = float(np.square(output - X_val).sum(axis=1).mean())
    assert squared_error == pytest.approx(min(history["val_loss"]), rel=1e-4)
    assert history["val_loss"][-1] < history["val_loss"][0]


class RecordingAdam(Adam):
    """Adam keeping the learning rate of each of its updates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rates = []
        RecordingAdam.made.append(self)

    def step(self):
        self.rates.append(self.lr)
        super().step()


def _rates(digits, monkeypatch, training):
    RecordingAdam.made = []
    monkeypatch.setattr("study.optimizers.Adam", RecordingAdam)
    _, history, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0), training=training)
    [optimizer] = RecordingAdam.made
    return optimizer, np.array(optimizer.rates), history


def test_the_cosine_schedule_warms_up_for_an_epoch_then_decays_to_zero_at_the_last_update(digits, monkeypatch):
    training = {**TRAINING, "patience": TRAINING["epochs"]}  # every epoch runs
    optimizer, rates, history = _rates(digits, monkeypatch, training)
    lr, total = TRAINING["lr"], TRAINING["epochs"] * BATCHES
    assert len(history) == TRAINING["epochs"] and len(rates) == total
    # A linear ramp over the first epoch's updates, from lr / 10 to lr ...
    np.testing.assert_allclose(rates[:BATCHES], lr * np.arange(1, BATCHES + 1) / BATCHES, rtol=1e-12)
    # ... then half a cosine: lr / 2 halfway through the decay, ~0 at the last update.
    assert np.all(np.diff(rates[BATCHES - 1:]) < 0)
    assert rates[BATCHES + (total - BATCHES) // 2 - 1] == pytest.approx(lr / 2)
    assert rates[-1] == pytest.approx(0.0, abs=1e-12) and optimizer.lr == pytest.approx(0.0, abs=1e-12)


def test_the_optimizer_is_adam_unless_the_settings_name_sgd_with_its_momentum(digits, monkeypatch):
    made = []
    monkeypatch.setattr("study.optimizers.Adam", lambda *args, **kwargs: made.append(Adam(*args, **kwargs)) or made[-1])
    monkeypatch.setattr("study.optimizers.SGD", lambda *args, **kwargs: made.append(SGD(*args, **kwargs)) or made[-1])
    variant = AEVariant("mlp", 8, "tanh", 0.0, 0)
    _train(digits, variant, training={**TRAINING, "epochs": 1})
    _train(digits, variant, training={**TRAINING, "epochs": 1, "optimizer": "sgd", "momentum": 0.5, "lr": 0.01})
    adam, sgd = made
    assert type(adam) is Adam and adam.betas == (0.9, 0.999) and adam.lr == pytest.approx(0.0)  # cosine's end
    assert type(sgd) is SGD and sgd.momentum == 0.5


class KickLastEpoch(Scheduler):
    """The training's learning rate, then Adam's steps of ~1 per weight through the last epoch:
    a validation loss that rises at the last epoch by construction, not by rounding."""

    def lr_at(self, t):
        return 1.0 if t > (TRAINING["epochs"] - 1) * BATCHES else self.base_lr


def test_without_patience_every_epoch_runs_and_the_last_weights_stay(digits, monkeypatch):
    # DEC's and IDEC's pretraining: no early stopping, the last epoch's weights.
    seen = []
    real_fit = fit

    def recording_fit(net, *args, **kwargs):
        history = real_fit(net, *args, **kwargs)
        seen.append(_parameters(net))
        return history

    monkeypatch.setattr("study.train_autoencoder.fit", recording_fit)
    monkeypatch.setattr("study.train_autoencoder.schedule", lambda optimizer, *_: KickLastEpoch(optimizer))
    training = {**TRAINING, "patience": None}
    model, history, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0), training=training)
    assert len(history) == TRAINING["epochs"] and history.best_epoch is None and not history.stopped_early
    # The kick wrecks the trained weights, so the best epoch's weights differ from the last.
    assert history["val_loss"][-1] > 2 * min(history["val_loss"][:-1])
    _assert_same_parameters(_parameters(model), seen[0])


def test_the_constant_schedule_keeps_the_learning_rate(digits, monkeypatch):
    optimizer, rates, _ = _rates(digits, monkeypatch, {**TRAINING, "schedule": "constant", "epochs": 2})
    assert len(rates) == 2 * BATCHES and (rates == TRAINING["lr"]).all() and optimizer.lr == TRAINING["lr"]


def _optimizer(lr=0.1):
    variant = AEVariant("mlp", 2, "tanh", 0.0, 0)
    return Adam(FAMILIES["mlp"].build((2, 2), variant, {"hidden": [3], "latent_activation": "linear"}, 0,
                                      np.float32), lr=lr)


def test_schedule_of_the_training_settings():
    optimizer = _optimizer()
    assert schedule(optimizer, {**TRAINING, "schedule": "constant"}, 600) is None
    assert optimizer.lr == 0.1
    # 601 samples in batches of 64: 10 updates per epoch, the last batch holding one sample.
    cosine = schedule(optimizer, {**TRAINING, "epochs": 7, "warmup_epochs": 0.5}, 601)
    assert isinstance(cosine, WarmupCosine) and cosine.optimizer is optimizer
    assert (cosine.total, cosine.warmup, cosine.base_lr, cosine.final) == (70, 5, 0.1, 0.0)
    # A warm-up as long as the training ends one update before it, which still decays to 0.
    whole = schedule(_optimizer(), {**TRAINING, "epochs": 1, "warmup_epochs": 1}, 600)
    assert (whole.total, whole.warmup) == (10, 9)
    assert whole.lr_at(9) == pytest.approx(0.1) and whole.lr_at(10) == pytest.approx(0.0, abs=1e-12)


def test_one_epoch_of_warm_up_and_one_epoch_of_training(digits, monkeypatch):
    # (config.yaml's warmup_epochs: 1 with a quick --config training.epochs=1)
    _, rates, history = _rates(digits, monkeypatch, {**TRAINING, "epochs": 1, "warmup_epochs": 1})
    assert len(history) == 1 and len(rates) == BATCHES and rates.max() == pytest.approx(TRAINING["lr"])


def test_the_model_is_built_by_the_variant_s_family(digits, monkeypatch):
    built = []

    def build(image_shape, variant, settings, rng, dtype):
        built.append((image_shape, variant, settings, dtype))
        return FAMILIES["mlp"].build(image_shape, variant, {"hidden": [4], "latent_activation": "tanh"}, rng, dtype)

    monkeypatch.setitem(FAMILIES, "toy", Family("toy", build))
    variant = AEVariant("toy", 2, "relu", 0.0, 0)
    model, _, codes = _train(digits, variant, family={"width": 3}, training={**TRAINING, "epochs": 1})
    assert built == [((8, 8), variant, {"width": 3}, np.float32)]
    assert model.encoder[0]._parameters["W"].shape == (64, 4) and codes["Z_test"].shape == (300, 2)


def test_same_variant_gives_bit_identical_model_history_and_codes(digits):
    variant = AEVariant("mlp", 8, "sigmoid", 0.25, 3)
    model_a, history_a, codes_a = _train(digits, variant)
    model_b, history_b, codes_b = _train(digits, variant)
    _assert_same_parameters(_parameters(model_a), _parameters(model_b))
    assert history_a["train_loss"] == history_b["train_loss"]
    assert history_a["val_loss"] == history_b["val_loss"]
    for key in codes_a:
        np.testing.assert_array_equal(codes_a[key], codes_b[key])


def test_the_seed_changes_the_model(digits):
    a = _parameters(_train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0))[0])
    b = _parameters(_train(digits, AEVariant("mlp", 8, "tanh", 0.0, 1))[0])
    assert not np.array_equal(a["encoder.0.W"], b["encoder.0.W"])


def test_seed_streams_are_independent_and_reproducible():
    init_a, train_a = seed_streams(5)
    init_b, train_b = seed_streams(5)
    assert init_a.random() == init_b.random() and train_a.random() == train_b.random()
    init, train = seed_streams(5)
    assert init.random() != train.random()


def test_noise_corrupts_training_inputs_only_for_a_denoising_variant(digits):
    # Same seed: same initial weights and batch order; only the noise differs.
    _, clean, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0))
    _, clean_masking, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0), noise_type="masking")
    assert clean_masking["train_loss"] == clean["train_loss"]  # noise_type unused at noise 0
    _, gaussian, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.5, 0))
    _, masking, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.5, 0), noise_type="masking")
    assert gaussian["train_loss"][0] != clean["train_loss"][0]
    assert masking["train_loss"][0] not in (gaussian["train_loss"][0], clean["train_loss"][0])


def test_noise_target_is_the_clean_input(digits, monkeypatch):
    # Noise that blanks every input leaves the model nothing to go on: the best it can do
    # is the mean training image, so its loss cannot go below that of the mean against the
    # clean targets (with the blank input as target it would fall towards 0).
    seen = []

    def blank(X, kind, level, rng):
        seen.append(X.copy())
        return np.zeros_like(X)

    monkeypatch.setattr("study.train_autoencoder.corrupt", blank)
    _, history, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.25, 0))
    assert len(seen) == 4 * 10 and all(x.any() for x in seen)  # 600 samples / 64 per batch
    X = digits["X_train"].astype(np.float64)
    mean = np.clip(X.mean(axis=0), 1e-7, 1 - 1e-7)
    loss_of_mean = float(BCELoss().forward(X, np.broadcast_to(mean, X.shape)).mean())
    assert min(history["train_loss"]) > 0.99 * loss_of_mean


def test_max_train_samples_trains_on_a_prefix_but_encodes_every_sample(digits):
    training = {**TRAINING, "max_train_samples": 100, "epochs": 1}
    model, history, codes = _train(digits, AEVariant("mlp", 2, "tanh", 0.0, 0), training=training)
    assert codes["Z_train"].shape == (len(digits["X_train"]), 2)
    X = digits["X_train"]
    assert training_subset(X, 100) is not X and len(training_subset(X, 100)) == 100
    np.testing.assert_array_equal(training_subset(X, 100), X[:100])
    assert training_subset(X, None) is X and training_subset(X, 10**6) is X


def test_float64_training(digits):
    training = {**TRAINING, "dtype": "float64", "epochs": 1}
    model, _, codes = _train(digits, AEVariant("mlp", 2, "tanh", 0.0, 0), training=training)
    assert model.encoder[0]._parameters["W"].dtype == np.float64
    assert codes["Z_test"].dtype == np.float32


def test_each_epoch_is_one_log_line(digits, caplog):
    with caplog.at_level(logging.INFO, logger="study.train_autoencoder"):
        _train(digits, AEVariant("mlp", 2, "tanh", 0.0, 0), name="digits/mlp_latent2_tanh_noise0_seed0")
    lines = [r.getMessage() for r in caplog.records if ": epoch " in r.getMessage()]
    assert len(lines) == 4
    assert lines[0].startswith("digits/mlp_latent2_tanh_noise0_seed0: epoch 1/4 train_loss ")
    assert " val_loss " in lines[0] and lines[0].endswith("s")


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_divergence_names_the_variant_and_the_epoch(digits):
    # lr 1e15: after one Adam step (every weight moves by about lr) the ReLU network's
    # products overflow float32 by ~10 orders of magnitude and +inf meets -inf, whatever
    # the BLAS kernel rounds; near the overflow threshold (lr 1e10) whether the loss turns
    # nan or the units merely die depends on the machine.
    training = {**TRAINING, "lr": 1e15}
    with pytest.raises(TrainingDiverged, match=r"^digits/mlp_latent2_relu_noise0_seed0 diverged "
                                               r"at epoch 1, batch \d+/\d+: loss = nan"):
        _train(digits, AEVariant("mlp", 2, "relu", 0.0, 0), training=training,
               name="digits/mlp_latent2_relu_noise0_seed0")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_vae_at_lr_10_fails_naming_the_variant_and_the_likely_cause(digits):
    # The run (training: {lr: 10, schedule: constant}) once trained to a validation loss
    # of 7.44e+27 and was saved; here the KL term overflows within the first epoch.
    training = {**TRAINING, "lr": 10, "schedule": "constant", "warmup_epochs": 0}
    with pytest.raises(TrainingDiverged, match=r"^digits/vae_latent2_relu_beta1_seed0 diverged at epoch 1.*"
                                               r"the kl term makes most of it; likely cause: the learning "
                                               r"rate \(lr = 10\), else the kl term's weight \(beta = 1\)"):
        _train(digits, AEVariant.parse("vae_latent2_relu_beta1_seed0"), family={"hidden": [32]},
               training=training, name="digits/vae_latent2_relu_beta1_seed0")


def test_dynamic_binarization_trains_on_draws_and_encodes_the_binarized_splits(digits):
    from study.data.dataset import binarized

    model, history, codes = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0),
                                   training={**TRAINING, "binarize": "dynamic"})
    once = binarized(digits)
    np.testing.assert_allclose(codes["Z_val"], model.encode(once["X_val"]), rtol=1e-6)
    assert not np.allclose(codes["Z_val"], model.encode(digits["X_val"]))
    plain, _, _ = _train(digits, AEVariant("mlp", 8, "tanh", 0.0, 0))
    assert not np.array_equal(plain.encoder[0]._parameters["W"], model.encoder[0]._parameters["W"])
