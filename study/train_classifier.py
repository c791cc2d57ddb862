"""Train one raw-pixel classifier variant: the supervised reference of the study.

A ``diy.MLPClassifier`` (hidden sizes, activation and dropout from the variant; Adam on
the cross-entropy of the logits) trained on the training split, with early stopping on the
validation split (the best epoch's weights are kept), and scored on the test split.
"""
import logging
import time

import numpy as np

from diy.classifier import MLPClassifier
from study.degenerate import check_accuracy, check_weights
from study.training import epoch_logger, training_subset

log = logging.getLogger(__name__)


def train_classifier(data, variant, *, training, name=None):
    """Train `variant` on ``data``'s pixels and score it.

    Parameters
    ----------
    data : dict
        A dataset as from ``study.data.dataset.load_dataset``.
    variant : study.variants.ClassifierVariant
        Hidden sizes, activation, dropout and seed (the seed drives initial weights,
        dropout masks and shuffling).
    training : mapping
        ``epochs, lr, batch_size, patience`` and optionally ``max_train_samples`` and
        ``dtype`` (default float32): the config's ``classifiers`` section minus its grid.
    name : str, optional
        Names the model in log lines and in a ``TrainingDiverged`` message.

    Returns
    -------
    model : diy.MLPClassifier
    history : diy.train.History
        Records with ``val_metric`` the validation accuracy.
    metrics : dict
        ``test_accuracy, val_accuracy`` (of the kept weights), ``confusion_matrix`` (rows:
        true class, columns: predicted, in the order of ``classes``), ``classes``,
        ``epochs_trained`` and ``seconds`` (training wall time): plain JSON-able values.

    Raises
    ------
    diy.train.TrainingDiverged
        Naming `name`, the epoch and the batch.
    study.degenerate.DegenerateTraining
        If the weights exploded or the validation accuracy is at chance level.
    """
    name = variant.name if name is None else name
    X_train = training_subset(data["X_train"], training.get("max_train_samples"))
    y_train = data["y_train"][:len(X_train)]
    model = MLPClassifier(
        variant.hidden, variant.activation, dropout=variant.dropout, lr=training["lr"],
        epochs=training["epochs"], batch_size=training["batch_size"],
        patience=training["patience"], random_state=variant.seed,
        dtype=training.get("dtype", "float32"),
    )
    log.info("%s: classifier %s, trained on %d samples (validation %d), %s", name,
             "-".join(map(str, [X_train.shape[1], *variant.hidden, "classes"])), len(X_train),
             len(data["X_val"]), ", ".join(f"{key}={value}" for key, value in training.items()))
    logger = epoch_logger(name, training["epochs"], log, metric_name="val_accuracy")
    start = time.perf_counter()
    model.fit(X_train, y_train, data["X_val"], data["y_val"], callback=logger, name=name)
    seconds = time.perf_counter() - start
    history = model.history_
    metrics = score(model, data)
    metrics.update(epochs_trained=len(history), seconds=seconds)
    log.info("%s: %d epochs in %.1f s; best epoch %s; validation accuracy %.4f, test accuracy %.4f",
             name, len(history), seconds, history.best_epoch, metrics["val_accuracy"],
             metrics["test_accuracy"])
    epoch = history.best_epoch or len(history)
    check_weights(name, model.net_, epoch)
    check_accuracy(name, metrics["val_accuracy"], len(model.classes_), epoch)
    return model, history, metrics


def score(model, data):
    """Validation and test accuracy and the test confusion matrix of a fitted classifier."""
    classes = model.classes_
    predicted = model.predict(data["X_test"])
    index = {label: i for i, label in enumerate(classes.tolist())}
    confusion = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(confusion, ([index[c] for c in data["y_test"].tolist()],
                          [index[c] for c in predicted.tolist()]), 1)
    return {
        "test_accuracy": float(np.mean(predicted == data["y_test"])),
        "val_accuracy": model.score(data["X_val"], data["y_val"]),
        "confusion_matrix": confusion.tolist(),
        "classes": classes.tolist(),
    }

