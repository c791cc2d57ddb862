"""Small data and models shared by the analysis tests: a slice of scikit-learn's digits."""
import numpy as np
import pytest
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

from diy.autoencoder import AutoEncoder
from diy.bce_loss import BCELoss
from diy.optim import Adam
from diy.train import fit


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """One BLAS / OpenMP thread: tiny problems gain nothing from more, and a busy machine loses."""
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="session")
def digits():
    """Digits scaled to [0, 1], float32 (n, 64), split 600 / 200 / 300 by a fixed permutation."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    order = np.random.default_rng(0).permutation(len(y))[:1100]
    X, y = X[order], y[order].astype(np.int64)
    return {"X_train": X[:600], "y_train": y[:600], "X_val": X[600:800], "y_val": y[600:800],
            "X_test": X[800:], "y_test": y[800:]}


@pytest.fixture(scope="session")
def autoencoder(digits):
    """A 64-32-8 tanh autoencoder briefly trained on the digits train split, and its codes."""
    model = AutoEncoder.build([64, 32, 8], "tanh", rng=0)
    fit(model, BCELoss(), Adam(model, lr=3e-3), digits["X_train"], epochs=30, batch_size=32, rng=0)
    model.eval()
    codes = {f"Z_{split}": model.encode(digits[f"X_{split}"]) for split in ("train", "val", "test")}
    return model, codes


@pytest.fixture
def assert_jsonable():
    """A check that a value is plain dicts, lists, str, int, float, bool, None (no numpy scalars)."""
    return _assert_jsonable


def _assert_jsonable(value):
    """Plain dicts, lists, str, int, float, bool, None all the way down (no numpy scalars)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            _assert_jsonable(item)
    elif isinstance(value, list):
        for item in value:
            _assert_jsonable(item)
    else:
        assert value is None or type(value) in (str, int, float, bool), (value, type(value))
