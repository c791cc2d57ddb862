"""Fetch a dataset's raw files from a list of mirrors and verify them.

A mirror is an http(s) URL, a ``file://`` URL or a local directory holding the files as
``NAME.gz`` or uncompressed ``NAME``. Mirrors are tried in order, each with a timeout and
retries; the SHA-256 of the *decompressed* bytes is checked, so a re-compressed copy passes.

The decompressed size of each file is known in advance, so nothing a mirror sends can cost
more than that: the raw bytes read are capped at the most a gzip of that size can take
(:func:`max_compressed_size`), decompression stops one byte past the expected size (a 2 MB
gzip bomb of 2 GiB is refused after 47 MB), and the SHA-256 is computed while the decompressed
bytes stream, a chunk at a time, to a temporary file renamed to the destination only once
verified.
"""
import gzip
import hashlib
import http.client
import io
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

from diy.atomic import atomic_path

log = logging.getLogger(__name__)

#: What a failed download says, when the caller gives no hint of its own.
GENERIC_HINT = ("To use a local copy of the files (NAME.gz or uncompressed NAME), put that directory "
                "(or a file:// URL) first among the mirrors.")

#: Bytes decompressed at a time.
CHUNK = 1 << 20


class DownloadError(RuntimeError):
    """No mirror delivered a file of the expected size and checksum."""


class _NotFound(Exception):
    """The mirror does not have this file under this name: try the next name."""


class _Transient(Exception):
    """A failure worth retrying on the same mirror (timeout, connection, 5xx, bad gzip)."""


class _Permanent(Exception):
    """A failure that retrying the same mirror will not fix."""


def local_copy_hint(variable, key):
    """What a failed download says: how to use a local copy through the environment `variable`
    or the config `key` listing the mirrors."""
    return (f"To use a local copy of the files (NAME.gz or uncompressed NAME), set {variable}=/path/to/dir, "
            f"or put that directory (or a file:// URL) first under {key} in config.yaml.")


def mirrors_to_try(configured, variable, environ=None):
    """The mirrors in the order they are tried: ``$variable`` (if named and set), then `configured`."""
    environ = os.environ if environ is None else environ
    first = environ.get(variable, "").strip() if variable else ""
    return ([first] if first else []) + [m for m in configured if m != first]


def max_compressed_size(size):
    """The most bytes a gzip of `size` bytes may take.

    Deflate's worst case (incompressible data, stored blocks) adds 5 bytes per 16 KiB and zlib's
    bound adds under 1/3000; 1/1024 of the size plus 64 KiB of headers covers both with room,
    and multi-member gzips (bgzip: 28 bytes per 64 KiB) too.
    """
    return size + size // 1024 + (64 << 10)


def fetch_files(dest_dir, mirrors, expected, timeout=30.0, retries=2, backoff=1.0, hint=GENERIC_HINT):
    """Fetch every file named in `expected` into `dest_dir`, each from the first mirror that works.

    Parameters
    ----------
    dest_dir : path
        Where ``NAME`` (uncompressed, verified) is written.
    mirrors : list of str
        URLs (http, https, file) or local directories, tried in order.
    expected : dict of str -> (str, int)
        File name -> (SHA-256 hex digest, size in bytes) of its decompressed bytes.
    timeout : float
        Seconds allowed for connecting and for each read.
    retries : int
        Extra attempts on a mirror after a transient failure.
    backoff : float
        Seconds slept before retry ``k`` is ``backoff * k``.
    hint : str
        Appended to the error: how to point the download at a local copy.

    Returns
    -------
    dict of str -> Path, file name -> written file.

    Raises
    ------
    DownloadError
        Listing, for the first file no mirror delivered, each mirror and why it failed.
    """
    return {
        name: fetch_file(name, Path(dest_dir) / name, mirrors, sha256_size, timeout, retries, backoff,
                         hint)
        for name, sha256_size in expected.items()
    }


def fetch_file(name, dest, mirrors, expected, timeout=30.0, retries=2, backoff=1.0, hint=GENERIC_HINT):
    """Fetch one file of ``expected = (sha256, size)`` (see :func:`fetch_files`) into `dest`."""
    failures = []
    for mirror in mirrors:
        try:
            source = _from_mirror(mirror, name, dest, expected, timeout, retries, backoff)
        except _Permanent as why:
            log.warning("%s: mirror %s failed: %s", name, mirror, why)
            failures.append(f"  - {mirror}: {why}")
            continue
        log.info("%s: %d bytes from %s, SHA-256 verified, written to %s",
                 name, expected[1], source, dest)
        return Path(dest)
    tried = "\n".join(failures) if failures else "  (no mirror configured)"
    raise DownloadError(f"could not fetch {name} from any mirror:\n{tried}\n{hint}")


