"""Mini-batch training: the one training loop of diy, and batched evaluation."""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .objective import objective_terms
from .trainer import Trainer
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

    Each record has ``epoch`` (from 1), ``train_loss`` (mean per-sample objective over
    the epoch's batches, as they were trained), ``val_loss`` and ``val_metric``
    (None without validation data or metric) and ``seconds`` (wall time of the epoch,
    validation included). ``history["val_loss"]`` is that column as a list. A network with
    penalties adds each term's column beside the totals: ``train_output`` (the loss's),
    ``train_kl``, ..., and ``val_output``, ``val_kl``, ... with validation data.

    Attributes
    ----------
    records : list of dict
    best_epoch : int or None
        With early stopping: the epoch of lowest validation loss, whose parameters
        the network holds after ``fit``.
    stopped_early : bool
        True if training stopped before ``epochs``: for lack of improvement, on the
        callback's request or at ``max_steps``.
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
        callback=None, name=None, scheduler=None, steps_per_epoch=None, max_steps=None,
        penalty_targets=None, resample=None):
    """Train ``net`` on ``(X, y)`` by mini-batches for ``epochs`` epochs.

    The objective is the whole of ``diy.objective``: ``loss(y, net(x))`` plus the penalties of
    ``net``'s modules (a VAE's KL, an L1 penalty on the code), each batch's mean. Each epoch
    visits the samples in a fresh order (a permutation of the indices, drawn from ``rng``;
    only the batch is copied, by fancy indexing), in train mode; then, with validation data,
    evaluates in eval mode. On return the network is in eval mode.

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
        batch even when ``input_transform`` corrupts the input. Read batch by batch, so a
        callback may change it in place between epochs (DEC's target distribution).
    epochs : int
        Maximum number of epochs.
    batch_size : int
        The last batch of a pass over the data holds the remainder.
    rng : np.random.Generator, int or None
        Source of the shuffling, of ``input_transform``'s and of ``resample``'s randomness.
        The three use independent streams spawned from it, so adding noise to the inputs
        does not change the order in which the samples are visited.
    X_val, y_val : ndarray, optional
        Validation data (``y_val=None`` means ``y_val = X_val``), evaluated on
        clean inputs, in batches of ``batch_size``, on the whole objective.
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
    callback : callable ``(record) -> bool or None``, optional
        Called with each epoch's record (a dict, see ``History``) once it is complete; a
        true return value stops training there (DEC's convergence test).
    name : str, optional
        Names the model in the ``TrainingDiverged`` message.
    scheduler : diy.optim.Scheduler, optional
        Sets ``optimizer.lr`` per update: stepped once per batch, after
        ``optimizer.step()`` (e.g. ``WarmupCosine(optimizer, epochs * n_batches,
        warmup=...)``). None keeps the optimizer's ``lr`` throughout.
    steps_per_epoch : int, optional
        Batches per epoch, drawn from consecutive passes over the data, each pass in a fresh
        order (DEC's update interval). None: an epoch is one pass.
    max_steps : int, optional
        Stop after this many batches in all (the last epoch then runs short).
    resample : callable ``(X_batch, rng) -> ndarray``, optional
        Draws each training batch afresh from its samples, before ``input_transform``; the
        draw is then the batch's input and, with ``y=None``, its target (dynamic
        binarization: ``diy.noise.binarize``). Validation data is used as given.
    penalty_targets : dict Module -> ndarray of shape (n, ...), optional
        Per-sample targets of penalty modules: before each training batch,
        ``module.target`` is set to the batch's rows (IDEC's clustering term), and after
        each epoch's training to None, so validation and prediction run without it.

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        As soon as a batch objective (or the validation objective) is inf or nan; the
        parameters are left as they were before that batch's update.
    """
    if y is not None and len(y) != len(X):
        raise ValueError(f"fit: X has {len(X)} samples but y has {len(y)}")
    if (patience is not None or metric is not None) and X_val is None:
        raise ValueError("fit: patience and metric need validation data (X_val)")
    if batch_size < 1 or any(value is not None and value < 1 for value in (steps_per_epoch, max_steps)):
        raise ValueError(f"fit: batch_size, steps_per_epoch and max_steps must be >= 1, got {batch_size}, "
                         f"{steps_per_epoch}, {max_steps}")
    if scheduler is not None and scheduler.optimizer is not optimizer:
        raise ValueError("fit: the scheduler must drive the optimizer given to fit")
    penalty_targets = penalty_targets or {}
    # Spawned children are numbered: adding the third stream left the first two as they were.
    shuffle_rng, transform_rng, resample_rng = as_generator(rng).spawn(3)
    trainer = Trainer(net, loss, optimizer=optimizer)
    n = len(X)
    n_batches = math.ceil(n / batch_size) if steps_per_epoch is None else steps_per_epoch
    batches = shuffled_batches(n, batch_size, shuffle_rng)
    history = History()
    best_loss, best_parameters, epochs_without_improvement = math.inf, None, 0
    steps = 0

    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        net.train()
        total, seen, term_totals = 0.0, 0, {}
        epoch_batches = n_batches if max_steps is None else min(n_batches, max_steps - steps)
        for batch in range(epoch_batches):
            index = next(batches)
            batch_x = X[index]
            if resample is not None:
                batch_x = resample(batch_x, resample_rng)
            batch_y = batch_x if y is None else y[index]
            if input_transform is not None:
                batch_x = input_transform(batch_x, transform_rng)
            for module, targets in penalty_targets.items():
                module.target = targets[index]
            value = trainer.compute_gradient(batch_x, batch_y)
            if not math.isfinite(value):
                raise TrainingDiverged(name, epoch, batch + 1, epoch_batches, value)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += value * len(index)
            seen += len(index)
            for term, term_value in trainer.terms.items():
                term_totals[term] = term_totals.get(term, 0.0) + term_value * len(index)
        steps += epoch_batches
        # The targets were the last batch's: validation and prediction run without them.
        for module in penalty_targets:
            module.target = None

        record = {"epoch": epoch, "train_loss": total / seen, "val_loss": None, "val_metric": None}
        # Each term its own column beside the total, once the objective has more than one.
        with_terms = len(term_totals) > 1
        if with_terms:
            record.update((f"train_{term}", value / seen) for term, value in term_totals.items())
        if X_val is not None:
            net.eval()
            val_terms, record["val_metric"] = evaluate_terms(
                net, loss, X_val, y_val, batch_size=batch_size, metric=metric
            )
            record["val_loss"] = sum(val_terms.values())
            if with_terms:
                record.update((f"val_{term}", value) for term, value in val_terms.items())
            if not math.isfinite(record["val_loss"]):
                raise TrainingDiverged(name, epoch, None, epoch_batches, record["val_loss"])
        record["seconds"] = time.perf_counter() - start
        history.records.append(record)
        stop = callback is not None and callback(record)

        if patience is not None:
            if record["val_loss"] < best_loss:
                best_loss, history.best_epoch, epochs_without_improvement = record["val_loss"], epoch, 0
                best_parameters = {key: p.copy() for key, p, _ in net.parameters()}
            else:
                epochs_without_improvement += 1
                stop = stop or epochs_without_improvement >= patience
        if stop or steps == max_steps:
            history.stopped_early = epoch < epochs
            break

    if best_parameters is not None:
        for key, parameter, _ in net.parameters():
            parameter[...] = best_parameters[key]
    net.eval()
    return history


