"""DuckLake upkeep, scheduled by `presswatch serve` when the warehouse is a lake (docs/scaling.md):
every load adds small Parquet files and a snapshot; this merges the files, expires snapshots
older than keep_days and deletes the files no snapshot reads."""

from __future__ import annotations

from prefect import flow

from tasks.maintenance import maintain_lake

__all__ = ["maintenance"]


@flow(name="maintenance", log_prints=True)
def maintenance(warehouse: str, keep_days: float = 7.0) -> dict:
    done = maintain_lake(warehouse, keep_days)
    print(f"presswatch: lake maintenance: data files {done.files_before} -> {done.files_after}, "
          f"snapshots {done.snapshots_before} -> {done.snapshots_after}, {done.files_deleted} files deleted, "
          f"{done.rows_flushed} inlined rows flushed to Parquet")
    return done.__dict__
