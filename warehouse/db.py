"""Connecting to the DuckDB warehouse: migrations, the single writer, polite readers.

DuckDB allows one writer process per file, and while it writes, other processes cannot
even open the file read-only. So every open retries on a lock error with backoff until a
deadline, says that it is waiting, and then fails with a clear message.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from datetime import datetime, timezone
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"
QUERIES = HERE / "queries"

_LOCK_ERRORS = ("Could not set lock on file", "Conflicting lock is held", "database is locked")


class WarehouseBusy(RuntimeError):
    """Another process held the warehouse for longer than we were willing to wait."""


def _is_lock_error(exc: Exception) -> bool:
    return any(text in str(exc) for text in _LOCK_ERRORS)


def open_db(
    path: Path | str,
    *,
    read_only: bool = False,
    timeout: float = 60.0,
    config: dict | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (with backoff) while another process holds its lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `presswatch run` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    delay, waited_msg = 0.05, False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                holder = _lock_holder(exc)
                # A reader waits for a writer; a writer waits for a writer or for readers.
                doing = "being written by" if read_only else "open in"
                raise WarehouseBusy(
                    f"the warehouse {path} is {doing} another process{holder}; "
                    f"gave up after waiting {timeout:.0f} s (set PRESSWATCH_READ_TIMEOUT to wait longer)"
                ) from exc
            if not waited_msg:
                (on_wait or partial(_say_waiting, read_only=read_only))(timeout)
                waited_msg = True
            time.sleep(min(delay, left))
            delay = min(delay * 2, 1.0)


def _say_waiting(timeout: float, read_only: bool = True) -> None:
    who = "another writer" if read_only else "another process has it open"
    print(f"presswatch: the warehouse is busy ({who}); waiting up to {timeout:.0f} s...",
          file=sys.stderr)


def _lock_holder(exc: Exception) -> str:
    match = re.search(r"\(PID (\d+)\)", str(exc))
    return f" (PID {match.group(1)})" if match else ""


@contextmanager
def writer(path: Path | str, timeout: float = 600.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one writer: migrated, open only as long as the caller needs it."""
    con = open_db(path, timeout=timeout)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; refresh the views."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:3])
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text())
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [version, path.stem, datetime.now(timezone.utc).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(path.stem)
    if applied or not _views_present(con):
        refresh_views(con)
    return applied


def refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views are derived, so they are simply replaced (in dependency order: file name)."""
    for path in sorted(VIEWS.glob("*.sql"), key=_view_order):
        con.execute(path.read_text())


def _view_order(path: Path) -> tuple[int, str]:
    # Views built on other views come after them.
    return (1 if "from entity_mentions_daily" in path.read_text() else 0, path.name)


def _views_present(con: duckdb.DuckDBPyConnection) -> bool:
    names = {p.stem for p in VIEWS.glob("*.sql")}
    have = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return names <= have
