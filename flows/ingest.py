"""The ingest flow: drop folder -> articles -> extraction -> sentiment -> DuckDB."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote
from pydantic import BaseModel, Field

from flows.limits import writer_slot
from presswatch.config import Settings
from presswatch.discover.folder import Discovery
from presswatch.read.batch import warm_up_readers
from presswatch.report import RunSummary
from presswatch.timing import timed
from tasks.discover import discover_files
from tasks.extract import extract_batch, start_nlp_workers
from tasks.load import load_to_warehouse
from tasks.read import read_batch
from tasks.report import report_run


# Batches whose NLP is submitted ahead of the one being loaded: enough to keep the NLP
# workers busy while a batch is read and loaded, few enough to bound memory.
BATCHES_IN_FLIGHT = 2


class IngestParams(BaseModel):
    """Everything a run needs; defaults come from PRESSWATCH_* settings."""

    drop: Path = Field(default_factory=lambda: Settings.load().drop)
    warehouse: Path = Field(default_factory=lambda: Settings.load().warehouse)
    model: str = Field(default_factory=lambda: Settings.load().model)
    batch_size: int = Field(default_factory=lambda: Settings.load().batch_size, ge=1)
    max_file_bytes: int = Field(default_factory=lambda: Settings.load().max_file_bytes, ge=1)
    nlp_workers: int = Field(default_factory=lambda: Settings.load().nlp_workers, ge=-1)  # -1: auto
    sentiment_method: str = Field(default_factory=lambda: Settings.load().sentiment_method)
    # Served runs: take a file only if unchanged across two looks this far apart (0: one look).
    settle_seconds: float = Field(default=0.0, ge=0)
    # Runs the watcher starts: the files it saw settle, path -> (size, mtime_ns); only these are taken.
    files: dict[str, tuple[int, int]] | None = None
    # Global concurrency limit held for the whole run (empty: none); see flows/limits.py.
    writer_limit: str = Field(default_factory=lambda: Settings.load().writer_limit)

    @classmethod
    def from_settings(cls, settings: Settings) -> "IngestParams":
        return cls(drop=settings.drop, warehouse=settings.warehouse, model=settings.model,
                   batch_size=settings.batch_size, max_file_bytes=settings.max_file_bytes,
                   nlp_workers=settings.nlp_workers, sentiment_method=settings.sentiment_method)


@contextmanager
def one_shot_settings() -> Iterator[None]:
    """Prefect settings for a run started in this process, as `presswatch run` starts one.

    Against Prefect's temporary server (no PREFECT_API_URL), flow-run heartbeats are off:
    they let a server mark a run whose process died as crashed, but the temporary server dies
    with the process, so nobody could ever read them; and each run paid ~0.9 s for them
    (the heartbeat thread is joined at the end of the run). With a real server configured,
    Prefect's default stays."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _run_name() -> str:
    params = flow_run.parameters.get("params")
    drop = params.get("drop") if isinstance(params, dict) else getattr(params, "drop", "drop")
    return f"ingest {Path(str(drop)).name} {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=True)
def ingest(params: IngestParams) -> RunSummary:
    # One ingest at a time writes the warehouse (when a writer limit is set).
    with writer_slot(params.writer_limit):
        return ingest_steps(params)


@timed("flow")  # the flow body's wall time, for `presswatch bench`
def ingest_steps(params: IngestParams) -> RunSummary:
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    run_id = str(flow_run.id)

    # 1. discover: what is new in the drop folder
    found = discover_files(params.drop, params.warehouse, params.max_file_bytes,
                           settle_seconds=params.settle_seconds, handed=params.files)
    summary = start_summary(run_id, params.drop, found)

    # 2-6. parse, nlp + extract + sentiment, load: batch by batch, pipelined: the NLP of the
    # next BATCHES_IN_FLIGHT batches runs in the workers while a batch is loaded.
    if found.new:
        warm_up_readers()
        start_nlp_workers(params.model, params.nlp_workers, len(found.new))
    in_flight: deque = deque()
    batches = batched(found.new, params.batch_size)
    for i, batch in enumerate(batches):
        outcomes = read_batch(quote(batch))
        articles = [a for o in outcomes for a in o.articles]
        # nlp + extract + sentiment in one task: the NLP workers score each chunk as they go
        extracting = extract_batch.submit(quote(articles), params.model, params.nlp_workers,
                                          params.sentiment_method, last=i == len(batches) - 1)
        in_flight.append((extracting, outcomes))
        while len(in_flight) > BATCHES_IN_FLIGHT:
            load_next(params, summary, run_id, *in_flight.popleft())
    while in_flight:
        load_next(params, summary, run_id, *in_flight.popleft())

    # 7. report: pipeline_runs row and the table artifact
    return report_run(params.warehouse, summary, started_at)


def load_next(params: IngestParams, summary: RunSummary, run_id: str,
              extracting: PrefectFuture, outcomes: list) -> None:
    """Load the oldest batch in flight (loads run one at a time, in batch order). Batches go in
    quote(): Prefect would otherwise walk every object of them looking for futures."""
    entries, loaded = load_to_warehouse(params.warehouse, quote(outcomes), quote(extracting.result()),
                                        run_id, wait_for=[extracting])
    summary.add(entries, loaded)
    summary.files_moving += sum(o.moved for o in outcomes)


def start_summary(run_id: str, drop: Path, found: Discovery) -> RunSummary:
    return RunSummary(
        flow_run_id=run_id, drop=str(drop),
        files_seen=len(found.new) + len(found.known) + len(found.moving),
        files_skipped=len(found.known), files_moving=len(found.moving),
        files_ignored=len(found.ignored))


def batched(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]

