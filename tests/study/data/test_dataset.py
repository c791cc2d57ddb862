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


def test_binarized_splits_are_binary_repeatable_and_follow_the_pixels():
    from study.data.dataset import SPLITS, binarized

    # Columns of grey values 0, 0.1, 0.5, 0.9 and 1 (the first never drawn as 1, the last always).
    grey = {f"X_{split}": np.tile(np.array([0, 0.1, 0.5, 0.9, 1], dtype=np.float32), (2000, 1))
            for split in SPLITS}
    data = {**grey, "image_shape": np.array([5])}
    once, again = binarized(data), binarized(data)
    for split in SPLITS:
        X = once[f"X_{split}"]
        assert X.dtype == np.float32 and set(np.unique(X)) <= {0.0, 1.0}
        np.testing.assert_array_equal(X, again[f"X_{split}"])
        # Each pixel is 1 with probability its grey value: 2,000 draws put the mean within 0.05.
        np.testing.assert_allclose(X.mean(axis=0), grey[f"X_{split}"].mean(axis=0), atol=0.05)
        assert not X[:, 0].any() and X[:, 4].all()
    assert not np.array_equal(once["X_train"], once["X_val"])  # a stream per split
    assert data["X_train"] is grey["X_train"]  # the input is left as it was
