"""Connecting to the DuckDB warehouse: migrations, the single writer, polite readers.

DuckDB allows one writer process per file, and while it writes, other processes cannot
even open the file read-only. So every open retries on a lock error with backoff until a
deadline, says that it is waiting, and then fails with a clear message.
"""

from __future__ import annotations

import graphlib
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import duckdb

from presswatch.errors import OperatorError
from warehouse import lake

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"
QUERIES = HERE / "queries"
CHECKS = HERE / "checks"

_LOCK_ERRORS = ("Could not set lock on file", "Conflicting lock is held", "database is locked")


class WarehouseBusy(RuntimeError):
    """Another process held the warehouse for longer than we were willing to wait."""


class WarehouseRefused(OperatorError):
    """The --warehouse path is not ours to write: a folder, a foreign or newer DuckDB file,
    not a DuckDB file at all, or a place this user cannot write. Said before any work."""

    exit_code = 2


class WarehouseWriteError(OperatorError):
    """Writing the warehouse failed for a reason the operator must fix (disk full, read-only
    file system, permission denied, file size limit): one line naming cause and fix."""


# (what DuckDB's I/O error says, the cause in plain words, the fix)
_IO_CAUSES = (
    ("No space left on device", "the disk is full",
     "free space on its file system, or move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)"),
    ("Disk quota exceeded", "the disk quota is used up",
     "free space or raise the quota, or move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)"),
    ("File too large", "the file size limit was reached (ulimit -f, or the file system's largest file)",
     "raise the limit, or move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)"),
    ("Read-only file system", "its file system is read-only",
     "remount it read-write, or move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)"),
    ("Permission denied", "permission denied",
     "let this user write the file and its folder, or move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)"),
)


def write_error(exc: BaseException, path: Path | str | None, doing: str) -> WarehouseWriteError | None:
    """The operator's one-line error for a DuckDB I/O failure while `doing`; None when the
    failure is not one the operator can fix (a bug, a constraint): then the original stands."""
    text = str(exc)
    for marker, cause, fix in _IO_CAUSES:
        if marker.lower() in text.lower():
            where = f" {path}" if path else ""
            return WarehouseWriteError(f"cannot write the warehouse{where}: {cause} ({doing} failed); {fix}")
    return None


def database_path(con: duckdb.DuckDBPyConnection) -> str | None:
    """The file behind a connection, for messages."""
    try:
        row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    except duckdb.Error:  # an invalidated database still has a name in the message
        return None
    return row[0] if row else None


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """ROLLBACK if a transaction is still open. After a failed COMMIT or a fatal I/O error there
    is none, and "no transaction is active" must not replace the error that matters."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _is_lock_error(exc: Exception) -> bool:
    return any(text in str(exc) for text in _LOCK_ERRORS)


def open_db(
    path: Path | str,
    *,
    read_only: bool = False,
    timeout: float = 60.0,
    config: dict | None = None,
    on_wait: Callable[[float], None] | None = None,
    whole_tables: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (with backoff) while another process holds its lock. A DuckLake
    target (`ducklake:<catalog>`) is attached to an in-memory connection instead (warehouse/lake.py).
    `whole_tables`: a writer that rewrites whole tables (the aggregates rebuild) writes them in
    DuckDB's default row groups, not WRITE_ROW_GROUP_SIZE (see _connect_writable)."""
    if lake.is_lake(path):
        target = lake.parse_target(path)
        if read_only and target.catalog_file and not target.catalog_file.exists():
            raise FileNotFoundError(f"no warehouse at {target.shown()}: run `presswatch run` first")
        return _retry_open(partial(lake.connect, str(path), read_only=read_only, config=config),
                           target.shown(), read_only, timeout, on_wait)
    path = Path(path)
    if path.is_dir():
        raise WarehouseRefused(_folder_message(path))
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `presswatch run` first")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseRefused(f"cannot create the warehouse's folder {path.parent}: "
                                   f"{exc.strerror or exc}; choose a writable place "
                                   "(--warehouse / PRESSWATCH_WAREHOUSE)") from None
    if read_only:
        return _retry_open(partial(duckdb.connect, str(path), read_only=True, config=config or {}),
                           path, read_only, timeout, on_wait)
    return _retry_open(partial(_connect_writable, path, config or {}, whole_tables), path, read_only, timeout,
                       on_wait)


