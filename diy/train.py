"""Mini-batch training: the one training loop of diy, and batched evaluation."""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .optim.optim import Optim
from .random import as_generator


class TrainingDiverged(FloatingPointError):
    """The loss became inf or nan; says which model, epoch and batch (counted from 1).

    ``batch`` is None when the validation loss, not a training batch, was non-finite.
    """

    def __init__(self, name, epoch, batch, n_batches, loss):
        self.name, self.epoch, self.batch, self.n_batches, self.loss = name, epoch, batch, n_batches, loss
        where = "validation" if batch is None else f"batch {batch}/{n_batches}"
        super().__init__(
            f"{name or 'training'} diverged at epoch {epoch}, {where}: loss = {loss} "
            f"(try a smaller learning rate)"
        )

    def __reduce__(self):
        # Rebuilt from the constructor's arguments, not the message, so the error
        # survives pickling (joblib and multiprocessing re-raise it in the parent).
        return type(self), (self.name, self.epoch, self.batch, self.n_batches, self.loss)


@dataclass
class History:
    """What ``fit`` records, one dict per epoch.

    Each record has ``epoch`` (from 1), ``train_loss`` (mean per-sample loss over
    the epoch's batches, as they were trained), ``val_loss`` and ``val_metric``
    (None without validation data or metric) and ``seconds`` (wall time of the epoch,
    validation included). ``history["val_loss"]`` is that column as a list.

    Attributes
    ----------
    records : list of dict
    best_epoch : int or None
        With early stopping: the epoch of lowest validation loss, whose parameters
        the network holds after ``fit``.
    stopped_early : bool
        True if training stopped before ``epochs`` for lack of improvement.
    """

    records: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    def __getitem__(self, key):
        return [record[key] for record in self.records]

    def __len__(self):
        return len(self.records)


