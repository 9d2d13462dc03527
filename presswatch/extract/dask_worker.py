"""The NLP stage on Dask workers: each worker loads the spaCy pipeline once, when it starts.

A `distributed.WorkerPlugin` (registered with `Client.register_plugin`, so a worker that the
nanny restarts after a crash gets it too) loads the model in `setup`; the chunks that follow
find it in `load_nlp`'s per-process cache. Workers receive Articles (plain records) and return
Extractions (pickled one by one, as the home pool's workers do), never spaCy Docs.

`DaskPool` puts the Dask client where the home pool would be: extract_all cuts the batch into
the same chunks and sends the same pure function, as plain Dask tasks. No Prefect here (and no
Prefect task engine in the workers, docs/decisions.md): flows/executors.py owns the cluster.
"""

from __future__ import annotations

import os

from distributed import WorkerPlugin

from presswatch.extract.pipeline import load_nlp

PLUGIN_NAME = "presswatch-nlp"
# One thread per worker process: spaCy's nlp.pipe is CPU-bound and holds the GIL, so a
# second thread would only contend; parallelism comes from worker processes.
THREADS_PER_WORKER = 1


class NLPWorkerPlugin(WorkerPlugin):
    """Loads `model` (and the sentiment scorers) in the worker process once, before any chunk."""

    name = PLUGIN_NAME

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker) -> None:
        # BLAS/torch threads: one per worker process, as the home pool's workers run.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        load_nlp(self.model)
        from presswatch.sentiment import score as sentiment

        sentiment.load_scorers()  # as the home pool's fork server does (presswatch/extract/preload.py)


class DaskPool:
    """A Dask client with the home pool's `submit(fn, *args)`: extract_all's `pool`."""

    def __init__(self, client) -> None:
        self.client = client

    def workers(self) -> int:
        """Threads across the cluster's workers now (one per worker process here): the chunking."""
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, *args):
        # pure=False: Dask would otherwise hash every article of the chunk to name the task.
        return self.client.submit(fn, *args, pure=False)


def process_cpu_seconds() -> float:
    """CPU seconds of this (worker) process so far."""
    t = os.times()
    return t.user + t.system


def local_cluster_options(workers: int) -> dict:
    """A LocalCluster of `workers` processes on loopback, dashboard off (nothing listens
    beyond 127.0.0.1; a dashboard would need bokeh and a port)."""
    return {"n_workers": max(1, workers), "threads_per_worker": THREADS_PER_WORKER, "processes": True,
            "host": "127.0.0.1", "dashboard_address": None, "scheduler_port": 0}