# Rows per row group of what a writer appends (DuckDB's default: 122,880). A checkpoint rewrites
# the row group an append went into, whole: at 100k articles one batch of 10 files made it
# recompress 100k bodies, ~2 s of every watch run (docs/performance.md, session 27).
WRITE_ROW_GROUP_SIZE = 16_384
# The storage format writers use. DuckDB's default for a file (v1.0.0) converts every index it
# loaded to the old node layout at each checkpoint: at 100k articles a watch run's commit cost
# 0.7-0.9 s of it, 0.2 s in this format (docs/performance.md, session 36). A file written in the
# old format is upgraded by its first writer; DuckDB before 1.5 can no longer open it.
STORAGE_VERSION = "v1.5.0"
WAREHOUSE_ALIAS = "warehouse"


def _connect_writable(path: Path, config: dict, whole_tables: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection that writes `path` with WRITE_ROW_GROUP_SIZE, which DuckDB takes only as an
    ATTACH option and does not store in the file (so every writer passes it: a checkpoint at the
    default size merges small row groups back), in the STORAGE_VERSION format. The file is
    attached in a named in-memory instance of its own, which the process's connections to it
    share, as `duckdb.connect(path)` shares its cached instance; the file is detached, and its
    lock let go, when the last one closes.

    `whole_tables` attaches it with DuckDB's default row groups (122,880 rows), for a writer that
    rewrites whole tables: in 16k-row groups each segment keeps its own string dictionary, and
    the 60M pairs of a 1M-article archive took 3.3 GB instead of 2.3 (docs/performance.md,
    session 41). It must be the file's only open in the process: a second ATTACH would silently
    share the first one's row-group size."""
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    con = duckdb.connect(f":memory:presswatch-{key}", config=config)
    try:
        quoted = str(path).replace("'", "''")
        if whole_tables and con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?",
                                        [WAREHOUSE_ALIAS]).fetchone()[0]:
            raise WarehouseRefused(f"{path} is already open in this process; a rewrite of whole tables "
                                   "needs its own open of the file")
        row_groups = "" if whole_tables else f"ROW_GROUP_SIZE {WRITE_ROW_GROUP_SIZE}, "
        con.execute(f"ATTACH IF NOT EXISTS '{quoted}' AS {WAREHOUSE_ALIAS} "
                    f"({row_groups}STORAGE_VERSION '{STORAGE_VERSION}')")
        con.execute(f"USE {WAREHOUSE_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def _opening(path: Path | str) -> str:
    """What an open that failed to write was doing: a writer's open replays the WAL's commits,
    and DuckDB writes the row groups they fill into the file as it replays (at the writers'
    16k rows a batch's search terms fill several; docs/decisions.md, session 28)."""
    if isinstance(path, Path) and wal_path(path).exists():
        return "opening it, which replays the commits in its write-ahead log into the file,"
    return "opening it"


def _retry_open(connect: Callable[[], duckdb.DuckDBPyConnection], path: Path | str, read_only: bool,
                timeout: float, on_wait: Callable[[float], None] | None) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    delay, waited_msg = 0.05, False
    while True:
        try:
            return connect()
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                if not read_only and (clear := write_error(exc, path, _opening(path))) is not None:
                    raise clear from exc
                if "not a valid DuckDB database file" in str(exc) or "The file is not a valid" in str(exc):
                    raise WarehouseRefused(f"{path} is not a DuckDB file; presswatch writes only its "
                                           "own warehouse: give --warehouse a new path") from exc
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
def writer(path: Path | str, timeout: float = 600.0, *, whole_tables: bool = False
           ) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one writer: migrated, open only as long as the caller needs it. Its commits stay in
    the WAL beside the file (synced at each commit, replayed at the next open) until DuckDB's
    own checkpoint at `checkpoint_threshold` (16 MiB), or `checkpoint_warehouse` at the end of
    a one-shot run: a CHECKPOINT per writer rewrote the articles' last row group every batch,
    so a watch-mode run cost more as the archive grew (docs/decisions.md, issue 18).
    `whole_tables`: see open_db."""
    con = open_db(path, timeout=timeout, whole_tables=whole_tables)
    try:
        if lake.is_lake(path):  # a lake has no WAL; its CHECKPOINT is maintenance (flows/maintenance.py)
            migrate(con)
            yield con
            return
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        if migrate(con):
            closing_checkpoint(con, path)  # migrations make indexes: see _indexes
        indexes = _indexes(con)
        try:
            yield con
        except BaseException:
            try:  # best effort: the caller's error is the one that matters
                if _indexes(con) != indexes:
                    con.execute("CHECKPOINT")
            except duckdb.Error:
                pass
            raise
        if _indexes(con) != indexes:  # an aggregates rebuild remade its keys
            closing_checkpoint(con, path)
    finally:
        con.close()


def _indexes(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    """The ART indexes by name and oid (a remade index has a new oid). DuckDB 1.5 cannot replay a
    WAL holding a CREATE INDEX on a read-only open ("Could not write file"), so a writer that made
    one checkpoints before it closes: readers never meet such a WAL."""
    return set(con.execute("SELECT index_name, index_oid FROM duckdb_indexes() "
                           "WHERE database_name = current_database()").fetchall())


def checkpoint_warehouse(path: Path | str, timeout: float = 600.0) -> None:
    """Fold the WAL into the warehouse file, so the file alone is the whole warehouse (a copy
    or backup of it needs no `.wal`): `presswatch run` does it as it exits. A failure is a
    WarehouseWriteError, never silence (the rows stay committed in the WAL either way)."""
    if lake.is_lake(path):
        return
    try:
        con = open_db(path, timeout=timeout)
    except WarehouseWriteError as exc:  # the open replays the WAL, so it writes too
        raise WarehouseWriteError(f"the closing checkpoint could not fold the WAL in: {exc}") from exc
    try:
        con.execute("PRAGMA disable_checkpoint_on_shutdown")  # the one CHECKPOINT is ours, its error said
        closing_checkpoint(con, path)
    finally:
        con.close()


def wal_path(path: Path | str) -> Path:
    """The write-ahead log DuckDB keeps beside the file: part of the warehouse until checkpointed."""
    path = Path(path)
    return path.with_name(path.name + ".wal")


def copy_warehouse(source: Path | str, dest: Path | str) -> None:
    """Copy a warehouse file with its WAL (the commits not yet checkpointed): a copy of the file
    alone would lose them. The source must not be open for write while it is copied."""
    import shutil

    shutil.copyfile(source, dest)
    wal_path(dest).unlink(missing_ok=True)
    if wal_path(source).exists():
        shutil.copyfile(wal_path(source), wal_path(dest))


def closing_checkpoint(con: duckdb.DuckDBPyConnection, path: Path | str) -> None:
    """Move the WAL into the database file. An I/O failure raises WarehouseWriteError (the
    rows are committed, in the WAL, replayed at the next open; the operator must still know)."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        if (clear := write_error(exc, path, "the closing checkpoint")) is not None:
            raise clear from exc
        if "transaction" not in str(exc).lower():
            raise
        # Another connection of this process is mid-transaction: the last one to close checkpoints.


# Up to this many keys, `IN (constants)` (looked up in the ART index: ~6 ms for 10); beyond, an
# Arrow table joined (a scan: ~7 ms on BBC, 16-35 at 100k): a 500-value IN list, with `?`
# parameters or constants alike, costs ~90 ms to plan and run (measured, docs/decisions.md).
IN_LIST_MAX = 64
# The most keys an IN list looks up in a table's one-column key index: DuckDB scans the index while
# the matches are fewer than max(index_scan_max_count = 2,048, 0.1% of the rows), else the table.
INDEX_LOOKUP_MAX = 2_000


def sql_in_list(values: list) -> str:
    """`(v1, v2, ...)` for `x IN ...`: a string as a SQL literal (its quotes doubled), any other
    value quoted by DuckDB itself (ConstantExpression, ~0.2 ms a value: 700 pair keys cost 140 ms),
    for the keys at hand: no `?` per value to bind, and the index finds them."""
    from duckdb import ConstantExpression

    if not values:
        raise ValueError("an IN list needs at least one value")
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" if isinstance(v, str) else str(ConstantExpression(v))
                           for v in values) + ")"


