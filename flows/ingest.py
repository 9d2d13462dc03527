"""The ingest flow: drop folder -> articles -> extraction -> sentiment -> DuckDB."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows.executors import Extracting, LocalExecutor, extract_executor
from flows.limits import writer_slot
from flows.params import IngestParams
from flows.progress import RunProgress
from presswatch.discover.folder import Discovery, FileRef
from presswatch.read.batch import FileOutcome
from presswatch.report import RunSummary
from presswatch.timing import stage, timed
from tasks.alerts import raise_alerts, spike_rules
from tasks.discover import discover_files
from tasks.entities import refresh_archive_entities
from tasks.extract import warm_up
from tasks.load import load_to_warehouse
from tasks.read import read_batch
from tasks.report import report_run
from tasks.search import search_after_ingest
from warehouse import dedup
from warehouse.db import check_warehouse, checkpoint_warehouse


__all__ = ["IngestParams", "ingest", "one_shot_settings"]

# Batches whose NLP is submitted ahead of the one being loaded: enough to keep the NLP
# workers busy while a batch is read and loaded, few enough to bound memory.
BATCHES_IN_FLIGHT = 2
# The run's last files form a batch of their own: only its load is left once the NLP workers
# finish (the batch before loads while it parses), not the load of a whole batch (see batched).
TAIL_FILES = 32


@contextmanager
def long_lived_frozen(gen0_threshold: int = 10_000) -> Iterator[None]:
    """The batches with what was imported and built before them out of the cyclic GC's walks,
    and young collections 14x rarer: a BBC run's main-process GC CPU 2.3 -> ~1.0 s (docs/performance.md,
    session 9). Restored after, so a long-lived process (tests, `serve`) keeps Python's defaults."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(gen0_threshold, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextmanager
def one_shot_settings() -> Iterator[None]:
    """Prefect settings for a run started in this process, as `presswatch run` starts one.

    Against Prefect's temporary server (no PREFECT_API_URL) flow-run heartbeats are off: the
    server dies with the process, so nobody could read them, and the heartbeat thread's join
    costs every run wall time (docs/performance.md). With a real server, Prefect's default stays."""
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
    check_warehouse(params.warehouse)  # a foreign, newer or unwritable target: refused before any work
    dedup.detector(params.wire_agencies)  # a bad wire agencies file: refused before any work, in one line

    # 1. discover: what is new in the drop folder
    found = discover_files(params.drop, params.warehouse, params.max_file_bytes,
                           settle_seconds=params.settle_seconds, handed=params.files)
    summary = start_summary(run_id, params.drop, found)

    # before the batches: load the readers' language identifier and start the NLP workers
    if found.new:  # on Dask, the workers' plugin loads the model: no local pool to start
        warm_up(params.model, params.nlp_workers if params.executor == "local" else 0, len(found.new))

    # 2-6. read, extract (nlp + extraction + sentiment), load: batch by batch, pipelined
    batches = batched(found.new, params.batch_size)
    progress = RunProgress(len(found.new), len(batches), str(params.drop)) if found.new else None
    with extract_executor(params) as executor, long_lived_frozen():  # the pool, or Dask (flows/executors.py)
        pipeline_batches(params, summary, run_id, batches, progress, executor)
    if found.new:
        # 6a. the loads' commits folded into the file before the stages that open it after them
        # (entities, report, search, alerts): each open replays the WAL, and at 1M articles a replay
        # touches every key index the loads wrote (~0.1 s an open; docs/performance.md, session 40)
        with stage("checkpoint"):
            checkpoint_warehouse(params.warehouse)
        # 6b. a run that grew the archive a lot re-resolves its entities and places (issue 13)
        refresh_archive_entities(params.warehouse, params.entities)

    # 7. report: pipeline_runs row and the table artifact
    result = report_run(params.warehouse, summary, started_at)
    search_after_ingest(params.warehouse, params.searches, run_id)  # the search index, saved searches' hits
    raise_alerts(params.warehouse, run_id, spike_rules(params))  # 8. alerts: new spikes and matches as events
    # 9. what the stages after 6a wrote (a pipeline_runs row, alerts, entity refreshes) folded in
    # too: each of the next run's seven opens (check, discover, load, entities, report, search,
    # alerts) would replay it (docs/performance.md, session 17)
    with stage("checkpoint"):
        checkpoint_warehouse(params.warehouse)
    return result


def pipeline_batches(params: IngestParams, summary: RunSummary, run_id: str,
                     batches: list[list[FileRef]], progress: RunProgress | None = None,
                     executor=None) -> None:
    """Read each batch, submit its extract task, and load the batches in order: the extract
    of up to BATCHES_IN_FLIGHT batches runs in the NLP workers while the oldest one loads.
    executor: where extract runs (flows/executors.py; default: the local pool)."""
    executor = executor or LocalExecutor(params)
    in_flight: deque[tuple[Extracting, list[FileOutcome]]] = deque()
    for i, batch in enumerate(batches):
        outcomes = read_batch(quote(batch), params.max_file_bytes)
        articles = [a for o in outcomes for a in o.articles]
        extracting = executor.submit(articles, last=i == len(batches) - 1)
        in_flight.append((extracting, outcomes))
        while len(in_flight) > BATCHES_IN_FLIGHT:
            load_next(params, summary, run_id, *in_flight.popleft(), progress=progress)
    while in_flight:
        load_next(params, summary, run_id, *in_flight.popleft(), progress=progress)


def load_next(params: IngestParams, summary: RunSummary, run_id: str,
              extracting: Extracting, outcomes: list[FileOutcome],
              progress: RunProgress | None = None) -> None:
    """Load the oldest batch in flight (loads run one at a time, in batch order). Batches go in
    quote(): Prefect would otherwise walk every object of them looking for futures."""
    entries, loaded = load_to_warehouse(params.warehouse, quote(outcomes), quote(extracting.result()),
                                        run_id, params.wire_agencies, wait_for=extracting.futures)
    summary.add(entries, loaded)
    summary.files_moving += sum(o.moved for o in outcomes)
    if progress is not None:  # the UI's progress artifact and `presswatch run`'s bar
        progress.batch_loaded(len(outcomes), loaded)


def start_summary(run_id: str, drop: Path, found: Discovery) -> RunSummary:
    return RunSummary(
        flow_run_id=run_id, drop=str(drop),
        files_seen=len(found.new) + len(found.known) + len(found.moving),
        files_skipped=len(found.known), files_moving=len(found.moving),
        files_ignored=len(found.ignored), folder_links=len(found.folder_links))


def batched(items: list, size: int, tail: int = TAIL_FILES) -> list[list]:
    """Batches of `size`; the last one's final `tail` items split off when it holds over twice
    that, so the load left after the NLP ends is small (~0.3 CPU s for 32 BBC files against
    ~1.5 for 225)."""
    out = [items[i:i + size] for i in range(0, len(items), size)]
    if out and tail > 0 and len(out[-1]) > 2 * tail:
        last = out.pop()
        out += [last[:-tail], last[-tail:]]
    return out
