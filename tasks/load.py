from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from presswatch.records import Extraction
from presswatch.read.batch import FileOutcome
from presswatch.load import settle_failures
from presswatch.load import to_frames
from presswatch.report import LedgerEntry
from tasks.retry import worth_retrying
from presswatch.timing import stage
from warehouse.db import writer
from warehouse.dedup import DedupOptions
from warehouse.load import load_batch


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="load", cache_policy=NONE, retries=3, retry_delay_seconds=[2, 10, 30],
      retry_condition_fn=worth_retrying, timeout_seconds=900)
def load_to_warehouse(warehouse: Path, outcomes: list[FileOutcome],
                      extractions: list[Extraction], flow_run_id: str,
                      wire_agencies: Path | None = None) -> tuple[list[LedgerEntry], int]:
    """One transaction: article rows, child rows and ledger rows of the whole batch."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with stage("load"):
        outcomes, extractions = settle_failures(outcomes, extractions)
        articles = [a for o in outcomes for a in o.articles]
        frames = to_frames(list(zip(articles, extractions, strict=True)),
                           flow_run_id=flow_run_id, ingested_at=now)
        with writer(warehouse) as con:
            result = load_batch(con, outcomes, frames, flow_run_id=flow_run_id, seen_at=now,
                                dedup_options=DedupOptions(agencies_file=wire_agencies))
    return result.entries, result.articles_loaded