# stg_articles' two days of each article over one scan of `articles`, for lookups of a batch's few
# ids: the view is two branches (dated, undated) so a day filter reaches its scans, and an id
# filter then scans the ids twice (~4x at 100k). tests/warehouse/test_db.py keeps the two equal.
ARTICLE_DAYS = ("(SELECT article_id, coalesce(published_at, CAST(ingested_at AS DATE)) AS day, "
                "CAST(ingested_at AS DATE) AS ingest_day, ingested_at, source FROM articles)")


def article_day_literals(con: duckdb.DuckDBPyConnection, keep: str) -> str | None:
    """`DATE '...', DATE '...'`: the distinct days of the articles that `keep` (a keys_at_hand
    clause) selects, as literals (a scan kept in day order skips the other days by zone map), or
    None when they have none."""
    days = sorted(r[0] for r in con.execute(f"SELECT DISTINCT day FROM {ARTICLE_DAYS} {keep}").fetchall()
                  if r[0] is not None)
    return date_literals(days) or None


def date_literals(days) -> str:
    """`DATE '...', DATE '...'` for an IN list of days (literal dates reach a scan's zone maps)."""
    return ", ".join(f"DATE '{d:%Y-%m-%d}'" for d in days)


def day_range(con: duckdb.DuckDBPyConnection, relation: str, margin: int = 0) -> str | None:
    """`BETWEEN DATE '<first day - margin>' AND DATE '<last day + margin>'` over the `day` column
    of `relation`, or None when it has no day: literal dates, so a scan of a table kept roughly in
    day order skips the other days by zone map (a subquery's bounds would not)."""
    first, last = con.execute(f"SELECT min(day), max(day) FROM {relation}").fetchone()
    if first is None:
        return None
    lo, hi = first - timedelta(days=margin), last + timedelta(days=margin)
    return f"BETWEEN DATE '{lo:%Y-%m-%d}' AND DATE '{hi:%Y-%m-%d}'"


