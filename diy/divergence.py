"""Telling a diverging training from a slow one, including when its loss stays finite.

A run diverges when a batch's objective is inf or nan, but also when the objective stays
finite while it explodes: a VAE at a learning rate of 10 reaches a validation loss of 7e27,
almost all of it the KL term, and a DEC network at ``lr = 1e12`` stops changing its labels
(which DEC reads as convergence) while its weights are astronomical. So after each epoch
``Divergence`` also checks the epoch's objectives against the first epoch's, and the
parameters against their size before training.
"""
import numpy as np

#: A loss this many times above the first epoch's is divergence. Training lowers a loss from its
#: first epoch on (a VAE's first epoch is its highest): no ordinary run comes within orders of
#: magnitude of it.
RISE = 1e6
#: A parameter this many times larger than the largest before training (or than 1) is divergence.
#: The study's weights stay within a few units; DEC at ``lr = 1e6`` with momentum grows its
#: encoder's 3e5-fold in 160 steps while its loss falls to 1e-8 and its labels freeze.
GROWTH = 1e4
#: Scale below which a first epoch's loss counts as this much (a loss that starts near 0 may
#: wander by more than RISE times its start without diverging), and a start's largest parameter
#: as 1.
LOSS_FLOOR = 1e-3
#: The configuration key of each penalty's weight, in the order looked for: a VAE's beta, a
#: sparsity or contractive weight, IDEC's gamma.
WEIGHT_KEYS = ("beta", "weight", "gamma")


class TrainingDiverged(FloatingPointError):
    """The training diverged; says which model, epoch and batch (counted from 1), and why.

    ``batch`` is None when the epoch as a whole, not a training batch, showed it. ``loss`` is the
    value that showed it, ``what`` names it (``loss``: the batch's objective; ``val_loss``,
    ``train_loss``, or ``largest |parameter|``) and ``cause`` is the likely cause (the learning
    rate, or the weight of the term that blew up).
    """

    def __init__(self, name, epoch, batch, n_batches, loss, cause="try a smaller learning rate", what="loss"):
        self.name, self.epoch, self.batch, self.n_batches, self.loss = name, epoch, batch, n_batches, loss
        self.cause, self.what = cause, what
        where = "" if batch is None else f", batch {batch}/{n_batches}"
        super().__init__(f"{name or 'training'} diverged at epoch {epoch}{where}: {what} = {loss:.4g} ({cause})")

    def __reduce__(self):
        # Rebuilt from the constructor's arguments, not the message, so the error
        # survives pickling (joblib and multiprocessing re-raise it in the parent).
        return type(self), (self.name, self.epoch, self.batch, self.n_batches, self.loss, self.cause, self.what)


class Divergence:
    """Watches a training of ``net`` by ``optimizer``: raises ``TrainingDiverged`` naming ``name``.

    ``batch`` checks one batch's objective (finite); ``epoch`` checks an epoch's record (its
    objectives finite and at most ``RISE`` times the first epoch's) and the parameters (finite
    and at most ``GROWTH`` times the largest before training, checked once per epoch: one pass
    over them).
    """

    def __init__(self, net, optimizer, name):
        self.net, self.optimizer, self.name = net, optimizer, name
        self.first, self.limit = None, GROWTH * max(1.0, largest_parameter(net))

    def batch(self, epoch, number, n_batches, value, terms):
        """Raise if a batch's objective ``value`` (its terms: name -> batch mean) is not finite."""
        if not np.isfinite(value):
            raise TrainingDiverged(self.name, epoch, number, n_batches, value, self.cause(terms))

    def epoch(self, record, n_batches):
        """Raise if an epoch's ``History`` record, or the parameters after it, show divergence."""
        if self.first is None:
            self.first = record
        for split in ("train", "val"):
            value, first, terms = record[f"{split}_loss"], self.first[f"{split}_loss"], self.terms(record, split)
            if value is None:
                continue
            if not np.isfinite(value):
                raise TrainingDiverged(self.name, record["epoch"], None, n_batches, value, self.cause(terms),
                                       f"{split}_loss")
            if value > RISE * max(abs(first), LOSS_FLOOR):
                raise TrainingDiverged(self.name, record["epoch"], None, n_batches, value,
                                       f"over {RISE:.0e} times the first epoch's {first:.4g}; "
                                       f"{self.cause(terms)}", f"{split}_loss")
        size = largest_parameter(self.net)
        if not size <= self.limit:
            raise TrainingDiverged(self.name, record["epoch"], None, n_batches, size,
                                   f"over {GROWTH:.0e} times the largest before training; "
                                   f"{self.cause(self.terms(record, 'train'))}", "largest |parameter|")

    @staticmethod
    def terms(record, split):
        """``{term: value}`` of a record's ``train_kl``... columns (``split`` "train" or "val")."""
        return {key[len(split) + 1:]: value for key, value in record.items()
                if key.startswith(f"{split}_") and key not in (f"{split}_loss", f"{split}_metric")}

    def cause(self, terms):
        """The likely cause, from the objective's ``terms`` (name -> value): with a penalty term
        that makes most of it (or turned inf or nan with the output's), its weight if raised
        above 1 (a beta-VAE's beta, a heavy sparsity weight), else the learning rate, the other
        named too; without one, the learning rate."""
        lr = f"the learning rate (lr = {self.optimizer.lr:g})"
        penalties = [name for name in terms if name != "output"]
        blown = max(penalties, key=lambda name: _magnitude(terms[name]), default=None)
        if blown is None or _magnitude(terms[blown]) < _magnitude(terms.get("output", 0.0)):
            return f"likely cause: {lr}; try a smaller one"
        key, weight = self.weight(blown)
        term = f"the {blown} term's weight ({key} = {weight:g})"
        if weight > 1:
            return f"the {blown} term makes most of it; likely cause: {term}, else {lr}; try a smaller one"
        return f"the {blown} term makes most of it; likely cause: {lr}, else {term}; try a smaller one"

    def weight(self, term):
        """``(key, value)`` of the weight of the penalty named ``term`` in ``net`` (``("weight",
        nan)`` if it has none of :data:`WEIGHT_KEYS`)."""
        for path, module in self.net._named_modules(""):
            if module.penalty_name is not None and term in (module.penalty_name, f"{path}{module.penalty_name}"):
                config = module.get_config()
                for key in WEIGHT_KEYS:
                    if key in config:
                        return key, float(config[key])
        return "weight", float("nan")


def largest_parameter(net):
    """The largest magnitude of ``net``'s parameters (nan or inf if one is not finite; 0 if none)."""
    sizes = [float(np.max(np.abs(parameter))) for _, parameter, _ in net.parameters() if parameter.size]
    return max(sizes, default=0.0, key=_magnitude)


def _magnitude(value):
    """``|value|``, with nan above everything: the term that turned nan is the one to blame."""
    return np.inf if np.isnan(value) else abs(value)
