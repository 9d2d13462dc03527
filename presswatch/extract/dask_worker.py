"""The NLP stage on Dask workers: each worker loads the spaCy pipeline once, when it starts.

A `distributed.WorkerPlugin` (registered with `Client.register_plugin`, so a worker that the
nanny restarts after a crash gets it too) loads the model in `setup`; the chunks that follow
find it in `load_nlp`'s per-process cache. Workers receive Articles (plain records) and return
Extractions (one Arrow IPC stream per chunk, presswatch/extract/wire.py), never spaCy Docs.

`DaskPool` puts the Dask client where the local pool's would be: extract_all cuts the batch into
the same chunks and sends the same pure function, as plain Dask tasks. No Prefect here (and no
Prefect task engine in the workers, docs/decisions.md): flows/executors.py owns the cluster.
"""

from __future__ import annotations

import logging
import os

from distributed import WorkerPlugin

from presswatch.extract.pipeline import load_lookups, load_nlp

PLUGIN_NAME = "presswatch-nlp"
# Dask's periodic bookkeeping, at its defaults, cost a 2-worker LocalCluster 0.12 CPU s per
# second when idle (0.02 with these; measured, docs/decisions.md 2026-12-02): the profiler
# sampling every thread each 10 ms, a 20 ms event-loop tick, 100 ms memory polls, stealing.
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,  # nobody reads the profiles (no dashboard)
    "distributed.admin.tick.interval": "1s",  # only detects a blocked event loop, to log it
    "distributed.admin.tick.limit": "60s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",  # the memory limit is still enforced
    "distributed.scheduler.work-stealing": False,  # queued tasks go to the free worker anyway
}
# One thread per worker process: spaCy's nlp.pipe is CPU-bound and holds the GIL, so a
# second thread would only contend; parallelism comes from worker processes.
THREADS_PER_WORKER = 1


class NLPWorkerPlugin(WorkerPlugin):
    """Loads `model` (and the sentiment scorers) in the worker process once, before any chunk."""

    name = PLUGIN_NAME

    def __init__(self, model: str, quiet: bool = False) -> None:
        self.model, self.quiet = model, quiet

    def setup(self, worker) -> None:
        if self.quiet:  # the local pool's workers share the run's stderr (see quiet_dask_logs)
            quiet_dask_logs()
        # BLAS/torch threads: one per worker process, as in the local pool.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        load_nlp(self.model)
        load_lookups()  # built once in the fork server for forked workers; here for a remote cluster's
        from presswatch.extract import wire  # noqa: F401 - pyarrow, once, before the first chunk
        from presswatch.sentiment import score as sentiment

        sentiment.load_scorers()  # as the fork server does (presswatch/extract/preload.py)


class DaskPool:
    """A Dask client with the local pool's `submit(fn, *args)`: extract_all's `pool`."""

    def __init__(self, client) -> None:
        self.client = client

    def workers(self) -> int:
        """Threads across the cluster's workers now (one per worker process here): the chunking."""
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, *args):
        # pure=False: Dask would otherwise hash every article of the chunk to name the task.
        return self.client.submit(fn, *args, pure=False)


class LocalPool(DaskPool):
    """The local mode's NLP workers (issue 20): a LocalCluster this process owns, in the place
    of the home-made process pool it replaced (measured on BBC: docs/decisions.md, 2026-12-02).

    Its worker processes fork from `start_method`'s server, which has spaCy, the model and the
    sentiment scorers loaded (presswatch/extract/preload.py); Dask's own pipe ends them when
    this process ends, even by SIGKILL, and its nanny restarts one that dies, whose chunk the
    scheduler gives to a live worker."""

    def __init__(self, model: str, workers: int, start_method: str) -> None:
        import dask
        from distributed import Client, LocalCluster

        quiet_dask_logs()
        # Set for the process, not for a block: a nanny reads the start method again when it
        # restarts a dead worker.
        dask.config.set({**DASK_CONFIG, "distributed.worker.multiprocessing-method": start_method})
        # The workers fork from a server started earlier; they get this process's settings now.
        settings = {k: v for k, v in os.environ.items() if k.startswith("PRESSWATCH_")}
        self.cluster = LocalCluster(**local_cluster_options(workers), env=settings)
        try:
            client = Client(self.cluster)
            client.register_plugin(NLPWorkerPlugin(model, quiet=True), name=NLPWorkerPlugin.name)
        except BaseException:
            self.cluster.close()
            raise
        super().__init__(client)

    def pids(self) -> list[int]:
        """The worker processes' PIDs (for CPU and memory accounting)."""
        return sorted(self.client.run(os.getpid).values())

    def shutdown(self) -> None:
        try:
            self.client.close()
        finally:
            self.cluster.close()


def quiet_dask_logs() -> None:
    """Dask's loggers at WARNING in this process: at its default INFO a local run's stderr got
    every worker start and, at shutdown, 'Batched Comm Closed' with a traceback, which read as
    a failure. Warnings and errors (a worker restarted, a failed write) still print."""
    logging.getLogger("distributed").setLevel(logging.WARNING)
    worker_log = logging.getLogger("distributed.worker")
    if not any(isinstance(f, ClosedHeartbeat) for f in worker_log.filters):
        worker_log.addFilter(ClosedHeartbeat())


class ClosedHeartbeat(logging.Filter):
    """Drops a worker's 'Failed to communicate with scheduler during heartbeat' when the comm
    was closed: the cluster closing (its scheduler first) while a heartbeat is in flight, which
    printed a traceback after a run that succeeded (seen once in ~1,600 tests). Dask carries on
    after it either way; a scheduler lost mid-run fails the run's own tasks, which say so."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith("Failed to communicate with scheduler during heartbeat"):
            return True
        from distributed.comm.core import CommClosedError

        return not (record.exc_info and isinstance(record.exc_info[1], CommClosedError))


def process_cpu_seconds() -> float:
    """CPU seconds of this (worker) process so far."""
    t = os.times()
    return t.user + t.system


def local_cluster_options(workers: int) -> dict:
    """A LocalCluster of `workers` processes on loopback: nothing listens beyond 127.0.0.1.
    The scheduler's HTTP routes (no dashboard: bokeh is not installed) take a free port; with
    no address Dask asks for 8787 and warns on stderr when another cluster holds it."""
    return {"n_workers": max(1, workers), "threads_per_worker": THREADS_PER_WORKER, "processes": True,
            "host": "127.0.0.1", "dashboard_address": "127.0.0.1:0", "scheduler_port": 0}
