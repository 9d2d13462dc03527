from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from presswatch.search.saved import SearchesFileError, load_searches
from tasks.retry import worth_retrying
from warehouse.db import writer
from warehouse.search import SearchStep, after_ingest


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="search", cache_policy=NONE, retries=2, retry_delay_seconds=5, timeout_seconds=1800,
      retry_condition_fn=worth_retrying)
def search_after_ingest(warehouse: Path, searches: Path, flow_run_id: str) -> SearchStep:
    """Refresh the full-text index and run the saved searches (new hits into search_hits). A
    broken searches.toml is logged as an error and skips the saved searches, not the run."""
    logger = get_run_logger()
    try:
        saved = load_searches(searches)
    except SearchesFileError as exc:
        logger.error("saved searches not run: %s", exc)
        saved = []
    with writer(warehouse) as con:
        step = after_ingest(con, saved, flow_run_id)
    for line in step.lines():
        (logger.error if "FAILED" in line else logger.info)("%s", line)
    return step
