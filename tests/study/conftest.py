"""Small data, models and a fake study shared by the study tests: a slice of scikit-learn's
digits, a tiny trained autoencoder and PCA written as representations, and the documents
the analyses would write for a small grid."""
import itertools

import numpy as np
import pytest
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

#: The tiny autoencoder of the `representations` fixture (8-dimensional linear code).
AE_NAME = "mlp_latent8_tanh_noise0_seed0"
FAMILY = {"hidden": [32], "latent_activation": "linear"}
TRAINING = {"epochs": 30, "batch_size": 32, "lr": 3e-3, "schedule": "cosine", "warmup_epochs": 1,
            "patience": 30, "dtype": "float32", "max_train_samples": None}


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """One BLAS / OpenMP thread: tiny problems gain nothing from more, and a busy machine loses."""
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="session")
def digits():
    """Digits scaled to [0, 1], float32 (n, 64), split 600 / 200 / 300 by a fixed permutation,
    in the layout of study.data.dataset."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    order = np.random.default_rng(0).permutation(len(y))[:1100]
    X, y = X[order], y[order].astype(np.int64)
    return {"X_train": X[:600], "y_train": y[:600], "X_val": X[600:800], "y_val": y[600:800],
            "X_test": X[800:], "y_test": y[800:], "image_shape": np.array([8, 8], dtype=np.int64)}


@pytest.fixture(scope="session")
def autoencoder(digits):
    """A 64-32-8 mlp autoencoder (tanh, linear code) briefly trained on the digits train split,
    and its codes: ``(model, codes)``."""
    from study.train_autoencoder import train_autoencoder
    from study.variants import AEVariant

    model, _, codes = train_autoencoder(digits, AEVariant.parse(AE_NAME), family=FAMILY,
                                        training=TRAINING)
    return model, codes


@pytest.fixture(scope="session")
def representations(tmp_path_factory, digits, autoencoder):
    """``results/digits/repr/`` as the workflow writes it: the autoencoder, pca2, pca8, pixels.

    Returns the ``repr`` directory.
    """
    from diy.serialization import save
    from study.artifacts import write_codes
    from study.pca import pca_representation

    root = tmp_path_factory.mktemp("repr")
    model, codes = autoencoder
    written = [(AE_NAME, model, codes)]
    written += [(f"pca{k}", *pca_representation(digits, k, seed=0)) for k in (2, 8)]
    written += [("pixels", None, {f"Z_{s}": digits[f"X_{s}"] for s in ("train", "val", "test")})]
    for name, model_, codes_ in written:
        (root / name).mkdir()
        write_codes(root / name / "codes.npz", codes_)
        if model_ is not None:
            save(model_, root / name / "model.npz")
    return root


@pytest.fixture(scope="session")
def make_source(representations, digits):
    """``make_source(analysis, name) -> Source``, built as study.analysis_job does:
    codes or model read from the representation's files, nothing for an own baseline."""
    from study.analyses import Source
    from study.representations import describe, load_model, read_codes

    def make(analysis, name):
        head = describe(name)
        source = Source(name, head["method"], head["latent_dim"])
        if name not in analysis.own_baselines:
            if analysis.reads == "codes":
                source.codes = read_codes(representations / name / "codes.npz", digits, head["latent_dim"])
            else:
                source.model = load_model(representations / name / "model.npz")
        return source

    return make


#: A small study config (merged over config.yaml): settings that keep every analysis fast.
SMALL = {"analysis": {
    "examples": 4,
    "bootstrap": {"resamples": 200},
    "kmeans": {"n_init": 2},
    "tsne": {"size": 80, "perplexity": 10, "max_iter": 400},
    "denoising": {"kinds": ["gaussian", "masking"], "levels": [0.1, 0.4]},
    "classification": {"knn_k": 3, "logistic_max_iter": 300,
                       "mlp": {"hidden": [32], "epochs": 40, "batch_size": 64, "lr": 3e-3, "patience": 5}},
    "dec": {"n_init": 2, "update_interval": 10, "max_iter": 60},
    "idec": {"n_init": 2, "update_interval": 10, "max_iter": 60},
    "probe": {"labels_per_class": [1, 10, 100, "all"], "draws": 2, "C": [0.1, 1.0], "logistic_max_iter": 300},
    "retrieval": {"queries": 120, "k": [1, 5]},
    "interpolation": {"pairs": 30, "steps": 5},
}}


@pytest.fixture(scope="session")
def small_config(schema, defaults):
    """:data:`SMALL` validated over config.yaml."""
    from study.config import validate_config

    return validate_config(SMALL, schema, defaults=defaults)


@pytest.fixture(scope="session")
def ae_name():
    """The name of the tiny autoencoder of :func:`autoencoder`."""
    return AE_NAME


