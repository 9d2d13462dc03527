"""One ingest run at a time: a Prefect global concurrency limit guards the DuckDB writer.

DuckDB allows one writer process per file. `presswatch serve` creates the limit (slots=1)
and its ingest runs hold it for the whole run, so a watcher-started run and a scheduled run
never overlap: the second waits, then finds the first one's files in the ledger. With no
limit name (plain `presswatch run`, possibly with no server at all) nothing is acquired.

The slot is a lease (Prefect 3.8's lease-based limits): renewed while the run lives, taken
back by the server's repossessor LEASE_SECONDS after its process died. A run labels itself
with its process and its lease, so `presswatch serve` can tell a dead holder from a live one
on restart (flows/heal.py) and a waiting run can name who holds the slot.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from prefect import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
from prefect.client.schemas.objects import ConcurrencyLeaseHolder, FlowRun, StateType
from prefect.concurrency._asyncio import AcquireConcurrencySlotTimeoutError
from prefect.concurrency._leases import maintain_concurrency_lease
from prefect.concurrency._sync import acquire_concurrency_slots_with_lease, release_concurrency_slots_with_lease
from prefect.exceptions import ObjectNotFound
from prefect.logging import get_logger

from presswatch.lifetime import process_alive, this_process

WRITER_LIMIT = "presswatch-duckdb-writer"
# A dead holder's slot returns this long after its last renewal (renewed every 3/4 of it).
LEASE_SECONDS = 60.0
# A run waits this long for the slot, saying who holds it every WAIT_REPORT_SECONDS, then fails.
WAIT_SECONDS = 3600.0
WAIT_REPORT_SECONDS = 30.0

# Flow-run labels: the limit a run holds or waits for, its process, its lease once granted.
LABEL_LIMIT = "presswatch.writer"
LABEL_PROCESS = "presswatch.process"
LABEL_LEASE = "presswatch.writer.lease"
LIVE_STATES = [StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]

log = get_logger("presswatch.limits")


class WriterSlotTimeout(TimeoutError):
    """The writer slot stayed taken for the whole wait."""


@contextmanager
def writer_slot(name: str | None, *, wait_seconds: float = WAIT_SECONDS,
                report_seconds: float = WAIT_REPORT_SECONDS) -> Iterator[None]:
    """Hold the one slot of the global concurrency limit `name` (no-op when name is empty).

    strict: a missing limit is an error, never a silent run without the guard. The slot is
    released on any exit, a SIGTERM's or Ctrl-C's included (they unwind through here)."""
    if not name:
        yield
        return
    run_id = _flow_run_id()
    _label(run_id, {LABEL_LIMIT: name, LABEL_PROCESS: this_process()})
    lease_id = _acquire(name, run_id, wait_seconds, report_seconds)
    try:
        _label(run_id, {LABEL_LEASE: str(lease_id)})
        with maintain_concurrency_lease(lease_id, LEASE_SECONDS, raise_on_lease_renewal_failure=True):
            yield
    finally:
        release_concurrency_slots_with_lease(lease_id)


def _acquire(name: str, run_id: UUID | None, wait_seconds: float, report_seconds: float) -> UUID:
    holder = ConcurrencyLeaseHolder(type="flow_run", id=run_id) if run_id else None
    started = time.monotonic()
    while True:
        waited = time.monotonic() - started
        step = max(0.1, min(report_seconds, wait_seconds - waited))
        try:
            return acquire_concurrency_slots_with_lease(
                [name], 1, timeout_seconds=step, lease_duration=LEASE_SECONDS, strict=True,
                holder=holder).lease_id
        except AcquireConcurrencySlotTimeoutError:
            waited = time.monotonic() - started
            who = describe_holders(name, exclude=run_id)
            if waited >= wait_seconds:
                raise WriterSlotTimeout(
                    f"gave up after {waited:.0f} s waiting for the writer slot {name!r}, held by {who}. "
                    "If that run's process is gone, restart `presswatch serve`: it marks such runs "
                    "Crashed and frees their slots.") from None
            log.warning("waiting for the writer slot %r for %.0f s: held by %s (gives up after %.0f s)",
                        name, waited, who, wait_seconds)


def describe_holders(name: str, exclude: UUID | None = None) -> str:
    """Who holds the slot, for a log line: the flow runs labelled with a lease on it."""
    try:
        with get_client(sync_client=True) as client:
            runs = [r for r in live_runs(client) if r.id != exclude
                    and r.labels.get(LABEL_LIMIT) == name and r.labels.get(LABEL_LEASE)]
    except Exception as exc:  # noqa: BLE001 - a log line must never fail the wait
        return f"(unknown: {type(exc).__name__})"
    if not runs:
        return "no flow run known to this server (a slot of a dead process, or of another server's run)"
    return ", ".join(f"flow run {r.name!r} ({r.id}, {r.state_name}, process "
                     f"{r.labels.get(LABEL_PROCESS) or r.infrastructure_pid or 'unknown'})" for r in runs)


def live_runs(client) -> list[FlowRun]:
    """Flow runs the server has in a state that a live process should be behind."""
    return client.read_flow_runs(
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=LIVE_STATES))),
        limit=200)


def run_alive(run: FlowRun) -> bool | None:
    """Is a process still behind this run? None: cannot tell (another host, no record)."""
    alive = process_alive(run.labels.get(LABEL_PROCESS))
    if alive is None and run.infrastructure_pid:  # set by the runner that started the process
        started = (run.start_time or run.created)
        alive = process_alive(run.infrastructure_pid,
                              started_before=started.timestamp() if started else None)
    return alive


def _flow_run_id() -> UUID | None:
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    return ctx.flow_run.id if ctx and ctx.flow_run else None


def _label(run_id: UUID | None, labels: dict[str, str]) -> None:
    if run_id is None:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run_labels(run_id, labels)


def ensure_writer_limit(name: str = WRITER_LIMIT) -> str:
    """Create the limit with one slot if it is missing (or fix it to one active slot)."""
    with get_client(sync_client=True) as client:
        try:
            limit = client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
            log.info("created global concurrency limit %r (1 slot) for the DuckDB writer", name)
            return "created"
        if limit.limit != 1 or not limit.active:
            client.update_global_concurrency_limit(
                name, GlobalConcurrencyLimitUpdate(limit=1, active=True))
            log.warning("global concurrency limit %r set back to 1 active slot (DuckDB has one writer)", name)
            return "updated"
        return "exists"
