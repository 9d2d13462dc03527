"""Where the extract stage runs: `local` (the home NLP worker pool) or `dask` (a Dask cluster).

PRESSWATCH_EXECUTOR=dask sends each batch's extract to Dask through prefect-dask's
DaskTaskRunner: a cluster at PRESSWATCH_DASK_ADDRESS, or a LocalCluster of nlp_workers processes
started for the run (loopback, no dashboard). The batch stays one Prefect task (in the flow's
process, as in local mode); it cuts the batch into the local pool's chunks and sends them to the
runner's Dask client as plain Dask tasks (DaskPool), run by each worker with the model the
NLPWorkerPlugin loaded when the worker started. Not one Prefect task per chunk: in a worker the
Prefect task engine cost more CPU than the NLP (docs/decisions.md, 2026-12-02). Only extract
goes to Dask: read and load stay in the flow's process, and loads stay serialized there (and by
the writer slot across machines).

A worker that dies mid-chunk is rescheduled by Dask on another worker (the chunk is pure: it
writes nothing), so the load still sees one Extraction per article, once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote

from flows.params import IngestParams
from presswatch import timing
from presswatch.extract.workers import start_fork_server
from presswatch.records import Article, Extraction
from tasks.extract import extract_batch

DASK_WORKERS_CLOCK = "dask-workers"  # the LocalCluster's worker processes, whole life (CPU only)
LOCAL_CLUSTER_WORKERS = 2  # nlp_workers auto (or 0/1) on a LocalCluster: the local pool's auto


@dataclass
class Extracting:
    """One batch's extract in flight: its extract task's future."""

    futures: list[PrefectFuture] = field(default_factory=list)

    def result(self) -> list[Extraction]:
        return [ex for f in self.futures for ex in f.result()]


class LocalExecutor:
    """The local pool (presswatch/extract/workers.py), through the flow's own task runner."""

    def __init__(self, params: IngestParams) -> None:
        self.params = params

    def submit(self, articles: list[Article], last: bool) -> Extracting:
        p = self.params
        return Extracting([extract_batch.submit(quote(articles), p.model, p.nlp_workers,
                                                p.sentiment_method, last=last)])


class DaskExecutor:
    """The batch's extract task, its chunks on the DaskTaskRunner's workers (which hold the model)."""

    def __init__(self, params: IngestParams, runner) -> None:
        from presswatch.extract.dask_worker import DaskPool

        self.params, self.pool = params, DaskPool(runner.client)

    def submit(self, articles: list[Article], last: bool) -> Extracting:
        p = self.params
        return Extracting([extract_batch.submit(quote(articles), p.model, p.nlp_workers, p.sentiment_method,
                                                last=last, pool=quote(self.pool))])


def cluster_workers(nlp_workers: int) -> int:
    return nlp_workers if nlp_workers > 1 else LOCAL_CLUSTER_WORKERS


def dask_runner(params: IngestParams):
    """The DaskTaskRunner of a run: the scheduler at dask_address, or a LocalCluster."""
    from prefect_dask import DaskTaskRunner

    from presswatch.extract.dask_worker import local_cluster_options

    if params.dask_address:
        return DaskTaskRunner(address=params.dask_address)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs=local_cluster_options(cluster_workers(params.nlp_workers)))


@contextmanager
def extract_executor(params: IngestParams) -> Iterator[LocalExecutor | DaskExecutor]:
    """The run's executor; a LocalCluster started here is closed on the way out."""
    if params.executor != "dask":
        yield LocalExecutor(params)
        return
    # Imported here: a local run never pays for importing dask and distributed (~0.6 CPU s).
    import dask

    from presswatch.extract.dask_worker import DASK_CONFIG, NLPWorkerPlugin, process_cpu_seconds, quiet_dask_logs

    quiet_dask_logs()  # the run's stderr: no INFO logs, no shutdown tracebacks from a LocalCluster here

    # Dask's worker processes must not each start a BLAS/torch thread per core.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    config = dict(DASK_CONFIG)
    # A LocalCluster's workers fork from the local pool's fork server, which has spaCy, the model
    # and the sentiment scorers loaded once (as `presswatch run` starts it before the flow):
    # spawned, each worker imported and loaded them itself, on the cores the run needs.
    forked = not params.dask_address and start_fork_server(params.model, cluster_workers(params.nlp_workers), 10**9)
    if forked:
        config["distributed.worker.multiprocessing-method"] = "forkserver"
    with dask.config.set(config), dask_runner(params) as runner:
        # Every worker, present and future (a restarted one too), loads the model once.
        runner.client.register_plugin(NLPWorkerPlugin(params.model, quiet=not params.dask_address),
                                      name=NLPWorkerPlugin.name)
        yield DaskExecutor(params, runner)
        if forked:  # children of the fork server, not of this process: their CPU, for the bench
            cpu = runner.client.run(process_cpu_seconds)  # (after a clean run only: never masks an error)
            timing.add(DASK_WORKERS_CLOCK, 0.0, sum(cpu.values()), len(cpu))
