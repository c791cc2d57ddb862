"""Every public function and constructor of diy refuses a bad argument itself, with a ValueError
or TypeError naming the argument and the value (diy.checks), instead of a raw error deep inside
or, worse, a number: ``vae_log_likelihood(..., batch_size=-5)`` once returned uninitialised memory."""
import inspect

import numpy as np
import pytest

import diy
import diy.early_stopping
import diy.init
import diy.noise
import diy.optim
import diy.random
import diy.serialization
import diy.train
from arguments import call_with


def net():
    return diy.Sequential(diy.Linear(4, 3, rng=0), diy.TanH(), diy.Linear(3, 4, rng=1))


def vae():
    return diy.build_vae([4, 3, 2], rng=0)


def layer():
    return diy.ClusteringLayer(2, 3, rng=0)


X = np.random.default_rng(0).random((6, 4)).astype(np.float32)
LABELS = np.array([0, 0, 1, 1, 2, 2])

#: (callable, a builder of its other arguments (args, kwargs), the bad argument's name, its value,
#: the value as the message shows it). Each public callable of diy has at least one row.
CASES = [
    (diy.Linear, lambda: ((), {"d_out": 2}), "d_in", 0, "0"),
    (diy.Linear, lambda: ((), {"d_in": 2}), "d_out", 2.5, "2.5"),
    (diy.Linear, lambda: ((2, 2), {}), "dtype", "int8", "'int8'"),
    (diy.Linear, lambda: ((2, 2), {}), "rng", 2.5, "2.5"),
    (diy.Dropout, lambda: ((), {}), "p", 1, "1"),
    (diy.Dropout, lambda: ((), {}), "p", "0.5", "'0.5'"),
    (diy.GaussianSample, lambda: ((), {}), "beta", "1", "'1'"),
    (diy.GaussianSample, lambda: ((), {}), "beta", -1.0, "-1.0"),
    (diy.KLSparsity, lambda: ((), {}), "rho", 0.0, "0.0"),
    (diy.KLSparsity, lambda: ((), {}), "weight", "1", "'1'"),
    (diy.KSparse, lambda: ((), {}), "k", 2.5, "2.5"),
    (diy.KSparse, lambda: ((), {}), "k", "3", "'3'"),
    (diy.L1Penalty, lambda: ((), {}), "weight", -0.1, "-0.1"),
    (diy.Contractive, lambda: ((), {"linear": diy.Linear(4, 3), "activation": diy.Sigmoid()}),
     "weight", "0.1", "'0.1'"),
    (diy.ClusteringPenalty, lambda: ((), {"layer": layer()}), "gamma", "0.1", "'0.1'"),
    (diy.ClusteringLayer, lambda: ((), {"latent_dim": 3}), "n_clusters", 0, "0"),
    (diy.ClusteringLayer, lambda: ((), {"n_clusters": 2}), "latent_dim", 2.5, "2.5"),
    (diy.ClusteringLayer, lambda: ((), {"n_clusters": 2, "latent_dim": 3}), "alpha", -1.0, "-1.0"),
    (diy.SGD, lambda: ((), {"module": net()}), "lr", -1.0, "-1.0"),
    (diy.SGD, lambda: ((), {"module": net(), "lr": 0.1}), "momentum", "0.9", "'0.9'"),
    (diy.Adam, lambda: ((), {"module": net()}), "lr", "1e-3", "'1e-3'"),
    (diy.Adam, lambda: ((), {"module": net()}), "eps", -1.0, "-1.0"),
    (diy.optim.WarmupCosine, lambda: ((), {"optimizer": diy.SGD(net(), 0.1)}), "total", 0, "0"),
    (diy.optim.WarmupCosine, lambda: ((), {"optimizer": diy.SGD(net(), 0.1), "total": 10}), "warmup", -1, "-1"),
    (diy.fit, lambda: ((), dict(net=net(), loss=diy.MSELoss(), optimizer=None, X=X, epochs=1)),
     "batch_size", 0, "0"),
    (diy.fit, lambda: ((), dict(net=net(), loss=diy.MSELoss(), optimizer=None, X=X)), "epochs", 2.5, "2.5"),
    (diy.fit, lambda: ((), dict(net=net(), loss=diy.MSELoss(), optimizer=None, X=X, epochs=1)), "patience", 0, "0"),
    (diy.fit, lambda: ((), dict(net=net(), loss=diy.MSELoss(), optimizer=None, epochs=1)), "X", X.tolist(), "list"),
    (diy.fit, lambda: ((), dict(net=net(), loss=diy.MSELoss(), optimizer=None, epochs=1)), "X", X[:0], "(0, 4)"),
    (diy.train.predict, lambda: ((net(), X), {}), "batch_size", 0, "0"),
    (diy.train.evaluate, lambda: ((net(), diy.MSELoss(), X), {}), "batch_size", -5, "-5"),
    (diy.vae_log_likelihood, lambda: ((vae(), (X > 0.5).astype(np.float32)), {}), "batch_size", -5, "-5"),
    (diy.vae_log_likelihood, lambda: ((vae(), (X > 0.5).astype(np.float32)), {}), "batch_size", 0, "0"),
    (diy.vae_log_likelihood, lambda: ((vae(), (X > 0.5).astype(np.float32)), {}), "samples", 2.5, "2.5"),
    (diy.vae_log_likelihood, lambda: ((), {"X": X}), "model", "vae", "'vae'"),
    (diy.vae_log_likelihood, lambda: ((), {"model": vae()}), "X", np.full((3, 4), 2.0, np.float32), "2"),
    (diy.noise.binarize, lambda: ((), {"rng": np.random.default_rng(0)}), "X", X - 0.5, "-0.4"),
    (diy.noise.gaussian, lambda: ((X,), {"rng": np.random.default_rng(0)}), "sigma", -1.0, "-1.0"),
    (diy.noise.masking, lambda: ((), {"fraction": 0.5, "rng": np.random.default_rng(0)}), "X",
     np.full((2, 3), 1.5), "1.5"),
    (diy.noise.masking, lambda: ((X,), {"rng": np.random.default_rng(0)}), "fraction", 1.5, "1.5"),
    (diy.noise.salt_and_pepper, lambda: ((X,), {"rng": np.random.default_rng(0)}), "fraction", "0.1", "'0.1'"),
    (diy.noise.corrupt, lambda: ((X,), {"level": 0.1, "rng": np.random.default_rng(0)}), "kind", "blur", "'blur'"),
    (diy.build_vae, lambda: ((), {}), "sizes", [4, 0], "0"),
    (diy.build_vae, lambda: ((), {"sizes": [4, 2]}), "beta", "1", "'1'"),
    (diy.kmeans, lambda: ((X,), {}), "k", 2.5, "2.5"),
    (diy.kmeans, lambda: ((X, 2), {}), "n_init", 0, "0"),
    (diy.fit_dec, lambda: ((net()[:1], X), {}), "n_clusters", 0, "0"),
    (diy.fit_dec, lambda: ((net()[:1], X, 2), {}), "tol", 2.0, "2.0"),
    (diy.fit_dec, lambda: ((net()[:1], X, 2), {}), "update_interval", 2.5, "2.5"),
    (diy.MLPClassifier, lambda: ((), {}), "lr", 0.0, "0.0"),
    (diy.MLPClassifier, lambda: ((), {}), "batch_size", 0, "0"),
    (diy.MLPClassifier, lambda: ((), {}), "epochs", 2.5, "2.5"),
    (diy.MLPClassifier, lambda: ((), {}), "hidden", (0,), "0"),
    (diy.MLPClassifier, lambda: ((), {}), "validation_fraction", 1.5, "1.5"),
    (diy.MLPClassifier, lambda: ((), {}), "dtype", "U25", "'U25'"),
    (diy.ClusteringLayer, lambda: ((2, 3), {}), "dtype", int, "int"),
    (diy.Conv1D, lambda: ((), {"chan_in": 1, "chan_out": 2}), "k_size", 0, "0"),
    (diy.Conv2D, lambda: ((), {"chan_out": 2, "kernel": 3}), "chan_in", 0, "0"),
    (diy.ConvTranspose2D, lambda: ((), {"chan_in": 1, "chan_out": 2, "kernel": 3}), "stride", 0, "0"),
    (diy.MaxPool1D, lambda: ((), {}), "k_size", 0, "0"),
    (diy.AvgPool1D, lambda: ((), {}), "k_size", 2.5, "2.5"),
    (diy.MaxPool2D, lambda: ((), {}), "kernel", 0, "0"),
    (diy.Reshape, lambda: ((), {}), "shape", (0, 2), "0"),
    (diy.Sequential, lambda: ((), {}), "modules", 3, "3"),
    (diy.AutoEncoder.build, lambda: ((), {}), "sizes", [4, 2.5], "2.5"),
    (diy.Linear(2, 2).update_parameters, lambda: ((), {}), "gradient_step", "0.1", "'0.1'"),
    (diy.KLSparsity, lambda: ((), {}), "rho", 1, "1"),
    (diy.kmeans, lambda: ((X, 2), {}), "tol", "0", "'0'"),
    (diy.fit_dec, lambda: ((net()[:1], X, 2), {}), "alpha", 0, "0"),
    (diy.vae_log_likelihood, lambda: ((vae(), (X > 0.5).astype(np.float32)), {}), "rng", "x", "'x'"),
    (diy.AutoEncoder, lambda: ((), {"decoder": net()}), "encoder", "mlp", "'mlp'"),
    (diy.TiedLinear, lambda: ((), {}), "source", 3, "3"),
    (diy.Trainer, lambda: ((), {"loss": diy.MSELoss()}), "net", 3, "3"),
    (diy.check_gradient, lambda: ((net(), X.astype(np.float64)), {}), "eps", 0.0, "0.0"),
    (diy.check_loss_gradient, lambda: ((diy.MSELoss(), X, X), {}), "eps", -1.0, "-1.0"),
    (diy.clustering_accuracy, lambda: ((LABELS,), {}), "y_cluster", LABELS[:3], "3"),
    (diy.matched_correctly, lambda: ((LABELS,), {}), "y_cluster", LABELS[:3], "3"),
    (diy.linear_sum_assignment, lambda: ((), {}), "cost", np.ones(3), "(3,)"),
    (diy.target_distribution, lambda: ((), {}), "Q", np.ones(3), "(3,)"),
    (diy.objective_terms, lambda: ((), {"loss": diy.MSELoss(), "y": X, "output": X}), "net", 3, "3"),
    (diy.save, lambda: ((net(), "unused.npz"), {}), "metadata", "seed0", "str"),
    # The path is the argument: the message starts with it.
    (diy.load, lambda: ((), {}), "path", "no/such/model.npz", "no/such/model.npz: not a readable"),
    (diy.save, lambda: ((net(),), {}), "path", None, "None"),
    (diy.fit, lambda: ((), dict(net=net(), loss=diy.MSELoss(), optimizer=None, epochs=1)), "X",
     np.full((3, 4), np.nan, np.float32), "NaN"),
    (diy.kmeans, lambda: ((), {"k": 2}), "Z", np.full((5, 2), np.nan), "NaN"),
    (diy.target_distribution, lambda: ((), {}), "Q", -np.ones((3, 2)), "-1"),
    (diy.check_gradient, lambda: ((net(),), {}), "X", "x", "str"),
    (diy.check_gradient, lambda: ((), {"X": X.astype(np.float64)}), "module", 3, "int"),
    (diy.MLPClassifier(epochs=1).fit, lambda: ((), {"X": X}), "y", np.linspace(0, 1, 6), "0.2"),
    (diy.MLPClassifier(epochs=1).fit, lambda: ((), {"y": LABELS}), "X", np.array([["a"]] * 6), "<U1"),
    (diy.MLPClassifier(epochs=1).predict, lambda: ((), {}), "X", X, "not fitted"),
    (diy.optim.Scheduler, lambda: ((), {}), "optimizer", net(), "Sequential"),
    (diy.serialization.digest, lambda: ((), {}), "model", 3, "int"),
    (diy.serialization.read_metadata, lambda: ((), {}), "path", "no/such/model.npz",
     "no/such/model.npz: not a readable"),
    (diy.init.xavier_uniform, lambda: ((), {"fan_out": 3, "rng": np.random.default_rng(0)}), "fan_in", 0, "0"),
    (diy.init.he_normal, lambda: ((), {"fan_out": 3, "rng": np.random.default_rng(0)}), "fan_in", -1, "-1"),
    (diy.init.fan_in_uniform, lambda: ((2, 3), {}), "rng", "x", "'x'"),
    (diy.init.fan_in_uniform, lambda: ((2, 3, np.random.default_rng(0)), {}), "dtype", int, "int"),
    (diy.early_stopping.EarlyStopping, lambda: ((net(),), {}), "patience", 0, "0"),
    (diy.early_stopping.EarlyStopping, lambda: ((), {"patience": 2}), "net", 3, "int"),
    (diy.random.as_generator, lambda: ((), {}), "rng", -1, "-1"),
    (diy.random.as_generator, lambda: ((), {}), "rng", 2.5, "2.5"),
    (diy.fit_dec, lambda: ((net()[:1], X, 2), {}), "optimizer", diy.SGD(net(), 0.1), "SGD"),
]