def _from_mirror(mirror, name, dest, expected, timeout, retries, backoff):
    """Write `name` from one mirror to `dest`, verified; return where it came from, or raise
    _Permanent."""
    not_found = []
    for location in _locations(mirror, name):
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(backoff * attempt)
            try:
                _write_verified(_read(location, timeout, max_compressed_size(expected[1])), location,
                                dest, *expected)
                return location
            except _NotFound:
                not_found.append(location)
                break
            except _Transient as why:
                log.warning("%s: attempt %d of %d failed: %s", location, attempt + 1, retries + 1, why)
                last = why
        else:
            raise _Permanent(f"{last} (after {retries + 1} attempts)")
    raise _Permanent("not found (tried " + ", ".join(not_found) + ")")


def _locations(mirror, name):
    """Where a mirror may hold `name`: compressed first, as the public mirrors serve it."""
    scheme = urllib.parse.urlparse(mirror).scheme
    if scheme in ("http", "https"):
        base = mirror.rstrip("/")
        return [f"{base}/{name}.gz", f"{base}/{name}"]
    if scheme == "file":
        directory = Path(urllib.request.url2pathname(urllib.parse.urlparse(mirror).path))
    elif scheme == "":
        directory = Path(mirror)
    else:
        raise _Permanent(f"unsupported URL scheme {scheme!r} (use http, https, file or a directory)")
    if not directory.is_dir():
        raise _Permanent(f"{directory} is not a directory")
    return [str(directory / f"{name}.gz"), str(directory / name)]


def _read(location, timeout, limit):
    """The raw bytes at a URL or local path, at most `limit` of them; failures classified for
    :func:`_from_mirror`."""
    if not location.startswith(("http://", "https://")):
        try:
            with open(location, "rb") as f:
                data = f.read(limit + 1)
        except FileNotFoundError:
            raise _NotFound(location) from None
        except OSError as error:
            raise _Permanent(str(error)) from None
    else:
        request = urllib.request.Request(location, headers={"User-Agent": "diy-download"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = response.read(limit + 1)
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                raise _NotFound(location) from None
            kind = _Transient if error.code >= 500 or error.code == 429 else _Permanent
            raise kind(f"HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise _Transient(f"cannot connect: {error.reason}") from None
        except TimeoutError:
            raise _Transient(f"timed out after {timeout} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise _Transient(f"{type(error).__name__}: {error}") from None
    if len(data) > limit:
        raise _Permanent(f"{location} holds more than {limit} bytes, more than a file of the "
                         f"expected size takes even compressed")
    return data


def _write_verified(data, location, dest, sha256, size):
    """Write `data`, gunzipped if it is gzip, to `dest` atomically if that makes `size` bytes of
    SHA-256 `sha256`; else raise and write nothing. The bytes are hashed and written as they come."""
    digest, n = hashlib.sha256(), 0
    with atomic_path(dest) as tmp, open(tmp, "wb") as out:
        for chunk in _decompressed(data, size + 1):
            n += len(chunk)
            if n > size:
                raise _Permanent(f"{location} gives more than the expected {size} bytes "
                                 f"(decompressed if gzip): a gzip bomb, or another file")
            digest.update(chunk)
            out.write(chunk)
        if n != size:
            raise _Permanent(f"{location} gives {n} bytes (decompressed if gzip), expected {size}")
        if digest.hexdigest() != sha256:
            raise _Permanent(f"SHA-256 of the decompressed data from {location} is "
                             f"{digest.hexdigest()}, expected {sha256}")


def _decompressed(data, limit):
    """Yield `data` in chunks, gunzipped if it is gzip (by magic bytes: some servers decompress
    on the fly), and no more than `limit` bytes in all however much the gzip would expand."""
    stream = gzip.GzipFile(fileobj=io.BytesIO(data)) if data[:2] == b"\x1f\x8b" else io.BytesIO(data)
    n = 0
    try:
        while n < limit and (chunk := stream.read(min(CHUNK, limit - n))):
            n += len(chunk)
            yield chunk
    except (OSError, EOFError, zlib.error) as error:
        raise _Transient(f"corrupt gzip data: {error}") from None
