"""The `Scheduler` base class: a learning rate that depends on the update count."""
from .optimizer import Optimizer


class Scheduler:
    """Sets ``optimizer.lr`` before every update from ``lr_at(t)``, the learning rate of
    update ``t`` (counted from 1), a pure function of ``t``.

    The constructor sets the rate of update 1; call ``step()`` after each
    ``optimizer.step()`` to count that update and set the rate of the next one
    (``fit(..., scheduler=...)`` does). This base class is the constant schedule,
    ``lr_at(t) = base_lr``: training with it is training without a scheduler. A
    subclass writes ``lr_at``.

    Parameters
    ----------
    optimizer : Optimizer
        Its ``lr`` when the scheduler is made is ``base_lr``, the peak of the schedule.

    Attributes
    ----------
    t : int
        Updates made so far.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: optimizer must be a diy optimizer (diy.SGD, diy.Adam), "
                            f"got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.t = 0
        optimizer.lr = self.lr_at(1)

    def lr_at(self, t):
        """Learning rate of update ``t`` >= 1."""
        return self.base_lr

    def step(self):
        """Count one update and set the learning rate of the next."""
        self.t += 1
        self.optimizer.lr = self.lr_at(self.t + 1)

    def __repr__(self):
        return f"{type(self).__name__}(base_lr={self.base_lr!r})"
