from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from presswatch.discover import Discovery, discover
from warehouse.db import open_db
from warehouse.load import ledger_keys


@task(name="discover", cache_policy=NONE, retries=2, retry_delay_seconds=2, timeout_seconds=600,
      tags=["io"])
def discover_files(drop: Path, warehouse: Path, max_file_bytes: int,
                   previous: dict[str, tuple[int, int]] | None = None) -> Discovery:
    """List and hash the drop folder against the ledger (read-only: writers are not blocked)."""
    ledger: set[tuple[str, str]] = set()
    if Path(warehouse).exists():
        con = open_db(warehouse, read_only=True)
        try:
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ingest_log'").fetchone()[0]:
                ledger = ledger_keys(con)
        finally:
            con.close()
    return discover(drop, ledger=ledger, max_file_bytes=max_file_bytes, previous=previous)