def null_safe_sum(column: str) -> str:
    """`column = <old + new>` for an ON CONFLICT DO UPDATE where either side may be NULL: a NULL
    means no score yet, so the other side is kept (SQL's `+` would make the sum NULL)."""
    return (f"{column} = CASE WHEN {column} IS NULL THEN excluded.{column} "
            f"WHEN excluded.{column} IS NULL THEN {column} ELSE {column} + excluded.{column} END")


@contextmanager
def keys_at_hand(con: duckdb.DuckDBPyConnection, column: str, values: list[str], name: str) -> Iterator[str]:
    """The clause that keeps the rows whose string `column` is one of `values` (not empty): a few are
    looked up by `WHERE column IN (constants)`, more by a semi-join with an Arrow table registered
    as `name` for the block (IN_LIST_MAX)."""
    if len(values) <= IN_LIST_MAX:
        yield f"WHERE {column} IN {sql_in_list(values)}"
        return
    import pyarrow as pa

    con.register(name, pa.table({column: pa.array(values, pa.string())}))
    try:
        yield f"SEMI JOIN {name} USING ({column})"
    finally:
        con.unregister(name)


def keyed_rows(table: str, column: str, values) -> str:
    """`table`, or, for up to INDEX_LOOKUP_MAX values, the subquery of its rows whose key `column`
    is one of them (an IN list of constants: looked up in the key index, where a join or a
    semi-join with the table reads all of its column)."""
    if not values or len(values) > INDEX_LOOKUP_MAX:
        return table
    return f"(SELECT * FROM {table} WHERE {column} IN {sql_in_list(sorted(values))})"


