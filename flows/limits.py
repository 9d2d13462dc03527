"""One ingest run at a time: a Prefect global concurrency limit guards the DuckDB writer.

DuckDB allows one writer process per file. `presswatch serve` creates the limit (slots=1)
and its ingest runs hold it for the whole run, so a watcher-started run and a scheduled run
never overlap: the second waits, then finds the first one's files in the ledger. With no
limit name (plain `presswatch run`, possibly with no server at all) nothing is acquired.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectNotFound
from prefect.logging import get_logger

WRITER_LIMIT = "presswatch-duckdb-writer"

log = get_logger("presswatch.limits")


@contextmanager
def writer_slot(name: str | None) -> Iterator[None]:
    """Hold the one slot of the global concurrency limit `name` (no-op when name is empty).

    strict=True: a missing limit is an error, never a silent run without the guard.
    """
    if not name:
        yield
        return
    with concurrency(name, occupy=1, strict=True):
        yield


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
