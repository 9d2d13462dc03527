"""A polars frame as a table for one statement: how batches reach SQL in the load transaction."""

from __future__ import annotations

import duckdb
import polars as pl


def query_frame(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, sql: str) -> list[tuple]:
    """Run `sql` with `frame` visible as the table batch_frame (zero-copy through Arrow)."""
    con.register("batch_frame", frame.to_arrow())
    try:
        return con.execute(sql).fetchall()
    finally:
        con.unregister("batch_frame")
