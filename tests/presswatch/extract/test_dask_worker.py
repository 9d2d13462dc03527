"""DaskPool: the Dask client in the home pool's place (presswatch/extract/dask_worker.py)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.slow  # a real Dask scheduler (in-process, workers as threads here)


def test_dask_pool_counts_the_cluster_threads_and_runs_chunks_unhashed():
    from distributed import Client, LocalCluster

    from presswatch.extract.dask_worker import DaskPool, process_cpu_seconds

    # processes=False: an in-process scheduler over inproc://, no socket at all
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pool = DaskPool(client)
        assert pool.workers() == 2
        same = [pool.submit(len, [1, 2, 3]) for _ in range(2)]
        # pure=False: two identical chunks are two tasks, not one deduplicated by Dask's hash
        assert same[0].key != same[1].key
        assert [f.result() for f in same] == [3, 3]
        cpu = pool.submit(process_cpu_seconds).result()
    t = os.times()
    assert 0 < cpu <= t.user + t.system + 1  # this process's CPU (the workers are threads here)
