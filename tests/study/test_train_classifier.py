"""Training one raw-pixel classifier variant (study.train_classifier), without Snakemake."""
import json
import logging

import numpy as np
import pytest

from diy.classifier import MLPClassifier
from study.train_classifier import train_classifier
from study.variants import ClassifierVariant
from diy.train import TrainingDiverged

TRAINING = {"epochs": 6, "lr": 3e-3, "batch_size": 64, "patience": 3, "max_train_samples": None}


def _train(digits, variant=ClassifierVariant([64], "relu", 0.2, 0), **training):
    return train_classifier(digits, variant, training={**TRAINING, **training},
                            name="digits/clf/" + variant.name)


def test_model_history_and_metrics(digits, assert_jsonable):
    model, history, metrics = _train(digits)
    assert isinstance(model, MLPClassifier) and model.hidden == (64,) and model.dropout == 0.2
    assert 1 <= len(history) <= 6 and history["val_metric"][-1] is not None
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert set(metrics) == {"test_accuracy", "val_accuracy", "confusion_matrix", "classes",
                            "epochs_trained", "seconds"}
    assert_jsonable(metrics)
    json.dumps(metrics, allow_nan=False)
    assert metrics["classes"] == list(range(10))
    confusion = np.array(metrics["confusion_matrix"])
    assert confusion.shape == (10, 10) and confusion.sum() == len(digits["y_test"])
    np.testing.assert_array_equal(confusion.sum(axis=1), np.bincount(digits["y_test"], minlength=10))
    assert metrics["test_accuracy"] == pytest.approx(np.trace(confusion) / confusion.sum())
    assert metrics["test_accuracy"] == model.score(digits["X_test"], digits["y_test"])
    assert metrics["val_accuracy"] == model.score(digits["X_val"], digits["y_val"])
    assert metrics["test_accuracy"] > 0.85
    assert metrics["epochs_trained"] == len(history) and metrics["seconds"] > 0


def test_same_variant_gives_bit_identical_weights_and_losses(digits):
    model_a, history_a, metrics_a = _train(digits)
    model_b, history_b, metrics_b = _train(digits)
    for (name, a, _), (_, b, _) in zip(model_a.net_.parameters(), model_b.net_.parameters()):
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert history_a["train_loss"] == history_b["train_loss"]
    assert metrics_a["confusion_matrix"] == metrics_b["confusion_matrix"]


def test_max_train_samples(digits):
    model, _, metrics = _train(digits, max_train_samples=200, epochs=4)
    assert metrics["epochs_trained"] == 4


def test_each_epoch_is_one_log_line_with_validation_accuracy(digits, caplog):
    with caplog.at_level(logging.INFO, logger="study"):
        _, history, _ = _train(digits, epochs=3, patience=10)
    lines = [r.getMessage() for r in caplog.records if ": epoch " in r.getMessage()]
    assert len(lines) == 3
    assert lines[2].startswith("digits/clf/hidden64_relu_dropout0.2_seed0: epoch 3/3 train_loss ")
    assert f"val_accuracy {history['val_metric'][2]:.4f}" in lines[2]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_names_the_variant_and_the_epoch(digits):
    with pytest.raises(TrainingDiverged, match=r"^digits/clf/hidden64_relu_dropout0.2_seed0 "
                                               r"diverged at epoch \d+, "):
        _train(digits, lr=1e30)
