"""IDX parsing of files the tests write: good files, and each kind of damage named with the file."""
import gzip
import re

import numpy as np
import pytest

from study.data.idx_format import IDXError, parse_idx, read_idx


@pytest.mark.parametrize("dtype", ["u1", "i1", "i2", "i4", "f4", "f8"])
def test_round_trip_every_dtype_in_native_byte_order(idx_bytes, dtype):
    array = (np.arange(2 * 3 * 4) - 7).reshape(2, 3, 4).astype(dtype)
    parsed = parse_idx(idx_bytes(array))
    assert parsed.shape == (2, 3, 4)
    assert parsed.dtype == np.dtype(dtype).newbyteorder("=")
    np.testing.assert_array_equal(parsed, array)


def test_reads_plain_and_gzipped_files(tmp_path, idx_bytes):
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    (tmp_path / "plain").write_bytes(idx_bytes(images))
    (tmp_path / "zipped.gz").write_bytes(gzip.compress(idx_bytes(images)))
    np.testing.assert_array_equal(read_idx(tmp_path / "plain", ndim=3), images)
    np.testing.assert_array_equal(read_idx(tmp_path / "zipped.gz", ndim=3), images)


def test_empty_first_dimension_is_valid(idx_bytes):
    assert parse_idx(idx_bytes(np.zeros((0, 4), np.uint8))).shape == (0, 4)


def _damage(tmp_path, data, name="bad-idx1-ubyte"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_wrong_magic_names_the_file(tmp_path, idx_bytes):
    data = bytearray(idx_bytes(np.zeros(3, np.uint8)))
    data[0] = 0x1F
    path = _damage(tmp_path, bytes(data))
    with pytest.raises(IDXError, match=rf"{re.escape(str(path))}: bad magic number"):
        read_idx(path)


def test_unknown_dtype_code(tmp_path, idx_bytes):
    data = bytearray(idx_bytes(np.zeros(3, np.uint8)))
    data[2] = 0x0A
    with pytest.raises(IDXError, match="unknown IDX dtype code 0x0a"):
        read_idx(_damage(tmp_path, bytes(data)))


def test_truncated_data_names_the_file(tmp_path, idx_bytes):
    path = _damage(tmp_path, idx_bytes(np.zeros((4, 2, 2), np.uint8))[:-1])
    expected = rf"{re.escape(str(path))}: 31 bytes, but header dims \(4, 2, 2\) of uint8 need 32 \(truncated\)"
    with pytest.raises(IDXError, match=expected):
        read_idx(path)


def test_trailing_bytes_are_rejected(tmp_path, idx_bytes):
    path = _damage(tmp_path, idx_bytes(np.zeros((4, 2), np.uint8)) + b"\0")
    with pytest.raises(IDXError, match="trailing bytes"):
        read_idx(path)


def test_truncated_header(tmp_path, idx_bytes):
    path = _damage(tmp_path, idx_bytes(np.zeros((4, 2, 2), np.uint8))[:10])
    with pytest.raises(IDXError, match=rf"{re.escape(str(path))}: truncated header"):
        read_idx(path)


def test_too_short_for_a_header(tmp_path):
    with pytest.raises(IDXError, match="too short"):
        read_idx(_damage(tmp_path, b"\0\0"))


def test_wrong_number_of_dimensions(tmp_path, idx_bytes):
    path = _damage(tmp_path, idx_bytes(np.zeros((4, 2), np.uint8)))
    with pytest.raises(IDXError, match=rf"{re.escape(str(path))}: 2 dimensions, expected 3"):
        read_idx(path, ndim=3)


def test_corrupt_gzip_names_the_file(tmp_path, idx_bytes):
    path = _damage(tmp_path, gzip.compress(idx_bytes(np.zeros(100, np.uint8)))[:-12], "x.gz")
    with pytest.raises(IDXError, match=rf"{re.escape(str(path))}: corrupt gzip data"):
        read_idx(path)
