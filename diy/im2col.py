"""Shared machinery of the convolution and pooling layers: window views, im2col, col2im.

Images are channels-last, ``(batch, height, width, channels)``; a sequence
``(batch, length, channels)`` is the image ``(batch, 1, length, channels)``, a free view,
so the 1-D layers use the same code with a ``(1, k)`` kernel.

A window is indexed ``(batch, out_row, out_col, k_row, k_col, channel)``. im2col copies
every window into one row of a matrix, ``(batch * out_h * out_w, k_h * k_w * channels)``,
so a convolution is one GEMM with the weight ``(k_h, k_w, chan_in, chan_out)`` viewed as
``(k_h * k_w * chan_in, chan_out)``. col2im is its adjoint: it adds every window's entries
back onto the positions they were read from (overlapping windows sum).
"""
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .checks import positive_int
from .init import INITIALISERS


def pair(value, name, owner):
    """``value`` as a pair of ints ``(rows, cols)``: an int ``k`` means ``(k, k)``."""
    if isinstance(value, (int, np.integer)):
        items = (value, value)
    else:
        items = tuple(value) if isinstance(value, (tuple, list)) else ()
    if len(items) != 2 or not all(isinstance(v, (int, np.integer)) for v in items):
        raise ValueError(f"{owner}: {name} must be an int or a pair of ints, got {value!r}")
    return int(items[0]), int(items[1])


def window_1d(k_size, stride, owner):
    """``(k_size, stride)`` of a 1-D window as ints, stride None meaning ``k_size``; ValueError
    naming `owner` unless both are >= 1."""
    k_size = positive_int(owner, "k_size", k_size)
    return k_size, (k_size if stride is None else positive_int(owner, "stride", stride))


def check_init(init, owner):
    """Raise a ValueError naming ``owner`` unless ``init`` is a key of INITIALISERS."""
    if init not in INITIALISERS:
        raise ValueError(f"{owner}: unknown init {init!r}; choose one of {sorted(INITIALISERS)}")


def init_weight(init, shape, fan_in, fan_out, rng, dtype):
    """An array of ``shape`` at the scale ``INITIALISERS[init]`` gives a (fan_in, fan_out) layer.

    The initialisers draw iid entries into a (fan_in, fan_out) matrix. A convolution's
    weight is smaller than that (Conv2D's fan_in * fan_out is k_h * k_w times its size:
    every weight serves every kernel position), so it takes the first entries of one draw.
    """
    fan_in, fan_out = max(1, round(fan_in)), max(1, round(fan_out))
    draw = INITIALISERS[init](fan_in, fan_out, rng, dtype).reshape(-1)
    return draw[:math.prod(shape)].reshape(shape).copy()


def check_input(layer, X, layout, channels, *, dtype=None, kernel=None, padding=None):
    """Refuse, with an error naming ``layer``, an ``X`` that is not ``(batch, *layout,
    channels)``, whose spatial sizes (with ``padding`` zeros on each side) are smaller than
    ``kernel``, or that is not of ``dtype``: a float64 input would silently make a float32
    layer compute in float64.

    ``layout`` names the spatial axes, ``("length",)`` or ``("height", "width")``;
    ``channels`` None accepts any number of channels.
    """
    if X.ndim != len(layout) + 2 or (channels is not None and X.shape[-1] != channels):
        expected = ", ".join(("batch",) + layout + (str(channels or "channels"),))
        raise ValueError(f"{layer!r}: expected input of shape ({expected}), got {X.shape}")
    for name, size, k, p in zip(layout, X.shape[1:], kernel or (), padding or (0,) * len(layout)):
        if size + 2 * p < k:
            padded = f" (padded: {size + 2 * p})" if p else ""
            raise ValueError(f"{layer!r}: input {name} {size}{padded} is smaller than the kernel ({k})")
    if dtype is not None and X.dtype != dtype:
        raise TypeError(
            f"{layer!r}: input is {X.dtype} but parameters are {dtype}; "
            f"convert the input, or the module with .astype({X.dtype})"
        )


def scratch(layer, name, shape, dtype):
    """A work array of ``layer``'s, kept between calls and reused while shape and dtype hold.

    Fresh multi-megabyte temporaries at every batch cost more than their arithmetic: the
    allocator hands them back to the system, and each new one is mapped and zeroed again,
    page by page (15% of a training step of bench/train_conv_autoencoder.py went there
    before the padded inputs and im2col matrices were kept). A new array is zeroed, so
    zero borders written once stay zero.
    """
    arrays = vars(layer).setdefault("_scratch", {})
    array = arrays.get(name)
    if array is None or array.shape != shape or array.dtype != dtype:
        array = arrays[name] = np.zeros(shape, dtype=dtype)
    return array


