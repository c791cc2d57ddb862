"""Finite-difference gradient checks for modules and losses (Torch's ``Jacobian.lua``).

Both checkers compare back-propagated gradients with central differences,
(f(x + eps) - f(x - eps)) / (2 eps) one element at a time, in float64, and return
a relative error per checked array:

    ||analytic - numerical|| / (||analytic|| + ||numerical||)

with Euclidean norms over the whole array (0 when both vanish). It lies in [0, 1];
a correct gradient gives about 1e-9 with the default eps. The norm-based form is
used rather than an elementwise ratio because an entry near 0 carries
finite-difference noise of about 1e-10 that an elementwise ratio would blow up.
"""
import copy

import numpy as np

from .checks import array, positive
from .module import Module
from .random import as_generator


def check_gradient(module, X, *, eps=1e-6, rng=0, loss=None, y=None):
    """Check a module's gradients with respect to its input and each parameter, of the whole
    objective: the output's term and every penalty of the module's tree (``diy.objective``).

    The check runs on a float64 deep copy of ``module``, so the caller's module (its
    parameters, gradients, dtype and random state) and ``X`` are left untouched.
    Without ``loss``, the output's term is sum(forward(X) * R), with R a fixed standard
    normal array of the output's shape: then dL/doutput = R, and every output
    contributes. With ``loss``, it is ``loss.forward(y, forward(X)).mean()`` and
    dL/doutput is ``loss.backward``. The differentiated scalar f adds the mean of each
    penalty. The analytic gradients are ``backward_delta(X, dL/doutput)`` for the input
    and what ``backward_update_gradient(X, dL/doutput)`` accumulates after ``zero_grad()``
    for each parameter.

    A stochastic module (Dropout in train mode) is checked for one fixed draw: the
    state of every ``np.random.Generator`` held by the module or its children is
    restored before each forward. A parameter shared by several modules (tied
    weights) is perturbed once, where all its uses see it, and compared with the
    gradient they accumulate together.

    Parameters
    ----------
    module : Module
    X : ndarray of shape (batch, ...)
        Input at which to check; keep it small, every element costs two forwards.
    eps : float
        Finite-difference step.
    rng : np.random.Generator, int or None
        Source of the projection R.
    loss : Loss, optional
        The loss of the output, with targets ``y`` (converted to float64 if floating).

    Returns
    -------
    dict of str -> float
        Relative error (see the module docstring) for ``"input"``, then for each
        parameter under its name in ``module.parameters()`` (``"W"``, ``"0.b"``, ...).
    """
    positive("check_gradient", "eps", eps)
    if not isinstance(module, Module):
        raise TypeError(f"check_gradient: module must be a diy Module, got {type(module).__name__}")
    array("check_gradient", "X", np.asarray(X) if not isinstance(X, str) else X)
    net = copy.deepcopy(module).astype(np.float64)
    X = np.array(X, dtype=np.float64)
    generators = _generators(net)
    states = [generator.bit_generator.state for generator in generators]

    def forward():
        for generator, state in zip(generators, states):
            generator.bit_generator.state = state
        return net.forward(X)

    output = forward()
    if loss is None:
        R = as_generator(rng).standard_normal(output.shape)
        delta = R
    else:
        y = np.asarray(y)
        y = y.astype(np.float64) if np.issubdtype(y.dtype, np.floating) else y
        delta = loss.backward(y, output)

    def f():
        output = forward()
        value = np.vdot(output, R) if loss is None else loss.forward(y, output).mean()
        return value + sum(term.mean() for _, term in net.penalties())

    net.zero_grad()  # the caches are those of `output`'s forward
    net.backward_update_gradient(X, delta)
    analytic = {"input": net.backward_delta(X, delta)}
    analytic.update((name, gradient.copy()) for name, _, gradient in net.parameters())
    numerical = {"input": _numerical_gradient(f, X, eps)}
    for name, parameter, _ in net.parameters():
        numerical[name] = _numerical_gradient(f, parameter, eps)
    return {name: _relative_error(name, analytic[name], numerical[name]) for name in analytic}


def check_loss_gradient(loss, y, yhat, *, eps=1e-6):
    """Check ``loss.backward(y, yhat)`` against the derivative of ``loss.forward(y, yhat).mean()``.

    ``yhat`` and a floating ``y`` are converted to float64 copies; integer class
    indices are kept. Returns ``{"yhat": relative error}`` (see the module docstring).
    """
    positive("check_loss_gradient", "eps", eps)
    yhat = np.array(yhat, dtype=np.float64)
    y = np.asarray(y)
    if np.issubdtype(y.dtype, np.floating):
        y = y.astype(np.float64)
    analytic = loss.backward(y, yhat)
    numerical = _numerical_gradient(lambda: loss.forward(y, yhat).mean(), yhat, eps)
    return {"yhat": _relative_error("yhat", analytic, numerical)}


def _generators(module):
    """Every np.random.Generator held as an attribute by ``module`` or its descendants."""
    found = [value for value in vars(module).values() if isinstance(value, np.random.Generator)]
    for child in module.children():
        found += _generators(child)
    return found


def _numerical_gradient(f, x, eps):
    """Central differences of the scalar ``f()`` with respect to each element of ``x``,
    perturbed in place and restored exactly."""
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = f()
        x[index] = original - eps
        minus = f()
        x[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def _relative_error(name, analytic, numerical):
    analytic = np.asarray(analytic)
    if analytic.shape != numerical.shape:
        raise ValueError(f"gradient of {name!r} has shape {analytic.shape}, expected {numerical.shape}")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    return float(np.linalg.norm(analytic - numerical) / scale) if scale > 0 else 0.0
