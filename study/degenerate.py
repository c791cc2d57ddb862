"""Training that "succeeds" into garbage, caught where it is made.

A run can end without a non-finite loss and still be useless: a learning rate too large for
ReLU kills every unit and leaves a constant code; one far too large leaves tanh weights of
1e15 whose saturated outputs keep the loss finite; a classifier can end at chance. Everything
downstream would score such a model as if it were a result (and t-SNE crashes on constant
codes), so the training job fails instead, naming the variant, the epoch and a likely fix.
"""
import numpy as np

#: Largest absolute weight a trained model may hold: trained weights are of order 1-10; 1e5
#: is far beyond them and far below where a saturated network stops moving.
WEIGHT_LIMIT = 1e5
#: Codes whose spread on the validation split is below this fraction of their magnitude (or of
#: 1) in every dimension have collapsed to a point.
COLLAPSE = 1e-6
#: A classifier within this much of chance accuracy (1 / classes) on validation learned nothing.
CHANCE_MARGIN = 0.05


class DegenerateTraining(RuntimeError):
    """A trained model that is not usable; the message names it, the epoch and a likely fix."""


def check_weights(name, model, epoch):
    """Raise DegenerateTraining if a parameter of `model` is non-finite or above WEIGHT_LIMIT."""
    for key, parameter, _ in model.parameters():
        largest = float(np.max(np.abs(parameter))) if parameter.size else 0.0
        if not np.isfinite(largest) or largest > WEIGHT_LIMIT:
            raise DegenerateTraining(
                f"{name} ended at epoch {epoch} with parameter {key} of magnitude {largest:.3g} "
                f"(exploding weights; try a smaller training.lr)")


def check_codes(name, Z_val, epoch, weights=None):
    """Raise DegenerateTraining if the validation codes (n, k) have collapsed to a point.
    `weights`: the variant's penalty weights by config key (``{"grid.sparsity": 1e6}``); one
    above 1 is named as the likely cause before the learning rate (it pulls every code to the
    penalty's optimum: a sparse code to zero, a VAE's to the prior)."""
    Z = np.asarray(Z_val, dtype=np.float64)
    spread = Z.std(axis=0).max() if Z.size else 0.0
    if not spread > COLLAPSE * max(1.0, float(np.abs(Z).max(initial=0.0))):
        heavy = [f"{key} = {value:g}" for key, value in (weights or {}).items() if value > 1]
        fix = (f"likely cause: the penalty's weight ({', '.join(heavy)}), else training.lr; try a smaller one, "
               f"or another activation" if heavy else "try a smaller training.lr, or another activation")
        raise DegenerateTraining(
            f"{name} ended at epoch {epoch} with codes that are constant on the validation split "
            f"(largest spread {spread:.3g}: dead units; {fix})")


def check_accuracy(name, accuracy, n_classes, epoch):
    """Raise DegenerateTraining if a classifier's validation `accuracy` is at chance level."""
    chance = 1.0 / n_classes
    if accuracy < chance + CHANCE_MARGIN:
        raise DegenerateTraining(
            f"{name} ended at epoch {epoch} with validation accuracy {accuracy:.3f}, chance level "
            f"({chance:.3f}); try a smaller learning rate or more epochs")
