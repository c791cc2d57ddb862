"""How many threads a job's numerical libraries use: exactly the rule's ``threads``."""
import contextlib
import logging
import os

from threadpoolctl import threadpool_info, threadpool_limits

log = logging.getLogger(__name__)

_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def limit_threads(threads):
    """Within the block, BLAS and OpenMP pools use at most `threads` threads; logs them.

    Snakemake already sets ``OMP_NUM_THREADS`` and friends to the job's threads for script
    jobs; this makes the limit explicit (and holds however the code is run).
    """
    with threadpool_limits(limits=threads):
        pools = ", ".join(f"{pool['internal_api']} {pool['num_threads']}" for pool in threadpool_info())
        variables = ", ".join(f"{name}={os.environ.get(name, 'unset')}" for name in _VARIABLES)
        log.info("threads: %d (thread pools: %s; %s)", threads, pools or "none", variables)
        yield