def fit(net, loss, optimizer, X, y=None, *, epochs, batch_size=256, rng=None,
        X_val=None, y_val=None, metric=None, patience=None, input_transform=None,
        callback=None, name=None, scheduler=None):
    """Train ``net`` on ``(X, y)`` by mini-batches for ``epochs`` epochs.

    Each epoch visits the samples in a fresh order (a permutation of the indices,
    drawn from ``rng``; only the batch is copied, by fancy indexing), in train mode;
    then, with validation data, evaluates in eval mode. On return the network is in
    eval mode.

    Parameters
    ----------
    net : Module
    loss : Loss
    optimizer : Optimizer
        An optimizer over ``net``'s parameters (e.g. ``Adam(net)``).
    X : ndarray of shape (n, ...)
        Inputs, of the network's dtype.
    y : ndarray of shape (n, ...), optional
        Targets. None means ``y = X`` (an autoencoder): the target is the *clean*
        batch even when ``input_transform`` corrupts the input.
    epochs : int
        Maximum number of passes over the data.
    batch_size : int
        The last batch of an epoch holds the remainder.
    rng : np.random.Generator, int or None
        Source of the shuffling and of ``input_transform``'s randomness. The two
        use independent streams spawned from it, so adding noise to the inputs does
        not change the order in which the samples are visited.
    X_val, y_val : ndarray, optional
        Validation data (``y_val=None`` means ``y_val = X_val``), evaluated on
        clean inputs, in batches of ``batch_size``.
    metric : callable ``(y_val, yhat_val) -> float``, optional
        Computed on the whole validation set after each epoch.
    patience : int, optional
        Early stopping: stop when the validation loss has not decreased for
        ``patience`` epochs, then restore the parameters of the best epoch. Needs
        validation data. Without it, all ``epochs`` run and the last parameters stay.
    input_transform : callable ``(X_batch, rng) -> ndarray``, optional
        Applied to each training batch's input (not the target), with a Generator,
        e.g. to corrupt it afresh every epoch for a denoising autoencoder. It must
        return a new array and leave ``X_batch`` unchanged.
    callback : callable ``(record) -> None``, optional
        Called with each epoch's record (a dict, see ``History``) once it is complete.
    name : str, optional
        Names the model in the ``TrainingDiverged`` message.
    scheduler : diy.optim.Scheduler, optional
        Sets ``optimizer.lr`` per update: stepped once per batch, after
        ``optimizer.step()`` (e.g. ``WarmupCosine(optimizer, epochs * n_batches,
        warmup=...)``). None keeps the optimizer's ``lr`` throughout.

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        As soon as a batch loss (or the validation loss) is inf or nan; the
        parameters are left as they were before that batch's update.
    """
    if y is not None and len(y) != len(X):
        raise ValueError(f"fit: X has {len(X)} samples but y has {len(y)}")
    if (patience is not None or metric is not None) and X_val is None:
        raise ValueError("fit: patience and metric need validation data (X_val)")
    if batch_size < 1:
        raise ValueError(f"fit: batch_size must be >= 1, got {batch_size}")
    if scheduler is not None and scheduler.optimizer is not optimizer:
        raise ValueError("fit: the scheduler must drive the optimizer given to fit")
    shuffle_rng, transform_rng = as_generator(rng).spawn(2)
    trainer = Optim(net, loss, optimizer=optimizer)
    n = len(X)
    n_batches = math.ceil(n / batch_size)
    history = History()
    best_loss, best_parameters, epochs_without_improvement = math.inf, None, 0

    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        net.train()
        order = shuffle_rng.permutation(n)
        total = 0.0
        for batch in range(n_batches):
            index = order[batch * batch_size:(batch + 1) * batch_size]
            batch_x = X[index]
            batch_y = batch_x if y is None else y[index]
            if input_transform is not None:
                batch_x = input_transform(batch_x, transform_rng)
            value = trainer.compute_gradient(batch_x, batch_y)
            if not math.isfinite(value):
                raise TrainingDiverged(name, epoch, batch + 1, n_batches, value)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += value * len(index)

        record = {"epoch": epoch, "train_loss": total / n, "val_loss": None, "val_metric": None}
        if X_val is not None:
            net.eval()
            record["val_loss"], record["val_metric"] = evaluate(
                net, loss, X_val, y_val, batch_size=batch_size, metric=metric
            )
            if not math.isfinite(record["val_loss"]):
                raise TrainingDiverged(name, epoch, None, n_batches, record["val_loss"])
        record["seconds"] = time.perf_counter() - start
        history.records.append(record)
        if callback is not None:
            callback(record)

        if patience is not None:
            if record["val_loss"] < best_loss:
                best_loss, history.best_epoch, epochs_without_improvement = record["val_loss"], epoch, 0
                best_parameters = {key: p.copy() for key, p, _ in net.parameters()}
            else:
                epochs_without_improvement += 1
                if epochs_without_improvement >= patience:
                    history.stopped_early = epoch < epochs
                    break

    if best_parameters is not None:
        for key, parameter, _ in net.parameters():
            parameter[...] = best_parameters[key]
    net.eval()
    return history


def predict(net, X, *, batch_size=1024):
    """``net.forward`` over ``X`` in batches, concatenated: bounded activation memory.

    Runs in the network's current mode; call ``net.eval()`` first for inference.
    """
    return np.concatenate([net.forward(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])


def evaluate(net, loss, X, y=None, *, batch_size=1024, metric=None):
    """Mean per-sample ``loss`` of ``net`` on ``(X, y)``, and ``metric(y, yhat)`` or None.

    Forwards in batches, in the network's current mode (call ``net.eval()`` first).
    ``y=None`` means ``y = X``. The predictions are kept only if a metric needs them.
    """
    y = X if y is None else y
    total, outputs = 0.0, []
    for i in range(0, len(X), batch_size):
        output = net.forward(X[i:i + batch_size])
        total += float(loss.forward(y[i:i + batch_size], output).sum())
        if metric is not None:
            outputs.append(output)
    value = None if metric is None else float(metric(y, np.concatenate(outputs)))
    return total / len(X), value
