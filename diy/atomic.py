"""Atomic file output: write to a temporary file beside the target, then rename.

An interrupted run therefore leaves either the old file or no file, never a
half-written one that Snakemake (or a user) would trust.
"""
import contextlib
import os
import tempfile
from pathlib import Path

# mkstemp creates files readable by the owner only; results should get the
# permissions any other new file would, so read the umask once.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path, suffix=None):
    """Yield a temporary path in the target's directory; rename it to `path` on success.

    `suffix` defaults to the target's own suffix, so writers that add an extension
    (``np.savez`` adds ``.npz``) see the name they expect. On any exception the
    temporary file is removed and `path` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=path.suffix if suffix is None else suffix, dir=path.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path, text):
    """Write `text` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)