#: Public callables that take no argument that could be bad: losses and activations have no
#: constructor arguments, an exception and a result record are built by diy itself.
NO_ARGUMENTS = {"BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "KLDivLoss", "LogSoftmax", "Loss",
                "MSELoss", "NLLLoss", "ReLU", "Sigmoid", "Softmax", "TanH", "Flatten", "Module",
                "TrainingDiverged", "DECResult"}


def _call(function, build, name, value):
    args, kwargs = build()
    if kwargs.get("optimizer", "absent") is None:
        kwargs["optimizer"] = diy.SGD(kwargs["net"], 0.1)
    return call_with(function, args, kwargs, name, value)


@pytest.mark.parametrize("function, build, name, value, shown", CASES,
                         ids=[f"{case[0].__name__}-{case[2]}-{i}" for i, case in enumerate(CASES)])
def test_a_bad_argument_is_refused_naming_it_and_its_value(function, build, name, value, shown):
    with np.errstate(all="ignore"), pytest.raises((ValueError, TypeError)) as caught:
        _call(function, build, name, value)
    message = str(caught.value)
    assert shown in message and (name in message or message.startswith(str(value))), message


def test_every_public_callable_has_a_case():
    public = {f"diy.{name}": value for name, value in vars(diy).items()
              if not name.startswith("_") and callable(value) and not inspect.ismodule(value)}
    public.update((f"diy.noise.{name}", getattr(diy.noise, name))
                  for name in ("gaussian", "masking", "salt_and_pepper", "binarize", "corrupt"))
    public.update({"diy.optim.WarmupCosine": diy.optim.WarmupCosine, "diy.train.predict": diy.train.predict,
                   "diy.train.evaluate": diy.train.evaluate})
    # What docs/library.md names beyond the top level, and the modules a user builds from.
    public.update({"diy.optim.Scheduler": diy.optim.Scheduler, "diy.serialization.digest": diy.serialization.digest,
                   "diy.serialization.read_metadata": diy.serialization.read_metadata,
                   "diy.early_stopping.EarlyStopping": diy.early_stopping.EarlyStopping,
                   "diy.random.as_generator": diy.random.as_generator})
    public.update((f"diy.init.{name}", initialiser) for name, initialiser in diy.init.INITIALISERS.items())
    covered = {id(case[0]) for case in CASES} | {id(case[0].__func__) for case in CASES if inspect.ismethod(case[0])}
    missing = sorted(name for name, value in public.items()
                     if id(value) not in covered and name.split(".")[-1] not in NO_ARGUMENTS)
    assert not missing, f"public callables of diy without a bad-argument case here: {missing}"
