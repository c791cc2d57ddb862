"""Seals: a file's SHA-256, size and line count, recorded beside it when it is written, which
every job reading it checks first (the aggregate tables, :func:`study.tables.write_csv`).

The seal of ``tables/metrics.csv`` is ``tables/metrics.csv.seal``, a JSON object::

    {"file": "metrics.csv", "sha256": "9f2c...", "bytes": 81234, "lines": 601}

The file itself is left as it is (a table reads the same with or without its seal). A file
read through :func:`read_checked` is provably the one written with its seal: one edited by
hand, cut short, or with another file copied over it is a ValueError naming it and what
differs, as is one without a seal (written before files were sealed). The seal proves the
bytes are those written, not by which run: a table copied together with its seal from the same
place in another study's results reads as written.
"""
import hashlib
import json
from pathlib import Path

from diy.atomic import atomic_path, write_text

# How a refusal of a damaged results file ends (every checked reader's).
RERUN = "delete it and re-run the job that makes it"

SUFFIX = ".seal"


def seal_path(path):
    """The seal of the file at `path`: ``{path}.seal``."""
    path = Path(path)
    return path.with_name(path.name + SUFFIX)


def seal_of(path, data):
    """The seal of `data`, the bytes of the file at `path`."""
    return {"file": Path(path).name, "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data), "lines": data.count(b"\n")}


def write_sealed(path, text):
    """Write `text` (str) to `path`, then its seal beside it, each atomically. A job stopped
    between the two leaves the file without its seal, or with the seal of an earlier one: either
    is refused by :func:`read_checked`."""
    data = text.encode()  # the bytes sealed are the bytes written, whatever the locale's encoding
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    write_text(seal_path(path), json.dumps(seal_of(path, data)) + "\n")


def read_checked(path, what="file"):
    """The bytes of the file at `path` (`what` it is, for messages), once they are those its
    seal records: else a ValueError naming the file and what differs."""
    path, seal = Path(path), seal_path(path)
    data = path.read_bytes()
    if not seal.exists():
        raise ValueError(f"{path}: no seal beside it ({seal.name}, its digest recorded when written): "
                         f"a {what} written before files were sealed, or its seal deleted; {RERUN}")
    try:
        recorded = json.loads(seal.read_text())
        keys = {key: recorded[key] for key in ("file", "sha256", "bytes", "lines")}
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as error:
        raise ValueError(f"{seal}: not a readable seal ({type(error).__name__}: {error}); {RERUN}") from None
    now = seal_of(path, data)
    if keys["file"] != now["file"]:
        raise ValueError(f"{path}: its seal {seal.name} is that of {keys['file']!r}: another file's seal "
                         f"copied over it; {RERUN}")
    if keys["sha256"] == now["sha256"]:
        return data
    if now["lines"] != keys["lines"]:
        how = "cut short" if now["lines"] < keys["lines"] else "lines added"
        change = f"{now['lines']} lines, not the {keys['lines']} written: {how}, or another file copied over it"
    else:
        size = f" ({now['bytes']} bytes, not {keys['bytes']})" if now["bytes"] != keys["bytes"] else ""
        change = f"its SHA-256 is not the one recorded when written{size}: edited by hand, or another file copied over it"
    raise ValueError(f"{path}: not the {what} written (its seal {seal.name}): {change}; {RERUN}")
