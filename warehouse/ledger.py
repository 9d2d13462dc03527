"""The ledger as discovery and the watcher read it: which (sha256, source_path) pairs are recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from warehouse.db import keys_at_hand, open_db


class LedgerKeys(set):
    """(sha256, source_path) pairs in the ledger. `hashes` maps (source_path, size, mtime_ns)
    to the sha256 recorded for it, so discovery need not re-hash unchanged files."""

    hashes: dict[tuple[str, int, int], str]

    def __init__(self, pairs=()) -> None:
        super().__init__(pairs)
        self.hashes = {}


def ledger_keys(con: duckdb.DuckDBPyConnection, paths: Iterable[str] | None = None) -> LedgerKeys:
    """The ledger's keys; with `paths`, only the rows for those source paths (the files at hand:
    a run's cost must not grow with the archive's ledger)."""
    has_mtime = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'ingest_log' "
                            "AND column_name = 'file_mtime_ns'").fetchone()[0]
    mtime = "l.file_mtime_ns" if has_mtime else "NULL"
    sql = f"SELECT l.file_sha256, l.source_path, l.file_size, {mtime} FROM ingest_log l"
    if paths is None:
        rows = con.execute(sql).fetchall()
    else:
        paths = list(paths)
        rows = []
        if paths:  # a few: point lookups in the source_path index (migration 010); a folder: one pass
            with keys_at_hand(con, "source_path", paths, "ledger_paths") as keep:
                rows = con.execute(f"{sql} {keep}").fetchall()
    keys = LedgerKeys((sha, path) for sha, path, _, _ in rows)
    keys.hashes = {(path, size, m): sha for sha, path, size, m in rows if m is not None}
    return keys


def read_ledger_keys(warehouse: Path, paths: Iterable[str] | None = None, *, timeout: float = 60.0,
                     on_wait: Callable[[float], None] | None = None) -> LedgerKeys:
    """The ledger's keys (only those of `paths`, when given), read-only (writers are not
    blocked); empty before the first load. timeout, on_wait: as open_db's."""
    if not Path(warehouse).exists():
        return LedgerKeys()
    con = open_db(warehouse, read_only=True, timeout=timeout, on_wait=on_wait)
    try:
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ingest_log'").fetchone()[0]:
            return LedgerKeys()
        return ledger_keys(con, paths)
    finally:
        con.close()
