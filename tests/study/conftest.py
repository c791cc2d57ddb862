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


# -- a fake study: the documents the analyses would write for a small grid ----------------
FAKE_GRID = {"latent_dim": [2, 8], "activation": ["tanh", "relu"], "noise": [0.0, 0.5], "seed": [0, 1]}
FAKE_KINDS, FAKE_LEVELS = ["gaussian", "masking"], [0.1, 0.5]


def _score(variant):
    """A made-up quality in (0, 1): best for latent 8, tanh, noise 0.5, seed 0."""
    return (0.4 + 0.3 * variant.latent_dim / 8 + 0.1 * variant.noise
            + (0.05 if variant.activation == "tanh" else 0) - 0.01 * variant.seed)


def _error(variant):
    """A made-up error: lowest (1.25) for latent 8, tanh, noise 0, seed 0."""
    return (10 / variant.latent_dim + variant.noise + (0.1 if variant.activation == "relu" else 0)
            + 0.01 * variant.seed)


def _rows(analysis, method, score, error, level_bonus=0.0):
    if analysis == "reconstruction":
        return [{"method": method, "bce": 5 * error, "mse": error / 64, "squared_error_per_image": error,
                 "psnr": 20 - error}]
    if analysis == "kmeans":
        # Whitened codes cluster a little better; raw pixels are never whitened.
        return [{"representation": method, "preprocessing": preprocessing, "accuracy": score + bonus,
                 "nmi": score - 0.1 + bonus, "ari": score - 0.2 + bonus}
                for preprocessing, bonus in (("none", 0.0), ("whitened", 0.03))
                if method != "pixels" or preprocessing == "none"]
    if analysis == "tsne":
        return [{"representation": method, "n_samples": 100, "trustworthiness": 0.9 + score / 10,
                 "knn_accuracy": score + 0.1, "kmeans_accuracy": score + 0.05}]
    if analysis == "denoising":
        return [{"test_noise_kind": kind, "test_noise_level": level, "method": method,
                 "squared_error_per_image": error + level, "psnr": 10 + 10 * score - 4 * level + level_bonus}
                for kind in FAKE_KINDS for level in FAKE_LEVELS]
    return [{"representation": method, "classifier": c, "val_accuracy": score, "test_accuracy": score + d}
            for c, d in (("logistic", 0.0), ("knn", 0.05), ("mlp", 0.1))]


@pytest.fixture(scope="session")
def fake_grid():
    """The fake study's grid and test noises."""
    return {"grid": FAKE_GRID, "kinds": FAKE_KINDS, "levels": FAKE_LEVELS}


@pytest.fixture(scope="session")
def fake_documents():
    """``{analysis: [document, ...]}`` for datasets digits and mnist, variants then baselines."""
    from study.results import document
    from study.variants import ae_variants

    variants = ae_variants({"grid": FAKE_GRID})
    documents = {}
    for analysis in ("reconstruction", "kmeans", "tsne", "denoising", "classification"):
        docs = []
        for dataset in ("digits", "mnist"):
            offset = 0.0 if dataset == "digits" else 0.02
            for v in variants:
                docs.append(document(analysis, dataset, {"seed": 0},
                                     _rows(analysis, "autoencoder", _score(v) + offset, _error(v),
                                           level_bonus=v.noise * 3), variant=v.name))
            free = {"reconstruction": [], "denoising": ["noisy"]}.get(analysis, ["pixels"])
            for name in free:
                docs.append(document(analysis, dataset, {"seed": 0}, _rows(analysis, name, 0.6, 1.0),
                                     baseline=name))
            for k in FAKE_GRID["latent_dim"]:
                docs.append(document(analysis, dataset, {"seed": 0},
                                     _rows(analysis, "pca", 0.5 + k / 100, 16 / k), baseline=f"pca{k}"))
        documents[analysis] = docs
    return documents


@pytest.fixture(scope="session")
def fake_tables(fake_documents):
    """The analysis tables of :func:`fake_documents`."""
    from study.tables import analysis_table

    return {analysis: analysis_table(docs) for analysis, docs in fake_documents.items()}
