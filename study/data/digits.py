"""scikit-learn's bundled 8x8 digits (1,797 images, no download) with seeded stratified splits."""
import numpy as np
from sklearn.datasets import load_digits

from study.data.dataset import make_dataset
from study.data.splits import stratified_split

IMAGE_SHAPE = (8, 8)


def build_digits(test_fraction, validation_fraction, seed):
    """The digits dataset dict (layout of :mod:`study.data.dataset`).

    The test set is ``test_fraction`` of all samples; validation is ``validation_fraction``
    of the rest; both stratified, drawn in that order from one generator seeded by `seed`.
    Pixels (0-16 in the source) are divided by 16 into [0, 1].
    """
    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    y = digits.target
    rng = np.random.default_rng(seed)
    pool, test = stratified_split(y, test_fraction, rng)
    keep, held = stratified_split(y[pool], validation_fraction, rng)
    train, val = pool[keep], pool[held]
    return make_dataset(IMAGE_SHAPE, (X[train], y[train]), (X[val], y[val]), (X[test], y[test]))
