from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE

from presswatch import __version__ as PIPELINE_VERSION
from presswatch.report import RunSummary
from presswatch.text import markdown
from tasks.retry import worth_retrying
from presswatch.timing import timed
from warehouse.db import writer
from warehouse.leaders import top_entities
from warehouse.load import record_run


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="report", cache_policy=NONE, retries=2, retry_delay_seconds=5, timeout_seconds=300,
      retry_condition_fn=worth_retrying)
@timed("report")
def report_run(warehouse: Path, summary: RunSummary, started_at: datetime) -> RunSummary:
    """Record the run in pipeline_runs and publish its table artifact."""
    finished = datetime.now(timezone.utc).replace(tzinfo=None)
    with writer(warehouse) as con:
        record_run(con, summary.run_row("ingest", started_at, finished, PIPELINE_VERSION))
        summary.top_entities = top_entities(con)  # the leaders kept at load (warehouse/leaders.py)
    create_table_artifact(
        key="ingest-summary", table=summary.artifact_rows(),
        description=f"presswatch ingest of {markdown(summary.drop)}: {summary.articles_loaded} new articles")
    return summary
