"""The dataset npz layout (the builders are tested in tests/study/datasets/)."""

import numpy as np
import pytest

from study.data.dataset import KEYS, check_dataset, load_dataset, make_dataset, save_dataset


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
