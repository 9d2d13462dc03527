"""The NLP stage on Dask workers: each worker loads the spaCy pipeline once, when it starts.

A `distributed.WorkerPlugin` (registered with `Client.register_plugin`, so a worker that the
nanny restarts after a crash gets it too) loads the model in `setup`; the extract tasks that
follow find it in `load_nlp`'s per-process cache. Workers receive Articles (plain records)
and return Extractions (plain records), never spaCy Docs. No Prefect here: flows/executors.py
owns the cluster and the task runner.
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
    """Loads `model` in the worker process once, before it runs any extract task."""

    name = PLUGIN_NAME

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker) -> None:
        # BLAS/torch threads: one per worker process, as the home pool's workers run.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        load_nlp(self.model)


def local_cluster_options(workers: int) -> dict:
    """A LocalCluster of `workers` processes on loopback, dashboard off (nothing listens
    beyond 127.0.0.1; a dashboard would need bokeh and a port)."""
    return {"n_workers": max(1, workers), "threads_per_worker": THREADS_PER_WORKER, "processes": True,
            "host": "127.0.0.1", "dashboard_address": None, "scheduler_port": 0}
