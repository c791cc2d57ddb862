"""Checks of the arguments of diy's public functions and constructors, one line each.

Each returns the value (as a Python int or float) or raises ``TypeError`` (a value of the wrong
kind: ``'1'`` for a number, ``2.5`` for a count) or ``ValueError`` (the right kind, out of
range), naming the function, the argument and the value: ``samples=2.5`` would otherwise end
in a raw ``range()`` error, and ``batch_size=-5`` in a result of uninitialised memory.
"""
import numbers

import numpy as np


def integer(where, name, value, minimum=None):
    """An int (a bool is refused; an integral NumPy scalar accepted), at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}, got {value!r}")
    return int(value)


def positive_int(where, name, value):
    """An int >= 1 (a count, a size, a batch size)."""
    return integer(where, name, value, minimum=1)


def number(where, name, value, minimum=None, *, strict=False, maximum=None):
    """A finite real number (not a bool nor a string), ``>= minimum`` (``> minimum`` with
    ``strict``) and ``<= maximum`` where given."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{where}: {name} must be a finite number, got {value!r}")
    low = minimum is not None and (value <= minimum if strict else value < minimum)
    if low or (maximum is not None and value > maximum):
        if minimum is not None and maximum is not None:
            bounds = f"in {'(' if strict else '['}{minimum:g}, {maximum:g}]"
        else:
            bounds = f"<= {maximum:g}" if minimum is None else f"{'>' if strict else '>='} {minimum:g}"
        raise ValueError(f"{where}: {name} must be {bounds}, got {value!r}")
    return value


def positive(where, name, value):
    """A finite number > 0 (a learning rate, a weight that must act)."""
    return number(where, name, value, 0.0, strict=True)


def non_negative(where, name, value):
    """A finite number >= 0 (a penalty's weight, a noise level)."""
    return number(where, name, value, 0.0)


def probability(where, name, value):
    """A finite number in [0, 1]."""
    return number(where, name, value, 0.0, maximum=1.0)


def float_dtype(where, name, value):
    """A floating-point NumPy dtype (parameters and their gradients are float16, 32 or 64)."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise TypeError(f"{where}: {name} must be a floating-point dtype, got {value!r}")
    return dtype


def array(where, name, value):
    """A NumPy array of numbers with at least one row, returned as given (never copied)."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be a NumPy array of numbers, got {type(value).__name__}"
                        f"{'' if not isinstance(value, np.ndarray) else ' of dtype ' + str(value.dtype)}")
    if value.ndim == 0 or len(value) == 0:
        raise ValueError(f"{where}: {name} must hold at least one sample, got shape {value.shape}")
    return value


def in_unit_interval(where, name, X):
    """An array of numbers all in [0, 1] (pixels, Bernoulli means), returned as given."""
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be an array of numbers, got dtype {X.dtype}")
    if X.size and not (np.min(X) >= 0 and np.max(X) <= 1):  # also refuses nan
        raise ValueError(f"{where}: {name} must hold values in [0, 1], got values from "
                         f"{np.min(X):g} to {np.max(X):g}")
    return X


def open_fraction(where, name, value):
    """A finite number strictly between 0 and 1 (a confidence or significance level, a power)."""
    value = number(where, name, value)
    if not 0 < value < 1:
        raise ValueError(f"{where}: {name} must be in (0, 1), got {value!r}")
    return value


def number_array(where, name, value, minimum=None, *, strict=False, nan=False, infinite=False):
    """Array-like of real numbers (not strings, None or objects) as a float64 array: finite, or
    NaN where `nan` allows it (an unknown) and infinite where `infinite` does (an unbounded
    range), each ``>= minimum`` (``> minimum`` with `strict`)."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{where}: {name} must be numbers, got {value!r}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: {name} must be numbers, got {value!r}") from None
    if np.asarray(value).dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be numbers, got dtype {np.asarray(value).dtype}: {value!r}")
    bad = np.isnan(array) if not nan else np.zeros(array.shape, bool)
    if not infinite:
        bad |= np.isinf(array)
    if minimum is not None:
        bad |= (array <= minimum) if strict else (array < minimum)
    if bad.any():
        first = float(array[bad].flat[0])
        need = ("finite" if not infinite else "a number") + (" or NaN" if nan else "") + (
            "" if minimum is None else f", {'>' if strict else '>='} {minimum:g}")
        raise ValueError(f"{where}: {name} must be {need}, got {first!r}")
    return array
