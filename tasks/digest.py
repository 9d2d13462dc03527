from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE

from presswatch.digest import DayDigest, digest_charts, render_markdown, table_rows
from presswatch.monitor.rules import SpikeRules
from warehouse.db import open_db
from warehouse.digest import read_day_digest


@task(name="digest-figures", cache_policy=NONE, retries=2, retry_delay_seconds=10,
      timeout_seconds=600, tags=["io", "duckdb-reader"])
def read_day(warehouse: Path, day: date, rules: SpikeRules | None = None) -> DayDigest:
    """The day's figures, read-only (waits politely while an ingest run writes)."""
    con = open_db(warehouse, read_only=True, timeout=300)
    try:
        return read_day_digest(con, day, rules=rules)
    finally:
        con.close()


@task(name="publish-digest", cache_policy=NONE, retries=2, retry_delay_seconds=5,
      timeout_seconds=120, tags=["io"])
def publish_digest(digest: DayDigest) -> str:
    """The markdown artifact of the day (charts inline) and its table artifact."""
    text = render_markdown(digest, digest_charts(digest))
    create_markdown_artifact(key="daily-digest", markdown=text,
                             description=f"presswatch digest for {digest.day}")
    create_table_artifact(key="daily-digest-table", table=table_rows(digest),
                          description=f"presswatch digest for {digest.day}: the figures")
    return text