def rows_by_key(con: duckdb.DuckDBPyConnection, select: str, column: str, values: list[str]) -> list[tuple]:
    """The rows of `select` (a SELECT ... FROM one table, no WHERE) whose string key `column` is one
    of `values`, by `WHERE column IN (constants)` lists of up to INDEX_LOOKUP_MAX: each list is looked
    up in the column's key index, so the cost follows the keys, not the table (on DuckLake, with no
    index, each list is one filtered scan). For a wide column (an article's body) this is the way:
    a join with the keys as a table pushes them into the scan only up to DuckDB's
    dynamic_or_filter_threshold (50 keys); past it the scan reads the column whole (70 bodies at
    1M articles: 2.4 s warm, 7.9 s cold, against 0.05 s; docs/performance.md, session 38)."""
    rows: list[tuple] = []
    for where in key_lists(column, values):
        rows += con.execute(f"{select} WHERE {where}").fetchall()
    return rows


def key_lists(column: str, values: list) -> Iterator[str]:
    """`column IN (constants)` for each run of up to INDEX_LOOKUP_MAX of `values`: a condition the
    column's key index answers (rows_by_key reads by them, a load updates by them)."""
    for i in range(0, len(values), INDEX_LOOKUP_MAX):
        yield f"{column} IN {sql_in_list(values[i:i + INDEX_LOOKUP_MAX])}"


# --- is this file ours? ------------------------------------------------------------------


def known_version() -> int:
    """The newest schema version this code knows (its last migration's number)."""
    return max(int(p.name[:3]) for p in MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))


def refuse_foreign(con: duckdb.DuckDBPyConnection, path: Path | str | None = None) -> None:
    """Raise WarehouseRefused unless the database is empty or a presswatch warehouse this code
    can migrate. Reads only: a refused file is left exactly as it was."""
    path = path or database_path(con)
    objects = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal "
        "AND database_name = current_database() ORDER BY 1").fetchall()]
    if not objects:
        return  # a new, empty file: ours to make
    first = None
    if "schema_migrations" in objects:
        try:
            first, newest = con.execute(
                "SELECT min(name) FILTER (WHERE version = 1), max(version) FROM schema_migrations").fetchone()
        except duckdb.Error:  # another tool's schema_migrations, with other columns
            first = None
    if first != "001_core_tables":
        shown = ", ".join(objects[:5]) + (f" and {len(objects) - 5} more" if len(objects) > 5 else "")
        raise WarehouseRefused(
            f"{path} is not a presswatch warehouse (it holds {shown}, but no presswatch "
            "schema_migrations); presswatch never writes a file that is not its own: give "
            "--warehouse / PRESSWATCH_WAREHOUSE a new path or an existing presswatch warehouse")
    if newest > known_version():
        raise WarehouseRefused(
            f"{path} has schema version {newest}, newer than this presswatch knows "
            f"({known_version()}): upgrade presswatch, or give --warehouse another file")


def check_warehouse(path: Path | str, *, timeout: float = 2.0) -> None:
    """Before any work (the CLI's edge, the flow's start): can this run write `path`? A folder,
    a foreign or newer DuckDB file, an unwritable file or folder raise WarehouseRefused.
    Opens read-only and writes nothing; when a writer holds the file, the check is left to
    migrate(), which runs it again under the writer's lock."""
    if lake.is_lake(path):
        return _check_lake(lake.parse_target(path), timeout)
    path = Path(path)
    if path.is_dir():
        raise WarehouseRefused(_folder_message(path))
    _check_writable(path)
    if not path.exists():
        return
    try:
        con = open_db(path, read_only=True, timeout=timeout, on_wait=lambda _t: None)
    except WarehouseBusy:
        return
    try:
        refuse_foreign(con, path)
    finally:
        con.close()


