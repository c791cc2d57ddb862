"""Send a script's logging, warnings and any uncaught exception to a log file."""
import contextlib
import logging
from pathlib import Path


@contextlib.contextmanager
def log_to(path, level=logging.INFO):
    """Within the block, the root logger and Python warnings write to `path`.

    An exception escaping the block is logged with its traceback, then re-raised, so the
    log file says why a job failed.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    try:
        yield
    except BaseException:
        logging.getLogger(__name__).exception("failed")
        raise
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
