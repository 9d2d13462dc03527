"""The DuckLake maintenance task: merge small files, expire old snapshots, delete unread files."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from tasks.retry import worth_retrying
from warehouse.db import writer
from warehouse.lake import Maintenance, maintain


@task(name="maintain", cache_policy=NONE, retries=2, retry_delay_seconds=[30, 300],
      retry_condition_fn=worth_retrying, timeout_seconds=3600)
def maintain_lake(warehouse: str, keep_days: float) -> Maintenance:
    """One pass under the writer (a load's transaction conflicting with it retries; so does this)."""
    with writer(warehouse) as con:
        return maintain(con, keep_days)
