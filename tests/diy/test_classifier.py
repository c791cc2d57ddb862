"""MLPClassifier: digits accuracy, labels of any kind, probabilities, reproducibility."""
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from diy import Dropout, Linear, MLPClassifier, ReLU, TanH


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16, y, test_size=0.25, stratify=y, random_state=0)


def blobs(n=150, seed=0):
    """Three well separated Gaussian blobs in 2-D, labels 0, 1, 2."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    return centres[y] + 0.5 * rng.standard_normal((n, 2)), y


def test_digits_test_accuracy_at_least_97_percent(digits):
    X_train, X_test, y_train, y_test = digits
    clf = MLPClassifier(hidden=(128,), dropout=0.2, lr=3e-3, batch_size=64, random_state=0)
    clf.fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.97
    assert clf.history_.best_epoch is not None and clf.history_.stopped_early
    assert list(clf.classes_) == list(range(10))


def test_network_layout():
    clf = MLPClassifier(hidden=(8, 4), activation="tanh", dropout=0.1, epochs=1, random_state=0)
    clf.fit(*blobs())
    assert [type(m) for m in clf.net_] == [Linear, TanH, Dropout, Linear, TanH, Dropout, Linear]
    assert [clf.net_[i].d_out for i in (0, 3, 6)] == [8, 4, 3]
    assert all(p.dtype == np.float32 for _, p, _ in clf.net_.parameters())
    relu = MLPClassifier(hidden=(8,), epochs=1, random_state=0).fit(*blobs())
    assert type(relu.net_[1]) is ReLU and relu.net_[0].init == "he" and relu.net_[2].init == "xavier"


def test_string_labels_and_one_hot_targets():
    X, y = blobs()
    names = np.array(["cat", "dog", "emu"])[y]
    clf = MLPClassifier(hidden=(16,), lr=1e-2, epochs=30, patience=None, random_state=0).fit(X, names)
    assert list(clf.classes_) == ["cat", "dog", "emu"]
    assert set(clf.predict(X)) <= {"cat", "dog", "emu"}
    assert clf.score(X, names) > 0.95

    one_hot = np.eye(3)[y]
    clf_onehot = MLPClassifier(hidden=(16,), lr=1e-2, epochs=30, patience=None, random_state=0).fit(X, one_hot)
    assert list(clf_onehot.classes_) == [0, 1, 2]
    # Same seed, same samples: one-hot rows and label names train the same network.
    np.testing.assert_array_equal(clf_onehot.predict(X), np.searchsorted(clf.classes_, clf.predict(X)))


def test_predict_proba_rows_are_distributions_matching_predict():
    X, y = blobs()
    clf = MLPClassifier(hidden=(16,), epochs=20, patience=None, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))


def test_explicit_validation_data_and_reproducibility():
    X, y = blobs(seed=0)
    X_val, y_val = blobs(60, seed=1)
    runs = [MLPClassifier(hidden=(16,), dropout=0.2, epochs=8, random_state=seed).fit(X, y, X_val, y_val)
            for seed in (5, 5, 6)]
    assert len(runs[0].history_) <= 8 and runs[0].history_["val_metric"][0] is not None
    assert runs[0].history_["train_loss"] == runs[1].history_["train_loss"] != runs[2].history_["train_loss"]
    np.testing.assert_array_equal(runs[0].predict_proba(X_val), runs[1].predict_proba(X_val))


def test_errors_are_clear():
    X, y = blobs()
    with pytest.raises(ValueError, match="activation"):
        MLPClassifier(activation="gelu")
    clf = MLPClassifier(hidden=(4,), epochs=1, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="unknown labels"):
        clf.fit(X, y, X[:10], np.full(10, 7))
