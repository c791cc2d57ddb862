"""Downloads: mirrors tried in order, timeouts, retries, checksums, sizes, atomic writes.

Uses small synthetic IDX files and their own expected hashes; servers run on 127.0.0.1.
"""
import gzip
import hashlib
import re
import time

import numpy as np
import pytest

from study.datasets import DATASETS
from study.data.download import (
    GENERIC_HINT, DownloadError, fetch_file, fetch_files, local_copy_hint, mirrors_to_try,
)

NAME = "tiny-images-idx3-ubyte"
FAST = {"timeout": 2.0, "retries": 1, "backoff": 0.0}  # loopback answers in milliseconds


@pytest.fixture
def idx(idx_bytes):
    """Raw IDX bytes of a tiny image file and the (SHA-256, size) the download must check."""
    raw = idx_bytes(np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4))
    return raw, (hashlib.sha256(raw).hexdigest(), len(raw))


def _no_leftovers(directory, *expected):
    assert sorted(p.name for p in directory.iterdir()) == sorted(expected)


def test_http_gz_file_is_decompressed_verified_and_written(tmp_path, http_server, idx):
    raw, expected = idx
    http_server.routes[f"/m/{NAME}.gz"] = gzip.compress(raw, compresslevel=1)
    out = fetch_file(NAME, tmp_path / NAME, [f"{http_server.url}/m/"], expected, **FAST)
    assert out.read_bytes() == raw
    _no_leftovers(tmp_path, NAME)


def test_checksum_of_decompressed_bytes_not_of_the_archive(tmp_path, http_server, idx):
    # Two compressions of the same bytes differ; both must pass.
    raw, expected = idx
    assert gzip.compress(raw, 1, mtime=0) != gzip.compress(raw, 9, mtime=1)
    http_server.routes[f"/a/{NAME}.gz"] = gzip.compress(raw, 9, mtime=1)
    assert fetch_file(NAME, tmp_path / NAME, [f"{http_server.url}/a"], expected, **FAST).exists()


def test_checksum_mismatch_is_a_clear_error_and_leaves_no_file(tmp_path, http_server, idx):
    raw, expected = idx
    http_server.routes[f"/m/{NAME}.gz"] = gzip.compress(raw[:-1] + b"\x01")
    mirror = f"{http_server.url}/m/"
    with pytest.raises(DownloadError) as error:
        fetch_file(NAME, tmp_path / NAME, [mirror], expected, **FAST)
    message = str(error.value)
    assert f"could not fetch {NAME} from any mirror" in message
    assert f"{mirror}: SHA-256 of the decompressed data" in message
    assert f"expected {expected[0]}" in message
    _no_leftovers(tmp_path)


@pytest.mark.parametrize("body, message", [
    (b"\x1f\x8b" + bytes(200_000), "holds more than 65600 bytes"),
    (gzip.compress(bytes(8 << 20)), "gives more than the expected 64 bytes (decompressed if gzip)"),
], ids=["body-beyond-any-gzip", "gzip-bomb"])
def test_http_body_is_read_and_decompressed_only_as_far_as_the_expected_size(
        tmp_path, http_server, idx, body, message):
    _, expected = idx
    http_server.routes[f"/m/{NAME}.gz"] = body
    with pytest.raises(DownloadError, match=re.escape(message)):
        fetch_file(NAME, tmp_path / NAME, [f"{http_server.url}/m"], expected, **FAST)
    assert http_server.requests == [f"/m/{NAME}.gz"]  # refused for good: not retried
    _no_leftovers(tmp_path)


def test_first_mirror_404_falls_back_to_the_second(tmp_path, http_server, idx):
    raw, expected = idx
    http_server.routes[f"/good/{NAME}.gz"] = gzip.compress(raw)
    mirrors = [f"{http_server.url}/missing/", f"{http_server.url}/good/"]
    assert fetch_file(NAME, tmp_path / NAME, mirrors, expected, **FAST).read_bytes() == raw
    # A 404 is not retried: each name once on the first mirror, then the second mirror.
    assert http_server.requests == [f"/missing/{NAME}.gz", f"/missing/{NAME}", f"/good/{NAME}.gz"]


def test_uncompressed_file_on_a_server(tmp_path, http_server, idx):
    raw, expected = idx
    http_server.routes[f"/m/{NAME}"] = raw
    assert fetch_file(NAME, tmp_path / NAME, [f"{http_server.url}/m"], expected, **FAST).read_bytes() == raw


def test_hanging_server_times_out_then_next_mirror(tmp_path, http_server, idx):
    raw, expected = idx
    http_server.routes[f"/hang/{NAME}.gz"] = "hang"
    local = tmp_path / "local"
    local.mkdir()
    (local / NAME).write_bytes(raw)
    start = time.monotonic()
    out = fetch_file(NAME, tmp_path / NAME, [f"{http_server.url}/hang", str(local)], expected,
                     timeout=0.2, retries=1, backoff=0.0)
    elapsed = time.monotonic() - start
    assert out.read_bytes() == raw
    assert http_server.requests == [f"/hang/{NAME}.gz"] * 2  # first try and one retry
    assert 0.4 <= elapsed < 3


