"""Read-only SQL for analysts: only queries, no side doors to the file system or settings."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.db import open_db

# Statement types an analyst may run. Everything else (DDL, DML, ATTACH, COPY, SET,
# INSTALL/LOAD, PRAGMA that writes...) is refused before it reaches the database.
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class SqlRefused(ValueError):
    """The statement is not a read-only query."""


def check_read_only(sql: str) -> list[duckdb.Statement]:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlRefused(f"SQL does not parse: {exc}") from exc
    if not statements:
        raise SqlRefused("no SQL statement given")
    for st in statements:
        if st.type not in _ALLOWED:
            kind = st.type.name.replace("_STATEMENT", "")
            raise SqlRefused(
                f"presswatch sql is read-only: {kind} statements are refused "
                "(the warehouse is written only by `presswatch run`)")
    return statements


def query(warehouse: Path, sql: str, *, timeout: float = 60.0) -> tuple[list[str], list[tuple]]:
    """Run read-only SQL: columns and rows of the last statement."""
    statements = check_read_only(sql)
    # External access off: no read_csv('/etc/passwd'), no ATTACH/COPY/INSTALL; config locked.
    con = open_db(warehouse, read_only=True, timeout=timeout,
                  config={"enable_external_access": False, "lock_configuration": True})
    try:
        rel = None
        for st in statements:
            rel = con.execute(st.query)
        columns = [d[0] for d in rel.description] if rel and rel.description else []
        return columns, rel.fetchall() if rel else []
    finally:
        con.close()


def format_table(columns: list[str], rows: list[tuple], max_width: int = 60) -> str:
    """A plain aligned text table, like the duckdb shell's but without box drawing."""
    def cell(v: object) -> str:
        text = "NULL" if v is None else str(v).replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
