"""Provenance: every result records, and the summary shows, the BLAS kernel and threads that ran
(threadpoolctl's view), beside the versions, commit and CPU."""
import json

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from study.confirmation import verdicts_table
from study.provenance import THREAD_POOL_KEYS, provenance, thread_pools, thread_pools_text
from study.results import document
from study.summary import summary_html, summary_markdown


def test_provenance_records_threadpoolctls_view_of_each_library():
    np.ones((4, 4)) @ np.ones((4, 4))  # NumPy's BLAS is loaded
    with threadpool_limits(limits=1):
        recorded = provenance()["thread_pools"]
        seen = [{key: pool.get(key) for key in THREAD_POOL_KEYS} for pool in threadpool_info()]
    assert sorted(map(str, recorded)) == sorted(map(str, seen))
    # In one order whatever the order of loading (a rerun of a job records the same bytes).
    assert recorded == sorted(recorded, key=lambda pool: [str(pool[key]) for key in THREAD_POOL_KEYS])
    blas = [pool for pool in recorded if pool["internal_api"] in ("openblas", "mkl", "blis")]
    assert blas and all(pool["version"] and pool["num_threads"] == 1 for pool in blas)
    # OpenBLAS names its kernel (the README's "default OpenBLAS kernel"; .ci/run's Katmai).
    assert all(pool["architecture"] for pool in blas if pool["internal_api"] == "openblas")


def test_a_result_document_carries_it_as_json():
    doc = json.loads(json.dumps(document("kmeans", "digits", "pca2", {}, {}, [])))
    assert doc["provenance"]["thread_pools"] == thread_pools()


def test_the_kernel_and_threads_read_in_a_sentence():
    pools = [{"internal_api": "openblas", "version": "0.3.31", "architecture": "Katmai", "num_threads": 1},
             {"internal_api": "openmp", "version": None, "architecture": None, "num_threads": 2}]
    assert thread_pools_text(pools) == "openblas 0.3.31 (Katmai kernel, 1 thread), openmp (2 threads)"
    assert thread_pools_text([]) == "none loaded"


def test_the_summary_shows_the_kernel_it_was_made_with(fake_tables):
    tables = {"kmeans": fake_tables["kmeans"]}
    shown = thread_pools_text(thread_pools())
    last = summary_markdown(tables, ["digits"], verdicts_table([])).strip().splitlines()[-1]
    assert last.startswith("Made with ") and last.endswith(f"BLAS and OpenMP: {shown}.")
    assert all(f"{pool['architecture']} kernel" in last for pool in thread_pools() if pool["architecture"])
    assert f"BLAS and OpenMP: {shown}." in summary_html(tables, ["digits"], verdicts_table([]))
