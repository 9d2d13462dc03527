"""Where the extract stage runs: `local` (the home NLP worker pool) or `dask` (a Dask cluster).

PRESSWATCH_EXECUTOR=dask sends each batch's extract to Dask through prefect-dask's
DaskTaskRunner: a cluster at PRESSWATCH_DASK_ADDRESS, or a LocalCluster of nlp_workers processes
started for the run (loopback, no dashboard). The batch is cut into chunks, one Prefect task
each, so the workers share it evenly; each worker runs its chunk in-process with the model the
NLPWorkerPlugin loaded when the worker started. Only extract goes to Dask: read and load stay in
the flow's process, and loads stay serialized there (and by the writer slot across machines).

A worker that dies mid-chunk is rescheduled by Dask on another worker (the task is pure: it
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
from presswatch.extract.dask_worker import NLPWorkerPlugin, local_cluster_options
from presswatch.records import Article, Extraction
from tasks.extract import extract_batch

# Articles per Dask task: enough for nlp.pipe to batch well and for the Prefect task's own cost
# (~10 ms) to vanish, few enough that two workers finish a 500-article batch together.
DASK_CHUNK_ARTICLES = 64
LOCAL_CLUSTER_WORKERS = 2  # nlp_workers auto (or 0/1) on a LocalCluster: the home pool's auto


@dataclass
class Extracting:
    """One batch's extract in flight: one future (local) or one per chunk (dask), in order."""

    futures: list[PrefectFuture] = field(default_factory=list)

    def result(self) -> list[Extraction]:
        return [ex for f in self.futures for ex in f.result()]


class LocalExecutor:
    """The home pool (presswatch/extract/workers.py), through the flow's own task runner."""

    def __init__(self, params: IngestParams) -> None:
        self.params = params

    def submit(self, articles: list[Article], last: bool) -> Extracting:
        p = self.params
        return Extracting([extract_batch.submit(quote(articles), p.model, p.nlp_workers,
                                                p.sentiment_method, last=last)])


class DaskExecutor:
    """Chunks of the batch as extract tasks on a DaskTaskRunner whose workers hold the model."""

    def __init__(self, params: IngestParams, runner) -> None:
        self.params, self.runner = params, runner

    def submit(self, articles: list[Article], last: bool) -> Extracting:
        p = self.params
        # workers=0: in the Dask worker's own process (the plugin loaded the model there). No
        # quote(): prefect-dask's future walk would turn it into a bare tuple; a chunk is small.
        return Extracting([self.runner.submit(extract_batch, {
            "articles": articles[i:i + DASK_CHUNK_ARTICLES], "model": p.model, "workers": 0,
            "sentiment_method": p.sentiment_method, "last": False})
            for i in range(0, len(articles), DASK_CHUNK_ARTICLES)])


def cluster_workers(nlp_workers: int) -> int:
    return nlp_workers if nlp_workers > 1 else LOCAL_CLUSTER_WORKERS


def dask_runner(params: IngestParams):
    """The DaskTaskRunner of a run: the scheduler at dask_address, or a LocalCluster."""
    from prefect_dask import DaskTaskRunner

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
    # Dask's worker processes must not each start a BLAS/torch thread per core.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with dask_runner(params) as runner:
        # Every worker, present and future (a restarted one too), loads the model once.
        runner.client.register_plugin(NLPWorkerPlugin(params.model), name=NLPWorkerPlugin.name)
        yield DaskExecutor(params, runner)