def shuffled_batches(n, batch_size, rng):
    """Yield the indices of each batch for ever: consecutive passes over ``range(n)``, each in
    a fresh order drawn from ``rng``; a pass's last batch holds the remainder."""
    n_batches = math.ceil(n / batch_size)
    while True:
        order = rng.permutation(n)
        for batch in range(n_batches):
            yield order[batch * batch_size:(batch + 1) * batch_size]


def predict(net, X, *, batch_size=1024):
    """``net.forward`` over ``X`` in batches, concatenated: bounded activation memory.

    Runs in the network's current mode; call ``net.eval()`` first for inference.
    """
    return np.concatenate([net.forward(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])


def evaluate(net, loss, X, y=None, *, batch_size=1024, metric=None):
    """Mean per-sample objective of ``net`` on ``(X, y)``, and ``metric(y, yhat)`` or None.

    The objective is ``loss`` plus the penalties of ``net``'s modules (see ``evaluate_terms``).
    """
    terms, value = evaluate_terms(net, loss, X, y, batch_size=batch_size, metric=metric)
    return sum(terms.values()), value


def evaluate_terms(net, loss, X, y=None, *, batch_size=1024, metric=None):
    """Each term of the objective (``diy.objective``), its mean per sample over ``(X, y)``, as a
    dict name -> float (``"output"``: ``loss``'s), and ``metric(y, yhat)`` or None.

    Forwards in batches, in the network's current mode (call ``net.eval()`` first).
    ``y=None`` means ``y = X``. The predictions are kept only if a metric needs them.
    """
    y = X if y is None else y
    totals, outputs = {}, []
    for i in range(0, len(X), batch_size):
        output = net.forward(X[i:i + batch_size])
        for name, term in objective_terms(net, loss, y[i:i + batch_size], output).items():
            totals[name] = totals.get(name, 0.0) + float(term.sum())
        if metric is not None:
            outputs.append(output)
    value = None if metric is None else float(metric(y, np.concatenate(outputs)))
    return {name: total / len(X) for name, total in totals.items()}, value
