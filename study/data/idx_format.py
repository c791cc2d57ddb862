"""The IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/).

Header: two zero bytes, a dtype code byte, the number of dimensions ``ndim``, then ``ndim``
big-endian uint32 sizes; then the values, big-endian, C order, and nothing after them.

The header says how many bytes follow, so a gzipped file is decompressed no further than that
(plus one byte, to tell trailing bytes): a gzip bomb costs what its header declares, no more.
"""
import gzip
import math
import zlib
from pathlib import Path

import numpy as np

#: dtype code -> big-endian numpy dtype.
DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

#: Bytes decompressed at a time.
_CHUNK = 1 << 20


class IDXError(ValueError):
    """A file is not a well-formed IDX file; the message names the file."""


def parse_idx(data, name="<bytes>", ndim=None):
    """Parse the bytes of an (uncompressed) IDX file.

    Parameters
    ----------
    data : bytes
    name : str
        Named in every error message (usually the file's path).
    ndim : int, optional
        If given, the number of dimensions the header must declare.

    Returns
    -------
    ndarray of shape given by the header, native byte order.
    """
    dtype, shape, header, expected = _header(data, name, ndim)
    if len(data) != expected:
        raise IDXError(
            f"{name}: {len(data)} bytes, but header dims {shape} of {dtype.name} need {expected}"
            + (" (truncated)" if len(data) < expected else " (trailing bytes)")
        )
    values = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def read_idx(path, ndim=None):
    """Read an IDX file, gzip-compressed or not (recognised by its magic bytes).

    Returns
    -------
    ndarray, as :func:`parse_idx`.
    """
    path = Path(path)
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    if not gzipped:
        return parse_idx(path.read_bytes(), name=str(path), ndim=ndim)
    try:
        with gzip.open(path, "rb") as f:
            data = bytearray(f.read(4))
            if len(data) == 4:
                data += f.read(4 * data[3])
            # Declared dims may be absurd (2**32 each): read towards them in chunks, and only as
            # far as the data goes, so memory follows what the file holds.
            limit = _header(data, str(path), ndim)[3] + 1
            while len(data) < limit and (chunk := f.read(min(_CHUNK, limit - len(data)))):
                data += chunk
    except (OSError, EOFError, zlib.error) as error:
        raise IDXError(f"{path}: corrupt gzip data: {error}") from None
    return parse_idx(data, name=str(path), ndim=ndim)


def _header(data, name, ndim):
    """Check the header at the start of `data`; return ``(dtype, shape, header bytes, file bytes)``."""
    if len(data) < 4:
        raise IDXError(f"{name}: {len(data)} bytes, too short for an IDX header")
    zero0, zero1, code, n_dims = data[:4]
    if zero0 or zero1:
        raise IDXError(f"{name}: bad magic number 0x{data[:4].hex()} (must start with 0x0000)")
    if code not in DTYPES:
        raise IDXError(f"{name}: unknown IDX dtype code 0x{code:02x}")
    if n_dims == 0:
        raise IDXError(f"{name}: 0 dimensions; an IDX file holds a vector, a matrix or more")
    if ndim is not None and n_dims != ndim:
        raise IDXError(f"{name}: {n_dims} dimensions, expected {ndim}")
    header = 4 + 4 * n_dims
    if len(data) < header:
        raise IDXError(f"{name}: truncated header ({len(data)} bytes, need {header})")
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=n_dims, offset=4))
    dtype = DTYPES[code]
    # Python integers: a product of uint32 dims can overflow int64 (and wrap to a plausible size).
    return dtype, shape, header, header + math.prod(shape) * dtype.itemsize
