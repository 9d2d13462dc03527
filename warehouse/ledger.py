"""The ledger as discovery and the watcher read it: which (sha256, source_path) pairs are recorded."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import open_db


class LedgerKeys(set):
    """(sha256, source_path) pairs in the ledger. `hashes` maps (source_path, size, mtime_ns)
    to the sha256 recorded for it, so discovery need not re-hash unchanged files."""

    hashes: dict[tuple[str, int, int], str]

    def __init__(self, pairs=()) -> None:
        super().__init__(pairs)
        self.hashes = {}


def ledger_keys(con: duckdb.DuckDBPyConnection) -> LedgerKeys:
    has_mtime = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'ingest_log' "
                            "AND column_name = 'file_mtime_ns'").fetchone()[0]
    mtime = "file_mtime_ns" if has_mtime else "NULL"
    rows = con.execute(f"SELECT file_sha256, source_path, file_size, {mtime} FROM ingest_log").fetchall()
    keys = LedgerKeys((sha, path) for sha, path, _, _ in rows)
    keys.hashes = {(path, size, m): sha for sha, path, size, m in rows if m is not None}
    return keys


def read_ledger_keys(warehouse: Path) -> LedgerKeys:
    """The ledger's keys, read-only (writers are not blocked); empty before the first load."""
    if not Path(warehouse).exists():
        return LedgerKeys()
    con = open_db(warehouse, read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ingest_log'").fetchone()[0]:
            return LedgerKeys()
        return ledger_keys(con)
    finally:
        con.close()
