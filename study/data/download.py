"""Fetch the four MNIST IDX files from a list of mirrors and verify them.

A mirror is an http(s) URL, a ``file://`` URL or a local directory holding the files as
``NAME.gz`` or uncompressed ``NAME``. Mirrors are tried in order, each with a timeout and
retries; the SHA-256 of the *decompressed* bytes is checked, so a re-compressed copy passes.
A file is written (atomically) only once verified.
"""
import gzip
import hashlib
import http.client
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from diy.atomic import atomic_path

log = logging.getLogger(__name__)

#: SHA-256 of each decompressed MNIST IDX file.
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: Environment variable naming a mirror tried before the configured ones.
MIRROR_ENV = "DIY_MNIST_MIRROR"

HOW_TO_USE_A_LOCAL_COPY = (
    f"To use a local copy of the MNIST files (NAME.gz or uncompressed NAME), set "
    f"{MIRROR_ENV}=/path/to/dir, or put that directory (or a file:// URL) first under "
    f"mnist.mirrors in config.yaml."
)


class DownloadError(RuntimeError):
    """No mirror delivered a file with the expected checksum."""


class _NotFound(Exception):
    """The mirror does not have this file under this name: try the next name."""


class _Transient(Exception):
    """A failure worth retrying on the same mirror (timeout, connection, 5xx, bad gzip)."""


class _Permanent(Exception):
    """A failure that retrying the same mirror will not fix."""


def mirrors_to_try(configured, environ=None):
    """The mirrors in the order they are tried: ``$DIY_MNIST_MIRROR`` (if set), then `configured`."""
    environ = os.environ if environ is None else environ
    first = environ.get(MIRROR_ENV, "").strip()
    return ([first] if first else []) + [m for m in configured if m != first]


def fetch_mnist(dest_dir, mirrors, expected=MNIST_SHA256, timeout=30.0, retries=2, backoff=1.0):
    """Fetch every file named in `expected` into `dest_dir`, each from the first mirror that works.

    Parameters
    ----------
    dest_dir : path
        Where ``NAME`` (uncompressed, verified) is written.
    mirrors : list of str
        URLs (http, https, file) or local directories, tried in order.
    expected : dict of str -> str
        File name -> SHA-256 hex digest of its decompressed bytes.
    timeout : float
        Seconds allowed for connecting and for each read.
    retries : int
        Extra attempts on a mirror after a transient failure.
    backoff : float
        Seconds slept before retry ``k`` is ``backoff * k``.

    Returns
    -------
    dict of str -> Path, file name -> written file.

    Raises
    ------
    DownloadError
        Listing, for the first file no mirror delivered, each mirror and why it failed.
    """
    return {
        name: fetch_file(name, Path(dest_dir) / name, mirrors, sha256, timeout, retries, backoff)
        for name, sha256 in expected.items()
    }


def fetch_file(name, dest, mirrors, sha256, timeout=30.0, retries=2, backoff=1.0):
    """Fetch one file (see :func:`fetch_mnist`), verify it and write it atomically to `dest`."""
    failures = []
    for mirror in mirrors:
        try:
            data, source = _from_mirror(mirror, name, timeout, retries, backoff)
        except _Permanent as why:
            log.warning("%s: mirror %s failed: %s", name, mirror, why)
            failures.append(f"  - {mirror}: {why}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != sha256:
            why = f"SHA-256 of the decompressed data from {source} is {digest}, expected {sha256}"
            log.warning("%s: %s", name, why)
            failures.append(f"  - {mirror}: {why}")
            continue
        with atomic_path(dest) as tmp:
            tmp.write_bytes(data)
        log.info("%s: %d bytes from %s, SHA-256 verified, written to %s", name, len(data), source, dest)
        return Path(dest)
    tried = "\n".join(failures) if failures else "  (no mirror configured)"
    raise DownloadError(
        f"could not fetch {name} from any mirror:\n{tried}\n{HOW_TO_USE_A_LOCAL_COPY}"
    )


def _from_mirror(mirror, name, timeout, retries, backoff):
    """Return ``(decompressed bytes, source)`` of `name` from one mirror, or raise _Permanent."""
    not_found = []
    for location in _locations(mirror, name):
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(backoff * attempt)
            try:
                return _decompressed(_read(location, timeout)), location
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


def _read(location, timeout):
    """The raw bytes at a URL or local path; failures classified for :func:`_from_mirror`."""
    if not location.startswith(("http://", "https://")):
        try:
            return Path(location).read_bytes()
        except FileNotFoundError:
            raise _NotFound(location) from None
        except OSError as error:
            raise _Permanent(str(error)) from None
    request = urllib.request.Request(location, headers={"User-Agent": "diy-mnist-download"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
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


def _decompressed(data):
    """Gunzip `data` if it is gzip (by magic bytes: some servers decompress on the fly)."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise _Transient(f"corrupt gzip data: {error}") from None
