"""scikit-learn's bundled 8x8 digits (1,797 images, no download) with seeded stratified splits."""
import numpy as np

from study.data.dataset import make_dataset
from study.data.splits import stratified_split
from study.datasets import Dataset


#: scikit-learn's digits: 1,797 images.
N_SAMPLES = 1797


def sizes(settings, splits):
    """The split sizes :func:`build` gives (stratified splits round to these totals)."""
    test = round(settings["test_fraction"] * N_SAMPLES)
    val = round(splits["validation_fraction"] * (N_SAMPLES - test))
    return {"train": N_SAMPLES - test - val, "val": val, "test": test}


def build(raw_dir, settings, splits):
    """The digits dataset dict (layout of :mod:`study.data.dataset`).

    The test set is ``settings["test_fraction"]`` of all samples; validation is
    ``splits["validation_fraction"]`` of the rest; both stratified, drawn in that order from
    one generator seeded by ``splits["seed"]``. Pixels (0-16 in the source) are divided by 16.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    y = digits.target
    rng = np.random.default_rng(splits["seed"])
    pool, test = stratified_split(y, settings["test_fraction"], rng)
    keep, held = stratified_split(y[pool], splits["validation_fraction"], rng)
    train, val = pool[keep], pool[held]
    return make_dataset((8, 8), (X[train], y[train]), (X[val], y[val]), (X[test], y[test]))


DATASET = Dataset(
    "digits", 10, (8, 8), sizes, build,
    schema={"test_fraction": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1,
                              "description": "Fraction of all digits held out for testing."}},
)