@pytest.fixture(scope="session")
def source_names():
    """``source_names(analysis)``: the representations an analysis is run on here: the
    autoencoder, then its baselines (PCA of sizes 8 and 2)."""
    def names(analysis):
        names = [AE_NAME]
        for baseline in analysis.baselines:
            names += ["pca8", "pca2"] if baseline == "pca" else [baseline]
        return names

    return names


@pytest.fixture(scope="session")
def run_analysis(make_source, digits, small_config):
    """``run_analysis(name, representation) -> (rows, arrays)``: ``Analysis.evaluate`` as the
    workflow calls it (the validation split's rows, then the test split's, each naming its
    ``split``; the test split's arrays), with the settings of :data:`SMALL`, each computed
    once per session."""
    from study.analyses import ANALYSES

    cache = {}

    def run(name, representation):
        if (name, representation) not in cache:
            analysis = ANALYSES[name]
            cache[name, representation] = analysis.evaluate(
                digits, make_source(analysis, representation), analysis.settings(small_config))
        return cache[name, representation]

    return run


@pytest.fixture(scope="session")
def split_rows():
    """``split_rows(rows, split)``: the rows of one split, without their ``split`` column."""
    def select(rows, split):
        return [{key: value for key, value in row.items() if key != "split"} for row in rows
                if row["split"] == split]

    return select


@pytest.fixture(scope="session")
def assert_jsonable():
    """A check that a value is plain dicts, lists, str, int, float, bool, None (no numpy scalars)."""
    return _assert_jsonable


def _assert_jsonable(value):
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
FAKE_GRID = {"family": ["mlp"], "latent_dim": [2, 8], "activation": ["tanh", "relu"],
             "noise": [0.0, 0.5], "seed": [0, 1]}
FAKE_KINDS, FAKE_LEVELS = ["gaussian", "masking"], [0.1, 0.5]
FAKE_MASKS = ["lower_half", "square"]


def _score(variant):
    """A made-up quality in (0, 1) on the test split: best for latent 8, tanh, noise 0.5, seed 0."""
    return (0.4 + 0.3 * variant.latent_dim / 8 + 0.1 * variant.noise
            + (0.05 if variant.activation == "tanh" else 0) - 0.01 * variant.seed)


def _error(variant):
    """A made-up error on the test split: lowest (1.25) for latent 8, tanh, noise 0, seed 0."""
    return (10 / variant.latent_dim + variant.noise + (0.1 if variant.activation == "relu" else 0)
            + 0.01 * variant.seed)


def _declared_rows(analysis, score, error):
    """Rows made from the declaration of `analysis` alone: one per combination of the values its
    metrics' ``where`` give its keys (a key none gives: one value), each metric's column the score
    or the error by the metric's direction."""
    from study.analyses import ANALYSES

    declared = ANALYSES[analysis]
    values = [list(dict.fromkeys(value for metric in declared.metrics.values() for column, value in metric.where
                                 if column == key)) or ["a"] for key in declared.keys]
    columns = {metric.column: score if metric.higher_is_better else error for metric in declared.metrics.values()}
    return [{**dict(zip(declared.keys, combination)), **columns} for combination in itertools.product(*values)]