def _check_lake(target: lake.LakeTarget, timeout: float) -> None:
    """A DuckLake target: its catalog file must not be a folder and, where it exists (or the
    PostgreSQL catalog answers), be an empty or presswatch lake this code can migrate."""
    if target.catalog_file is not None:
        if target.catalog_file.is_dir():
            raise WarehouseRefused(f"the DuckLake catalog {target.catalog_file} is a folder; give a file, e.g. "
                                   f"ducklake:{target.catalog_file / 'presswatch.ducklake'} (PRESSWATCH_WAREHOUSE)")
        _check_writable(target.catalog_file)
        if not target.catalog_file.exists():
            return
    try:
        con = open_db(str(target), read_only=True, timeout=timeout, on_wait=lambda _t: None)
    except WarehouseBusy:
        return
    except duckdb.Error as exc:
        if "does not exist" in str(exc) and "Existing DuckLake" in str(exc):
            return  # a database with no lake yet: the first writer makes it
        raise WarehouseRefused(f"cannot open the DuckLake warehouse {target.shown()}: {exc}") from exc
    try:
        refuse_foreign(con, target.shown())
    finally:
        con.close()


def _check_writable(path: Path) -> None:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    for target in (path, folder) if path.exists() else (folder,):
        if os.access(target, os.W_OK | (os.X_OK if target.is_dir() else 0)):
            continue
        read_only_fs = hasattr(os, "statvfs") and os.statvfs(target).f_flag & os.ST_RDONLY
        cause = "its file system is read-only" if read_only_fs else "permission denied"
        raise WarehouseRefused(
            f"cannot write the warehouse {path}: {cause} ({target}); "
            + ("remount it read-write" if read_only_fs else "let this user write the file and its folder")
            + ", or move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)")


def _folder_message(path: Path) -> str:
    return (f"the warehouse path {path} is a folder; give a DuckDB file, e.g. "
            f"{path / 'presswatch.duckdb'} (--warehouse / PRESSWATCH_WAREHOUSE)")


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; then rebuild the
    views that are missing or whose SQL changed (all of them after a migration). A foreign or
    newer file is refused before anything is written to it."""
    if lake.already_migrated(con):  # this process migrated this lake and no DDL came since
        return []
    refuse_foreign(con)
    ddl = lake.translate_ddl if lake.is_lake_connection(con) else (lambda sql: sql)
    con.execute(ddl(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    ))
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:3])
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(ddl(path.read_text()))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [version, path.stem, _now()],
            )
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
        applied.append(path.stem)
    if lake.is_lake_connection(con):
        lake.ensure_writer_table(con)
    sync_views(con, force=bool(applied))
    lake.mark_migrated(con)
    return applied


# --- views -------------------------------------------------------------------------------
# A view is a file warehouse/views/<layer>/<name>.sql holding one SELECT; the file name is the
# view's name. Their SQL hashes are kept in schema_views, so an edited view reaches every
# warehouse on its next open for write.


class ViewError(RuntimeError):
    """A view file that cannot be built: bad SQL, an unknown reference, or a cycle."""


@dataclass(frozen=True)
class View:
    name: str
    path: Path
    select: str
    sha256: str

    @property
    def create_sql(self) -> str:
        return f'CREATE OR REPLACE VIEW "{self.name}" AS\n{self.select.rstrip().rstrip(";")}'


def view_files() -> dict[str, View]:
    """Every view defined under warehouse/views/, by name."""
    views: dict[str, View] = {}
    for path in sorted(VIEWS.glob("*/*.sql")):
        if path.stem in views:
            raise ViewError(f"two views named {path.stem}: {views[path.stem].path} and {path}")
        text = path.read_text()
        views[path.stem] = View(path.stem, path, text, hashlib.sha256(text.encode()).hexdigest())
    return views


def sync_views(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> list[str]:
    """Create the views that are missing or whose SQL changed (and every view built on them),
    in dependency order, in one transaction; drop the views whose file is gone. Returns the
    names built."""
    ddl = lake.translate_ddl if lake.is_lake_connection(con) else (lambda sql: sql)
    con.execute(ddl(
        "CREATE TABLE IF NOT EXISTS schema_views "
        "(name VARCHAR PRIMARY KEY, sql_sha256 VARCHAR NOT NULL, created_at TIMESTAMP)"
    ))
    views = view_files()
    recorded = dict(con.execute("SELECT name, sql_sha256 FROM schema_views").fetchall())
    present = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()}
    stale = {n for n, v in views.items() if force or n not in present or recorded.get(n) != v.sha256}
    gone = [n for n in recorded if n not in views]
    if not stale and not gone:
        return []
    deps = view_dependencies(con, views)
    order = build_order(deps, key=_layer_key(views))
    # A view rebuilt under another one must be rebuilt too: DuckDB checks its bound columns.
    for name in order:
        if deps[name] & stale:
            stale.add(name)
    build = [n for n in order if n in stale]
    now = _now()
    con.execute("BEGIN TRANSACTION")
    try:
        for name in gone:
            con.execute(f'DROP VIEW IF EXISTS "{name}"')
            con.execute("DELETE FROM schema_views WHERE name = ?", [name])
        for name in build:
            try:
                con.execute(views[name].create_sql)
            except duckdb.Error as exc:
                raise ViewError(f"view {name} ({views[name].path}) does not build: {exc}") from exc
            # Delete + insert, not INSERT OR REPLACE: DuckLake has no key to replace on.
            con.execute("DELETE FROM schema_views WHERE name = ?", [name])
            con.execute("INSERT INTO schema_views VALUES (?, ?, ?)", [name, views[name].sha256, now])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return build


def refresh_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Recreate every view, whatever the recorded hashes say."""
    return sync_views(con, force=True)


