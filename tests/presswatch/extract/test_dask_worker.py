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


def test_the_local_pool_reruns_the_chunk_of_a_worker_killed_mid_chunk(tmp_path, monkeypatch):
    """The local mode's LocalCluster (workers forked from the fork server): both workers pause
    inside their first chunk, one is SIGKILLed there, then they are released; the batch still
    comes back whole and equal to an in-process extraction."""
    import signal
    import threading
    import time

    import psutil

    from presswatch.extract import workers as runner
    from tests.presswatch.extract.test_workers import MODEL, _articles

    articles = _articles() * 2  # 6 distinct (copies are parsed once): a chunk on each worker
    marker, release = tmp_path / "paused", tmp_path / "release"
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_AT", "extract-chunk")
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_MARKER", str(marker))
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_RELEASE", str(release))
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_SECONDS", "120")
    killed: list[int] = []

    def kill_one_paused_worker(pids: set[int]) -> None:
        deadline = time.monotonic() + 180
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if marker.exists():
            pid = int(marker.read_text().split("pid")[1])
            if pid in pids:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        release.touch()

    runner.shutdown_pool()
    runner._recent.clear()
    try:
        pool = runner._get_pool(MODEL, 2)
        before = set(pool.pids())
        me = psutil.Process()
        listening = {c.laddr.ip for p in [me, *me.children(recursive=True)]
                     for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
        assert listening == {"127.0.0.1"}  # the scheduler, its HTTP routes, the workers: loopback only
        killer = threading.Thread(target=kill_one_paused_worker, args=(before,), daemon=True)
        killer.start()
        pooled = runner.extract_all(articles, model=MODEL, workers=2, sentiment_method="model")
        killer.join(timeout=30)
        assert killed, "no worker reached the pause point"
        assert killed[0] not in set(pool.pids())  # it died; the nanny started another
    finally:
        runner.shutdown_pool()
    monkeypatch.delenv("PRESSWATCH_TEST_PAUSE_AT")
    runner._recent.clear()
    local = runner.extract_all(articles, model=MODEL, workers=0, sentiment_method="model")
    runner._recent.clear()  # later tests must parse these articles again
    assert len(pooled) == len(articles) and all(x.error is None for x in pooled)
    assert pooled == local


def test_a_heartbeat_on_a_closed_comm_is_not_printed(caplog):
    import logging

    from distributed.comm.core import CommClosedError

    from presswatch.extract.dask_worker import ClosedHeartbeat, quiet_dask_logs

    quiet_dask_logs()
    quiet_dask_logs()  # once more: still one filter
    log = logging.getLogger("distributed.worker")
    assert sum(isinstance(f, ClosedHeartbeat) for f in log.filters) == 1
    message = "Failed to communicate with scheduler during heartbeat."
    with caplog.at_level(logging.WARNING, logger="distributed.worker"):
        for exc in (CommClosedError("in <TCP (closed)>: Stream is closed"), ConnectionRefusedError("refused")):
            try:
                raise exc
            except OSError:
                log.exception(message)
        log.error("Unexpected exception during heartbeat. Closing worker.")
    # the cluster closing under a heartbeat: dropped; a refused connection and other errors still print
    assert [(r.getMessage(), type(r.exc_info[1]).__name__ if r.exc_info else None) for r in caplog.records] == [
        (message, "ConnectionRefusedError"), ("Unexpected exception during heartbeat. Closing worker.", None)]