def test_server_error_is_retried(tmp_path, http_server, idx):
    raw, expected = idx
    http_server.routes[f"/m/{NAME}.gz"] = [503, gzip.compress(raw)]
    assert fetch_file(NAME, tmp_path / NAME, [f"{http_server.url}/m"], expected, **FAST).exists()
    assert http_server.requests == [f"/m/{NAME}.gz"] * 2


def test_every_mirror_failing_lists_each_with_its_reason(tmp_path, http_server, idx):
    _, expected = idx
    http_server.routes[f"/hang/{NAME}.gz"] = "hang"
    http_server.routes[f"/forbidden/{NAME}.gz"] = 403
    missing_dir = tmp_path / "no-such-dir"
    mirrors = [f"{http_server.url}/hang", f"{http_server.url}/forbidden", f"{http_server.url}/none",
               str(missing_dir), "ftp://example.invalid/mnist"]
    with pytest.raises(DownloadError) as error:
        fetch_file(NAME, tmp_path / NAME, mirrors, expected, timeout=0.5, retries=1, backoff=0.0)
    lines = str(error.value).splitlines()
    assert lines[1] == f"  - {mirrors[0]}: timed out after 0.5 s (after 2 attempts)"
    assert lines[2] == f"  - {mirrors[1]}: HTTP 403 Forbidden"
    assert lines[3].startswith(f"  - {mirrors[2]}: not found (tried {mirrors[2]}/{NAME}.gz, ")
    assert lines[4] == f"  - {missing_dir}: {missing_dir} is not a directory"
    assert lines[5].startswith(f"  - {mirrors[4]}: unsupported URL scheme 'ftp'")
    assert lines[6] == GENERIC_HINT
    _no_leftovers(tmp_path)


def test_no_mirror_at_all_says_how_to_point_at_a_local_copy(tmp_path, idx):
    with pytest.raises(DownloadError, match=re.escape("(no mirror configured)")) as error:
        fetch_file(NAME, tmp_path / NAME, [], idx[1], **FAST)
    assert GENERIC_HINT in str(error.value)


def test_mnist_declares_its_four_files_and_a_failure_names_its_variable(tmp_path):
    files = DATASETS["mnist"].files
    assert {name: size for name, (_, size) in files.items()} == {
        "train-images-idx3-ubyte": 60_000 * 28 * 28 + 16, "train-labels-idx1-ubyte": 60_000 + 8,
        "t10k-images-idx3-ubyte": 10_000 * 28 * 28 + 16, "t10k-labels-idx1-ubyte": 10_000 + 8}
    hint = local_copy_hint("DIY_MNIST_MIRROR", "data.mnist.mirrors")
    with pytest.raises(DownloadError, match="could not fetch train-images-idx3-ubyte") as error:
        fetch_files(tmp_path, [], files, hint=hint, **FAST)
    assert "DIY_MNIST_MIRROR=/path/to/dir" in str(error.value)
    assert "data.mnist.mirrors in config.yaml" in str(error.value)


def test_file_url_mirror(tmp_path, idx):
    raw, expected = idx
    local = tmp_path / "dir with space"
    local.mkdir()
    (local / f"{NAME}.gz").write_bytes(gzip.compress(raw))
    out = fetch_file(NAME, tmp_path / NAME, [local.as_uri()], expected, **FAST)
    assert out.read_bytes() == raw


@pytest.mark.parametrize("compressed", [True, False])
def test_plain_directory_mirror(tmp_path, idx, compressed):
    raw, expected = idx
    local = tmp_path / "mirror"
    local.mkdir()
    if compressed:
        (local / f"{NAME}.gz").write_bytes(gzip.compress(raw))
    else:
        (local / NAME).write_bytes(raw)
    dest = tmp_path / "out" / NAME
    assert fetch_file(NAME, dest, [str(local)], expected, **FAST).read_bytes() == raw


def test_fetch_files_fetches_every_expected_file_each_from_the_first_mirror_having_it(
    tmp_path, idx_bytes
):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    files = {"a-idx1-ubyte": idx_bytes(np.arange(5, dtype=np.uint8)),
             "b-idx1-ubyte": idx_bytes(np.arange(7, dtype=np.uint8))}
    (first / "a-idx1-ubyte.gz").write_bytes(gzip.compress(files["a-idx1-ubyte"]))
    (second / "b-idx1-ubyte").write_bytes(files["b-idx1-ubyte"])
    expected = {name: (hashlib.sha256(raw).hexdigest(), len(raw)) for name, raw in files.items()}
    out = fetch_files(tmp_path / "raw", [str(first), str(second)], expected, **FAST)
    assert {name: path.read_bytes() for name, path in out.items()} == files
    _no_leftovers(tmp_path / "raw", *files)


def test_environment_mirror_is_tried_first_and_not_twice():
    configured = ["https://a.example/", "/b"]
    variable = "DIY_MNIST_MIRROR"
    assert mirrors_to_try(configured, variable, {variable: "/b"}) == ["/b", "https://a.example/"]
    assert mirrors_to_try(configured, variable, {variable: " /local "}) == ["/local", *configured]
    assert mirrors_to_try(configured, variable, {variable: ""}) == configured
    assert mirrors_to_try(configured, variable, {}) == configured
    assert mirrors_to_try(configured, "OTHER", {"OTHER": "/c"}) == ["/c", *configured]
    assert mirrors_to_try(configured, None, {variable: "/b"}) == configured