def pad(X, padding, layer):
    """``X`` (batch, H, W, C) with ``padding = (p_h, p_w)`` zero rows and columns on each
    side, in ``layer``'s scratch array "padded" (whose borders nothing else writes)."""
    p_h, p_w = padding
    if not (p_h or p_w):
        return X
    batch, height, width, channels = X.shape
    padded = scratch(layer, "padded", (batch, height + 2 * p_h, width + 2 * p_w, channels), X.dtype)
    padded[:, p_h:p_h + height, p_w:p_w + width] = X
    return padded


def windows(X, kernel, stride):
    """Read-only view (batch, out_h, out_w, k_h, k_w, C) of the windows of X (batch, H, W, C),
    ``out_h = (H - k_h) // s_h + 1`` and ``out_w`` likewise; X must hold one window at least."""
    batch, height, width, channels = X.shape
    out_h, out_w = (height - kernel[0]) // stride[0] + 1, (width - kernel[1]) // stride[1] + 1
    s_batch, s_row, s_col, s_channel = X.strides
    return as_strided(
        X, (batch, out_h, out_w, kernel[0], kernel[1], channels),
        (s_batch, s_row * stride[0], s_col * stride[1], s_row, s_col, s_channel), writeable=False,
    )


def im2col(X, kernel, stride, layer, name):
    """(batch, H, W, C) -> the windows copied once into ``layer``'s contiguous scratch array
    ``name`` of shape (batch, out_h, out_w, k_h, k_w, C), whose ``reshape(-1, k_h * k_w * C)``
    (free) has one window a row.

    A window row, k_w * C elements, is contiguous in the image, so the copy moves runs of
    that length; with one channel, one copy per kernel offset moves longer runs (out_w).
    """
    view = windows(X, kernel, stride)
    cols = scratch(layer, name, view.shape, X.dtype)
    if view.shape[-1] > 1:
        np.copyto(cols, view)
        return cols
    for i in range(view.shape[3]):
        for j in range(view.shape[4]):
            cols[:, :, :, i, j] = view[:, :, :, i, j]
    return cols


def col2im(cols, shape, stride):
    """The adjoint of im2col: (batch, out_h, out_w, k_h, k_w, C) -> (batch, H, W, C) = ``shape``,
    every window entry added onto the input position it was read from.

    With several channels, one addition per kernel row and group of windows: windows
    x, x + g, x + 2g, ... with g = ceil(k_w / s_w) do not overlap, so the rows (k_w * C
    contiguous elements) of a group are added at once through a strided view of the
    image, 1.5 times faster than an addition per kernel offset, whose runs are C long.
    With one channel, one addition per kernel offset (runs of out_w), as in im2col. The
    Python loop runs at most k_h * k_w times, whatever the batch and image sizes.
    """
    batch, out_h, out_w, k_h, k_w, channels = cols.shape
    s_h, s_w = stride
    X = np.zeros(shape, dtype=cols.dtype)
    if channels == 1:
        for i in range(k_h):
            for j in range(k_w):
                X[:, i:i + s_h * out_h:s_h, j:j + s_w * out_w:s_w] += cols[:, :, :, i, j]
        return X
    groups = min(-(-k_w // s_w), out_w)
    s_batch, s_row, s_col, s_channel = X.strides
    for i in range(k_h):
        for g in range(groups):
            rows = cols[:, :, g::groups, i]
            target = as_strided(X[:, i:, s_w * g:], rows.shape,
                                (s_batch, s_row * s_h, s_col * s_w * groups, s_col, s_channel))
            target += rows
    return X


def add_bias(Y, b):
    """``Y += b`` in place, for a C-contiguous Y (rows, C) and b (C,).

    Broadcasting b over many rows of few channels runs one inner loop per row, mostly
    overhead at C = 16; adding ``np.tile(b, r)`` to the free (rows / r, r * C) view does the
    same additions in rows of up to 256 elements, 2.5 times faster (NumPy 2.4).
    """
    rows, channels = Y.shape
    r = math.gcd(rows, max(1, 256 // channels))
    Y.reshape(rows // r, r * channels)[...] += np.tile(b, r)


def column_sums(A):
    """``A.sum(axis=0)`` of a 2-D array, as one matrix-vector product: NumPy's reduction
    over the first axis of a tall, thin array (25088 x 16) is 20 times slower (NumPy 2.4)."""
    return np.ones(len(A), dtype=A.dtype) @ A
