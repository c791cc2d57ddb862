"""Linear warm-up, then cosine decay of the learning rate."""
import math

from ..checks import integer, positive_int, probability
from .scheduler import Scheduler


class WarmupCosine(Scheduler):
    """A linear warm-up to ``base_lr`` over ``warmup`` updates, then a half cosine down
    to ``final * base_lr`` at update ``total``, which it keeps::

        lr_at(t) = base_lr (start + (1 - start) t / warmup)                 t <= warmup
        lr_at(t) = base_lr (final + (1 - final) (1 + cos(pi p)) / 2)        warmup < t <= total
        lr_at(t) = base_lr final                                            t > total

    with ``p = (t - warmup) / (total - warmup)`` the progress of the decay. The ramp
    starts from ``start * base_lr`` at t = 0, so update 1 already moves (by
    ``base_lr / warmup`` from 0) and update ``warmup`` has the full rate.

    Parameters
    ----------
    optimizer : Optimizer
        Its ``lr`` is ``base_lr``.
    total : int
        Updates in all (epochs x batches per epoch in ``fit``), > ``warmup``.
    warmup : int >= 0
        Updates of the linear ramp; 0 starts the cosine at once.
    start, final : float in [0, 1]
        Fractions of ``base_lr`` the ramp starts from and the decay ends at.
    """

    def __init__(self, optimizer, total, *, warmup=0, start=0.0, final=0.0):
        total = positive_int("WarmupCosine", "total", total)
        if not 0 <= integer("WarmupCosine", "warmup", warmup) < total:
            raise ValueError(f"WarmupCosine: need 0 <= warmup < total, got warmup={warmup!r}, total={total!r}")
        for name, fraction in (("start", start), ("final", final)):
            probability("WarmupCosine", name, fraction)
        self.total, self.warmup = int(total), int(warmup)
        self.start, self.final = float(start), float(final)
        super().__init__(optimizer)

    def lr_at(self, t):
        if t <= self.warmup:
            return self.base_lr * (self.start + (1.0 - self.start) * t / self.warmup)
        p = min(1.0, (t - self.warmup) / (self.total - self.warmup))
        return self.base_lr * (self.final + (1.0 - self.final) * 0.5 * (1.0 + math.cos(math.pi * p)))

    def __repr__(self):
        return (f"WarmupCosine(base_lr={self.base_lr!r}, total={self.total!r}, warmup={self.warmup!r}, "
                f"start={self.start!r}, final={self.final!r})")
