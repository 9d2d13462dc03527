from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from presswatch.entities import WatchlistError, load_watchlist
from presswatch.timing import timed
from tasks.retry import worth_retrying
from warehouse.db import writer
from warehouse.entities import refresh_entities


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="entities", cache_policy=NONE, retries=2, retry_delay_seconds=5, timeout_seconds=1800,
      retry_condition_fn=worth_retrying)
@timed("entities")
def refresh_archive_entities(warehouse: Path, watchlist: Path | None) -> dict[str, int] | None:
    """Re-resolve the archive's entities and places when the run grew it a lot (the first load;
    warehouse/entities.py: rebuild_due). A broken entities.toml is logged as an error and skips
    the rebuild (without it the rebuild would undo the watchlist's decisions), not the run."""
    logger = get_run_logger()
    try:
        entries = load_watchlist(watchlist)
    except WatchlistError as exc:
        logger.error("entities not re-resolved: %s", exc)
        return None
    with writer(warehouse) as con:
        rows = refresh_entities(con, entries)
    if rows is not None:
        logger.info("entities re-resolved across the archive: %s", ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    return rows
