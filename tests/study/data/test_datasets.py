"""The dataset npz layout, and the digits and MNIST builders (MNIST on tiny synthetic files)."""
import gzip

import numpy as np
import pytest

from study.data.dataset import KEYS, check_dataset, load_dataset, make_dataset, save_dataset
from study.data.digits import build_digits
from study.data.idx import IDXError
from study.data.mnist import FILES, build_mnist


def _tiny(n=6, n_features=4):
    rng = np.random.default_rng(0)
    X = rng.random((n, n_features), dtype=np.float32)
    return make_dataset((2, 2), (X, np.arange(n) % 3), (X[:2], [0, 1]), (X[:3], [2, 1, 0]))


def test_save_load_round_trip_without_pickles(tmp_path):
    data = _tiny()
    save_dataset(tmp_path / "d.npz", data)
    loaded = load_dataset(tmp_path / "d.npz")
    assert tuple(loaded) == KEYS
    for key in KEYS:
        np.testing.assert_array_equal(loaded[key], data[key])
        assert loaded[key].dtype == data[key].dtype
    assert loaded["y_val"].dtype == np.int64
    assert [p.name for p in tmp_path.iterdir()] == ["d.npz"]


@pytest.mark.parametrize("key, bad, message", [
    ("X_train", lambda X: X.astype(np.float64), "X_train must be float32"),
    ("X_val", lambda X: X + 1, "X_val has values outside"),
    ("X_test", lambda X: X[:, :3], r"X_test must be float32 of shape \(n, 4\)"),
    ("y_train", lambda y: y[:-1], "y_train must be int64"),
    ("y_test", lambda y: y.astype(np.int32), "y_test must be int64"),
    ("image_shape", lambda s: s.astype(np.int32), "image_shape must be"),
])
def test_layout_violations_are_named_and_nothing_is_written(tmp_path, key, bad, message):
    data = _tiny()
    data[key] = bad(data[key])
    with pytest.raises(ValueError, match=f"bad.npz: {message}"):
        save_dataset(tmp_path / "bad.npz", data)
    assert list(tmp_path.iterdir()) == []


def test_missing_and_extra_keys():
    data = _tiny()
    del data["y_val"]
    data["labels"] = data["y_train"]
    with pytest.raises(ValueError, match=r"missing keys \['y_val'\], unexpected keys \['labels'\]"):
        check_dataset(data)


def test_digits_splits_sizes_ranges_and_reproducibility():
    data = build_digits(test_fraction=0.2, validation_fraction=0.1, seed=0)
    check_dataset(data)
    sizes = {s: len(data[f"y_{s}"]) for s in ("train", "val", "test")}
    assert sizes == {"train": 1294, "val": 144, "test": 359}
    np.testing.assert_array_equal(data["image_shape"], [8, 8])
    assert data["X_train"].max() == 1.0 and data["X_train"].min() == 0.0
    for split in ("val", "test"):  # stratified: every digit present, near the overall share
        counts = np.bincount(data[f"y_{split}"], minlength=10)
        assert counts.min() >= 0.8 * sizes[split] / 10
    again = build_digits(test_fraction=0.2, validation_fraction=0.1, seed=0)
    other = build_digits(test_fraction=0.2, validation_fraction=0.1, seed=1)
    np.testing.assert_array_equal(again["X_val"], data["X_val"])
    assert not np.array_equal(other["X_val"], data["X_val"])


@pytest.fixture
def raw_mnist(tmp_path, idx_bytes):
    """Tiny MNIST-shaped IDX files: 40 training and 10 test images of 28x28, labels 0-9."""
    rng = np.random.default_rng(0)
    arrays = {
        FILES["train"][0]: rng.integers(0, 256, (40, 28, 28), dtype=np.uint8),
        FILES["train"][1]: (np.arange(40) % 10).astype(np.uint8),
        FILES["test"][0]: rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        FILES["test"][1]: np.arange(10, dtype=np.uint8)[::-1].copy(),
    }
    for name, array in arrays.items():
        data = idx_bytes(array)
        # The builder reads plain and gzipped files alike.
        (tmp_path / name).write_bytes(gzip.compress(data) if "t10k" in name else data)
    return tmp_path, arrays


def test_mnist_official_test_split_and_stratified_validation(raw_mnist):
    raw_dir, arrays = raw_mnist
    data = build_mnist(raw_dir, validation_fraction=0.25, seed=0)
    check_dataset(data)
    np.testing.assert_array_equal(data["image_shape"], [28, 28])
    assert len(data["y_train"]) == 30 and len(data["y_val"]) == 10
    np.testing.assert_array_equal(np.bincount(data["y_val"]), np.ones(10))
    np.testing.assert_array_equal(data["y_test"], arrays[FILES["test"][1]])
    np.testing.assert_array_equal(data["X_test"] * 255, arrays[FILES["test"][0]].reshape(10, 784))


def test_mnist_label_count_mismatch_names_the_files(raw_mnist, idx_bytes):
    raw_dir, _ = raw_mnist
    (raw_dir / FILES["train"][1]).write_bytes(idx_bytes(np.zeros(39, np.uint8)))
    with pytest.raises(IDXError, match=f"{FILES['train'][1]}: 39 labels for 40 images"):
        build_mnist(raw_dir, 0.1, 0)


def test_mnist_wrong_image_size(raw_mnist, idx_bytes):
    raw_dir, _ = raw_mnist
    (raw_dir / FILES["test"][0]).write_bytes(idx_bytes(np.zeros((10, 8, 8), np.uint8)))
    with pytest.raises(IDXError, match=r"expected uint8 images of \(28, 28\)"):
        build_mnist(raw_dir, 0.1, 0)
