"""Read-only SQL for analysts: only queries, no side doors to the file system or settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from presswatch.text import plain
from warehouse.db import open_db
from warehouse.search import open_search_index

# Statement types an analyst may run. Everything else (DDL, DML, ATTACH, COPY, SET,
# INSTALL/LOAD, PRAGMA that writes...) is refused before it reaches the database.
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Extensions come only from files we name (the fts wheel), never from a download or a guess.
_NO_AUTOLOAD = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class SqlRefused(ValueError):
    """The statement is not a read-only query."""


class SqlTimeout(RuntimeError):
    """The query ran past its time limit and was interrupted."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    more: bool = False  # rows beyond max_rows were left unread


def _pivot_enum(statements: list[duckdb.Statement], i: int) -> bool:
    """A PIVOT whose columns come from the data parses as two statements without text of
    their own: CREATE (a temporary ENUM of the pivot's values) and the SELECT reading it.
    Statements typed by the analyst always carry their text, so this cannot be forged."""
    st = statements[i]
    nxt = statements[i + 1] if i + 1 < len(statements) else None
    return (st.type == duckdb.StatementType.CREATE and not st.query.strip() and nxt is not None
            and nxt.type == duckdb.StatementType.SELECT and not nxt.query.strip())


def check_read_only(sql: str) -> list[duckdb.Statement]:
    """The statements of `sql`, classified by DuckDB's own parse: SELECT (with its read-only
    forms: FROM-first, DESCRIBE, SHOW, SUMMARIZE, PIVOT, UNPIVOT) and EXPLAIN pass; anything
    else raises SqlRefused naming its kind."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlRefused(f"SQL does not parse: {exc}") from exc
    if not statements:
        raise SqlRefused("no SQL statement given")
    for i, st in enumerate(statements):
        if st.type not in _ALLOWED and not _pivot_enum(statements, i):
            kind = st.type.name.replace("_STATEMENT", "")
            raise SqlRefused(
                f"presswatch sql is read-only: {kind} statements are refused "
                "(the warehouse is written only by `presswatch run`)")
    return statements


def run_query(warehouse: Path, sql: str, *, timeout: float = 60.0, statement_timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
    """Run read-only SQL: columns and rows of the last statement. statement_timeout: seconds
    before the query is interrupted (SqlTimeout); max_rows: rows read at most, `more` saying
    whether there were others (None: no limit)."""
    statements = check_read_only(sql)
    con = open_db(warehouse, read_only=True, timeout=timeout, config=_NO_AUTOLOAD)
    try:
        open_search_index(con)  # the index's macros (fts_main_articles.match_bm25) need the extension
        # Then external access off: no read_csv('/etc/passwd'), no ATTACH/COPY/INSTALL; config locked.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    # DuckDB has no statement timeout setting: a timer interrupts the connection instead.
    timer = threading.Timer(statement_timeout, con.interrupt) if statement_timeout else None
    try:
        if timer:
            timer.start()
        rel = None
        for st in statements:
            rel = con.execute(st)
        columns = [d[0] for d in rel.description] if rel and rel.description else []
        if rel is None:
            return QueryResult(columns, [])
        if max_rows is None:
            return QueryResult(columns, rel.fetchall())
        rows = rel.fetchmany(max_rows + 1)
        return QueryResult(columns, rows[:max_rows], more=len(rows) > max_rows)
    except duckdb.InterruptException as exc:
        raise SqlTimeout(f"the query ran longer than {statement_timeout:g} s and was stopped "
                         "(PRESSWATCH_SQL_TIMEOUT); narrow it, raise the limit, or pass --no-limit") from exc
    finally:
        if timer:
            timer.cancel()
        con.close()


def query(warehouse: Path, sql: str, *, timeout: float = 60.0) -> tuple[list[str], list[tuple]]:
    """Run read-only SQL, no limits: columns and rows of the last statement."""
    result = run_query(warehouse, sql, timeout=timeout)
    return result.columns, result.rows


def format_table(columns: list[str], rows: list[tuple], max_width: int = 60) -> str:
    """A plain aligned text table, like the duckdb shell's but without box drawing."""
    def cell(v: object) -> str:
        # plain: web text (and PIVOT's column names) must not send escape sequences to a terminal.
        return "NULL" if v is None else plain(v, max_width)

    columns = [plain(c, 1000) for c in columns]
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
