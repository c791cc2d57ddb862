"""Mini-batch training: the one training loop of diy, and batched evaluation."""
import time
from dataclasses import dataclass, field

import numpy as np

from .checks import array, integer, positive_int
from .divergence import Divergence, TrainingDiverged  # noqa: F401 (diy.train.TrainingDiverged)
from .early_stopping import EarlyStopping
from .objective import objective_terms
from .random import as_generator
from .trainer import Trainer


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
        True if training stopped before ``epochs``: for lack of improvement or on the
        callback's request.
    """

    records: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    def __getitem__(self, key):
        return [record[key] for record in self.records]

    def __len__(self):
        return len(self.records)


def fit(net, loss, optimizer, X, y=None, *, epochs, batch_size=256, rng=None,
        X_val=None, y_val=None, metric=None, patience=None, input_transform=None, resample=None,
        scheduler=None, batches=None, before_batch=None, callback=None, name=None, verbose=False):
    """Train ``net`` on ``(X, y)`` by mini-batches for ``epochs`` epochs.

    The objective is the whole of ``diy.objective``: ``loss(y, net(x))`` plus the penalties of
    ``net``'s modules (a VAE's KL, an L1 penalty on the code), each batch's mean. Each epoch
    visits the samples in a fresh order (a permutation of the indices, drawn from ``rng``;
    only the batch is copied, by fancy indexing), in train mode; then, with validation data,
    evaluates in eval mode. On return the network is in eval mode. Per batch: zero the
    gradients, forward, loss and penalties, backward (``Trainer.compute_gradient``), then
    ``optimizer.step()`` and ``scheduler.step()``.

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
    resample : callable ``(X_batch, rng) -> ndarray``, optional
        Draws each training batch afresh from its samples, before ``input_transform``; the
        draw is then the batch's input and, with ``y=None``, its target (dynamic
        binarization: ``diy.noise.binarize``). Validation data is used as given.
    scheduler : diy.optim.Scheduler, optional
        Sets ``optimizer.lr`` per update: stepped once per batch, after
        ``optimizer.step()`` (e.g. ``WarmupCosine(optimizer, epochs * n_batches,
        warmup=...)``). None keeps the optimizer's ``lr`` throughout.
    batches : iterable, optional
        The batches of each epoch: an iterable of epochs, each a list of index arrays into
        ``X`` (DEC's epochs run across passes over the data: ``diy.dec.update_intervals``).
        Training ends with it if it has fewer than ``epochs``. None: each epoch one pass over
        the data in a fresh order drawn from ``rng`` (``shuffled_epochs``).
    before_batch : callable ``(index) -> None``, optional
        Called before each training batch with its indices into ``X``, e.g. to give a
        penalty module the batch's rows of per-sample targets (IDEC's clustering term). What
        it sets stays through the epoch's validation: IDEC has none, and clears it after fit.
    callback : callable ``(record) -> bool or None``, optional
        Called with each epoch's record (a dict, see ``History``) once it is complete; a
        true return value stops training there (DEC's convergence test).
    name : str, optional
        Names the model in the ``TrainingDiverged`` message and the ``verbose`` lines.
    verbose : bool
        Print one line per epoch to stdout: the objective and its terms, the validation loss
        (and its terms, and the metric) and the epoch's time (``epoch_line``).

    Returns
    -------
    History

    Raises
    ------
    TrainingDiverged
        As soon as a batch objective is inf or nan (the parameters are left as they were
        before that batch's update), or at the end of an epoch whose training or validation
        objective is inf, nan or far above the first epoch's, or after which a parameter is
        inf, nan or far larger than before training (``diy.divergence``). The message names
        the likely cause: a penalty's weight when its term makes most of the objective, else
        the learning rate.
    """
    check_fit_arguments(optimizer, X, y, batch_size, X_val, metric, patience, scheduler)
    epochs = integer("fit", "epochs", epochs, minimum=0)
    # Spawned children are numbered: adding the third stream left the first two as they were.
    shuffle_rng, transform_rng, resample_rng = as_generator(rng).spawn(3)
    read_batch = batch_reader(X, y, resample, resample_rng, input_transform, transform_rng)
    trainer, stopping, history = Trainer(net, loss, optimizer=optimizer), EarlyStopping(net, patience), History()
    divergence = Divergence(net, optimizer, name)
    plan = shuffled_epochs(len(X), batch_size, shuffle_rng) if batches is None else batches

    for epoch, epoch_batches in zip(range(1, epochs + 1), plan):
        start = time.perf_counter()
        net.train()
        sums = TermSums()
        for number, index in enumerate(epoch_batches, 1):
            if before_batch is not None:
                before_batch(index)
            value = trainer.compute_gradient(*read_batch(index))
            divergence.batch(epoch, number, len(epoch_batches), value, trainer.terms)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            sums.add(value, trainer.terms, len(index))

        record = sums.record(epoch)
        if X_val is not None:
            net.eval()
            add_validation(record, net, loss, X_val, y_val, batch_size, metric)
        divergence.epoch(record, len(epoch_batches))
        record["seconds"] = time.perf_counter() - start
        history.records.append(record)
        if verbose:
            print(epoch_line(record, epochs, name), flush=True)
        stop = callback is not None and callback(record)
        if stopping.stop(record) or stop:
            history.stopped_early = epoch < epochs
            break

    history.best_epoch = stopping.restore()
    net.eval()
    return history


def check_fit_arguments(optimizer, X, y, batch_size, X_val, metric, patience, scheduler):
    """Raise ValueError or TypeError, naming the argument, for arguments of ``fit`` that are
    not of their kind or cannot work together."""
    for key, value in (("X", X), ("y", y), ("X_val", X_val)):
        if value is not None:
            array("fit", key, value)
            # A NaN in the data would read as a divergence blamed on the learning rate.
            if value.dtype.kind == "f" and not np.isfinite(value).all():
                raise ValueError(f"fit: {key} must be finite, got NaN or infinite values")
    if patience is not None:
        positive_int("fit", "patience", patience)
    if y is not None and len(y) != len(X):
        raise ValueError(f"fit: X has {len(X)} samples but y has {len(y)}")
    if (patience is not None or metric is not None) and X_val is None:
        raise ValueError("fit: patience and metric need validation data (X_val)")
    positive_int("fit", "batch_size", batch_size)
    if scheduler is not None and scheduler.optimizer is not optimizer:
        raise ValueError("fit: the scheduler must drive the optimizer given to fit")


def shuffled_epochs(n, batch_size, rng):
    """Yield each epoch's batches for ever: a list of index arrays, one pass over ``range(n)``
    in a fresh order drawn from ``rng``; a pass's last batch holds the remainder."""
    while True:
        order = rng.permutation(n)
        yield [order[start:start + batch_size] for start in range(0, n, batch_size)]


def batch_reader(X, y, resample, resample_rng, input_transform, transform_rng):
    """``index -> (input, target)`` of a training batch: ``X[index]``, drawn afresh by
    ``resample`` if given; the target ``y[index]``, or that input with ``y=None``; then the
    input passed through ``input_transform`` if given."""
    def read(index):
        batch_x = X[index]
        if resample is not None:
            batch_x = resample(batch_x, resample_rng)
        batch_y = batch_x if y is None else y[index]
        if input_transform is not None:
            batch_x = input_transform(batch_x, transform_rng)
        return batch_x, batch_y

    return read


class TermSums:
    """An epoch's objective and each of its terms, summed over its samples as they are trained
    (each batch's mean times the batch size)."""

    def __init__(self):
        self.total, self.seen, self.terms = 0.0, 0, {}

    def add(self, value, terms, size):
        """Add a batch of ``size`` samples: its objective ``value`` and its ``terms`` (name ->
        batch mean)."""
        self.total += value * size
        self.seen += size
        for term, term_value in terms.items():
            self.terms[term] = self.terms.get(term, 0.0) + term_value * size

    def record(self, epoch):
        """The epoch's ``History`` record so far: the means per sample, each term its own
        column (``train_kl``, ...) once the objective has more than one."""
        record = {"epoch": epoch, "train_loss": self.total / self.seen, "val_loss": None, "val_metric": None}
        if len(self.terms) > 1:
            record.update((f"train_{term}", value / self.seen) for term, value in self.terms.items())
        return record


def add_validation(record, net, loss, X_val, y_val, batch_size, metric):
    """Add the validation objective (``val_loss``), the ``metric`` and, beside training's, each
    term's column (``val_kl``, ...) to an epoch's ``record``."""
    terms, record["val_metric"] = evaluate_terms(net, loss, X_val, y_val, batch_size=batch_size, metric=metric)
    record["val_loss"] = sum(terms.values())
    if "train_output" in record:
        record.update((f"val_{term}", value) for term, value in terms.items())


def epoch_line(record, epochs, name=None):
    """An epoch's ``History`` record as one line, the terms of each objective beside its total::

        epoch 3/50: train_loss 0.41235 (output 0.40123 + kl 0.01112), val_loss 0.43102 (...), 0.12 s
    """
    def with_terms(split):
        terms = [f"{key[len(split) + 1:]} {value:.5g}" for key, value in record.items()
                 if key.startswith(f"{split}_") and key not in ("train_loss", "val_loss", "val_metric")]
        return f"{split}_loss {record[f'{split}_loss']:.5g}" + (f" ({' + '.join(terms)})" if terms else "")

    parts = [with_terms("train")]
    if record["val_loss"] is not None:
        parts.append(with_terms("val"))
    if record["val_metric"] is not None:
        parts.append(f"val_metric {record['val_metric']:.5g}")
    prefix = f"{name} " if name else ""
    return f"{prefix}epoch {record['epoch']}/{epochs}: {', '.join(parts)}, {record['seconds']:.2f} s"


def predict(net, X, *, batch_size=1024):
    """``net.forward`` over ``X`` in batches, concatenated: bounded activation memory.

    Runs in the network's current mode; call ``net.eval()`` first for inference.
    """
    positive_int("predict", "batch_size", batch_size)
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
    positive_int("evaluate", "batch_size", batch_size)
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