def _rows(analysis, name, score, error, level_bonus=0.0):
    """The rows analysis `analysis` would give representation `name` on one split: made up to
    test the summary's choices where it is named here, else from its declaration."""
    if analysis == "reconstruction":
        return [{"bce": 5 * error, "mse": error / 64, "squared_error_per_image": error, "psnr": 20 - error}]
    if analysis == "kmeans":
        # Whitened codes cluster a little better; raw pixels are never whitened.
        return [{"preprocessing": preprocessing, "accuracy": score + bonus, "accuracy_low": score + bonus - 0.02,
                 "accuracy_high": score + bonus + 0.02, "nmi": score - 0.1 + bonus, "ari": score - 0.2 + bonus}
                for preprocessing, bonus in (("none", 0.0), ("whitened", 0.03))
                if name != "pixels" or preprocessing == "none"]
    if analysis == "tsne":
        return [{"n_samples": 100, "trustworthiness": 0.9 + score / 10,
                 "knn_accuracy": score + 0.1, "knn_accuracy_low": score + 0.08, "knn_accuracy_high": score + 0.12,
                 "kmeans_accuracy": score + 0.05, "kmeans_accuracy_low": score + 0.03,
                 "kmeans_accuracy_high": score + 0.07}]
    if analysis == "denoising":
        return [{"test_noise_kind": kind, "test_noise_level": level, "squared_error_per_image": error + level,
                 "psnr": 10 + 10 * score - 4 * level + level_bonus}
                for kind in FAKE_KINDS for level in FAKE_LEVELS]
    if analysis in ("dec", "idec", "manifold"):
        # Fine-tuned (DEC, IDEC) or manifold clustering: better than k-means of the same codes.
        bonus = {"dec": 0.05, "idec": 0.07, "manifold": 0.1}[analysis]
        training = {"steps": 280, "converged": True} if analysis != "manifold" else {}
        return [{"accuracy": score + bonus, "accuracy_low": score + bonus - 0.02, "accuracy_high": score + bonus + 0.02,
                 "nmi": score - 0.1 + bonus, "ari": score - 0.2 + bonus, **training}]
    if analysis == "inpainting":
        return [{"mask": mask, "hidden_pixels": 32.0 if mask == "lower_half" else 16.0,
                 "squared_error_per_image": error * (i + 1), "psnr": 10 + 10 * score - i}
                for i, mask in enumerate(FAKE_MASKS)]
    if analysis == "probe":
        # More labels, better probes; the linear probe a little ahead of the k-NN one.
        return [{"labels_per_class": count, "probe": probe, "accuracy": score * s + d, "accuracy_std": 0.01,
                 "accuracy_low": score * s + d - 0.02, "accuracy_high": score * s + d + 0.02,
                 "draws": 1 if count == "all" else 3}
                for count, s in (("1", 0.5), ("10", 0.8), ("100", 0.9), ("all", 1.0))
                for probe, d in (("linear", 0.02), ("knn", 0.0))]
    if analysis == "interpolation":
        return [{"pairs": 30, "midpoint_to_train": 2 * error, "endpoint_to_train": error}]
    if analysis == "retrieval":
        return [{"distance": distance, "map": score * s, "map_low": score * s - 0.02, "map_high": score * s + 0.02,
                 "precision_at_1": score, "precision_at_10": score * 0.95}
                for distance, s in (("euclidean", 0.7), ("cosine", 0.72))]
    if analysis == "classification":
        return [{"classifier": c, "accuracy": score + d, "accuracy_low": score + d - 0.02,
                 "accuracy_high": score + d + 0.02}
                for c, d in (("logistic", 0.0), ("knn", 0.05), ("mlp", 0.1))]
    return _declared_rows(analysis, score, error)


#: On the validation split every representation scores a little worse (score - 0.02, error
#: + 0.05), so that a number read from the wrong split shows; and the ReLU autoencoders
#: score much better (score + 0.1, error - 0.3), so that the configuration best on
#: validation (ReLU) is not the one best on test (tanh).
VAL_SCORE, VAL_ERROR, VAL_RELU_SCORE, VAL_RELU_ERROR = -0.02, 0.05, 0.1, -0.3


def _split_rows(analysis, name, score, error, level_bonus=0.0):
    """The rows ``Analysis.evaluate`` would give: the validation split's, then the test split's."""
    relu = "_relu_" in name
    val_score = score + VAL_SCORE + (VAL_RELU_SCORE if relu else 0.0)
    val_error = error + VAL_ERROR + (VAL_RELU_ERROR if relu else 0.0)
    return ([{"split": "val", **row} for row in _rows(analysis, name, val_score, val_error, level_bonus)]
            + [{"split": "test", **row} for row in _rows(analysis, name, score, error, level_bonus)])


@pytest.fixture(scope="session")
def fake_grid():
    """The fake study's grid and test noises."""
    return {"grid": FAKE_GRID, "kinds": FAKE_KINDS, "levels": FAKE_LEVELS, "masks": FAKE_MASKS}


@pytest.fixture(scope="session")
def fake_documents():
    """``{analysis: [document, ...]}`` for every registered analysis and datasets digits and mnist:
    the autoencoders, then the analysis' baselines as its declaration lists them (PCA of each
    latent size)."""
    from study.analyses import ANALYSES
    from study.representations import describe
    from study.results import document
    from study.variants import ae_variants

    variants = ae_variants({"grid": FAKE_GRID})
    documents = {}
    for analysis in ANALYSES:
        docs = []
        for dataset in ("digits", "mnist"):
            offset = 0.0 if dataset == "digits" else 0.02
            for v in variants:
                docs.append(document(analysis, dataset, v.name, describe(v.name), {"seed": 0},
                                     _split_rows(analysis, v.name, _score(v) + offset, _error(v),
                                                 level_bonus=v.noise * 3)))
            for baseline in ANALYSES[analysis].baselines:
                if baseline == "pca":
                    for k in FAKE_GRID["latent_dim"]:
                        docs.append(document(analysis, dataset, f"pca{k}", describe(f"pca{k}"), {"seed": 0},
                                             _split_rows(analysis, f"pca{k}", 0.5 + k / 100, 16 / k)))
                else:
                    docs.append(document(analysis, dataset, baseline, describe(baseline), {"seed": 0},
                                         _split_rows(analysis, baseline, 0.6, 1.0)))
        documents[analysis] = docs
    return documents


@pytest.fixture(scope="session")
def fake_tables(fake_documents):
    """The analysis tables of :func:`fake_documents`."""
    from study.tables import analysis_table

    return {analysis: analysis_table(docs) for analysis, docs in fake_documents.items()}
