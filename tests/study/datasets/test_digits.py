"""scikit-learn's digits with seeded stratified splits."""
import numpy as np
import pytest

from study.data.dataset import check_dataset
from study.datasets import DATASETS

SPLITS = {"seed": 0, "validation_fraction": 0.1}


@pytest.fixture(scope="module")
def data():
    return DATASETS["digits"].build(None, {"test_fraction": 0.2}, SPLITS)


def test_splits_sizes_ranges_and_layout(data):
    check_dataset(data)
    sizes = {s: len(data[f"y_{s}"]) for s in ("train", "val", "test")}
    assert sizes == {"train": 1294, "val": 144, "test": 359}  # 20% of 1797, then 10% of the rest
    np.testing.assert_array_equal(data["image_shape"], [8, 8])
    assert data["X_train"].max() == 1.0 and data["X_train"].min() == 0.0
    for split in ("val", "test"):  # stratified: every digit present, near the overall share
        counts = np.bincount(data[f"y_{split}"], minlength=10)
        assert counts.min() >= 0.8 * sizes[split] / 10


def test_the_splits_partition_the_digits_scaled_by_16(data):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    rows = np.concatenate([data[f"X_{s}"] for s in ("train", "val", "test")]) * 16
    labels = np.concatenate([data[f"y_{s}"] for s in ("train", "val", "test")])
    order = np.lexsort(np.column_stack([rows, labels]).T)
    expected = np.lexsort(np.column_stack([X, y]).T)
    np.testing.assert_array_equal(rows[order], X[expected])
    np.testing.assert_array_equal(labels[order], y[expected])


def test_the_seed_and_the_fractions_decide_the_splits(data):
    again = DATASETS["digits"].build(None, {"test_fraction": 0.2}, SPLITS)
    other = DATASETS["digits"].build(None, {"test_fraction": 0.2}, {**SPLITS, "seed": 1})
    np.testing.assert_array_equal(again["X_val"], data["X_val"])
    assert not np.array_equal(other["X_val"], data["X_val"])
    bigger = DATASETS["digits"].build(None, {"test_fraction": 0.5}, SPLITS)
    assert len(bigger["y_test"]) == round(0.5 * 1797)