def view_order(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The view names in build order (each after the views it reads)."""
    views = view_files()
    return build_order(view_dependencies(con, views), key=_layer_key(views))


def _layer_key(views: dict[str, View]) -> Callable[[str], tuple]:
    # Staging before marts when the references leave a choice, so schema.sql reads top-down.
    return lambda name: (views[name].path.parent.name != "staging", name)


def view_dependencies(con: duckdb.DuckDBPyConnection, views: dict[str, View]) -> dict[str, set[str]]:
    """For each view, the other views it reads. Every name it reads must be a table of the
    warehouse or another view file."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'").fetchall()}
    deps: dict[str, set[str]] = {}
    for name, view in views.items():
        refs = referenced_relations(con, view.select, where=str(view.path))
        unknown = sorted(refs - tables - views.keys())
        if unknown:
            raise ViewError(f"view {name} ({view.path}) reads {', '.join(unknown)}, which is "
                            "neither a table of the warehouse nor a view under warehouse/views/")
        deps[name] = (refs & views.keys()) - {name}
        if name in refs:
            raise ViewError(f"view {name} ({view.path}) reads itself")
    return deps


def build_order(deps: dict[str, set[str]], key: Callable[[str], object] | None = None) -> list[str]:
    """Topological order; views ready at the same time go by `key` (default: name)."""
    sorter = graphlib.TopologicalSorter(deps)
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise ViewError(f"views read each other in a cycle: {cycle}") from exc
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=key)
        order += ready
        sorter.done(*ready)
    return order


def referenced_relations(con: duckdb.DuckDBPyConnection, select: str, where: str = "query") -> set[str]:
    """Names of the tables and views a SELECT reads (CTE names excluded), from DuckDB's parse."""
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [select]).fetchone()[0])
    if tree.get("error"):
        raise ViewError(f"{where}: {tree.get('error_message', 'does not parse as a SELECT')}")
    if len(tree["statements"]) != 1:
        raise ViewError(f"{where}: expected one SELECT statement, found {len(tree['statements'])}")
    found: set[str] = set()
    _walk(tree["statements"][0], frozenset(), found)
    return found


def _walk(node: object, ctes: frozenset[str], found: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, ctes, found)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "BASE_TABLE" and "table_name" in node:
        name = node["table_name"]
        if node.get("schema_name") or node.get("catalog_name") or name not in ctes:
            found.add(name)
        return
    if node.get("type") == "RECURSIVE_CTE_NODE":
        ctes = ctes | {node["cte_name"]}
    entries = (node.get("cte_map") or {}).get("map") or []
    for entry in entries:
        # A CTE sees the CTEs defined before it, not itself (unless recursive: handled above).
        _walk(entry["value"], ctes, found)
        ctes = ctes | {entry["key"]}
    for key, value in node.items():
        if key != "cte_map":
            _walk(value, ctes, found)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
