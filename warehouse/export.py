"""Exports: a view, a table or a search's results to Parquet, CSV or JSON Lines, by DuckDB's COPY.

Read-only on the warehouse. Names are checked against the warehouse's own tables and views
(never spliced in unchecked); dates and queries travel as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER)", "jsonl": "(FORMAT json)"}
SUFFIXES = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
# The column a --since/--until bounds, first found wins: the article's day before any other date.
DATE_COLUMNS = ("day", "published_at", "ingest_day", "matched_at", "created_at", "seen_at", "started_at")
# A CSV cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_START = r"^[=+\-@\t\r]"


class ExportError(ValueError):
    """An export that cannot be made as asked: an unknown name, a filter the relation lacks."""


@dataclass(frozen=True)
class Source:
    """What to export: a SELECT (its parameters bound) and a name for messages."""

    name: str
    sql: str
    params: tuple = ()


def relations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The warehouse's tables and views by name -> 'table' | 'view'."""
    rows = con.execute(
        "SELECT table_name, 'table' FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main' "
        "AND database_name = current_database() UNION ALL "
        "SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "AND database_name = current_database() ORDER BY 1").fetchall()
    return dict(rows)


def relation_source(con: duckdb.DuckDBPyConnection, name: str) -> Source:
    known = relations(con)
    if name not in known:
        views = ", ".join(n for n, k in known.items() if k == "view")
        tables = ", ".join(n for n, k in known.items() if k == "table")
        raise ExportError(f"no view or table named {name!r}. Views: {views}. Tables: {tables}. "
                          "(A saved search: --saved NAME; a query: --search QUERY.)")
    return Source(name, f'SELECT * FROM "{name}"')


def columns(con: duckdb.DuckDBPyConnection, source: Source) -> list[tuple[str, str]]:
    """(name, type) of each column the source gives."""
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {source.sql}", list(source.params)).fetchall()]


def bounded(con: duckdb.DuckDBPyConnection, source: Source, since: date | None, until: date | None) -> Source:
    """The source limited to days since..until on its date column (DATE_COLUMNS)."""
    if since is None and until is None:
        return source
    names = [c for c, _ in columns(con, source)]
    column = next((c for c in DATE_COLUMNS if c in names), None)
    if column is None:
        raise ExportError(f"{source.name} has no date column ({', '.join(DATE_COLUMNS)}): --since/--until "
                          "cannot apply; export it whole")
    sql, params = f'SELECT * FROM ({source.sql}) WHERE 1 = 1', list(source.params)
    for op, value in ((">=", since), ("<=", until)):
        if value is not None:
            sql += f' AND CAST("{column}" AS DATE) {op} ?'
            params.append(value)
    return Source(source.name, sql, tuple(params))


def with_articles(con: duckdb.DuckDBPyConnection, source: Source) -> Source:
    """The source with each row's full article joined in (stg_articles: every column of
    articles plus day, ingest_day); an article column the source already has is article_<name>."""
    mine = [c for c, _ in columns(con, source)]
    if "article_id" not in mine:
        raise ExportError(f"{source.name} has no article_id column: --articles cannot join the articles")
    theirs = [r[0] for r in con.execute("DESCRIBE stg_articles").fetchall() if r[0] != "article_id"]
    picked = ", ".join(f'art."{c}" AS "{"article_" + c if c in mine else c}"' for c in theirs)
    return Source(source.name, f"SELECT src.*, {picked} FROM ({source.sql}) src "
                  "LEFT JOIN stg_articles art ON art.article_id = src.article_id", source.params)


def formula_safe(con: duckdb.DuckDBPyConnection, source: Source) -> Source:
    """Text cells starting like a formula get a leading apostrophe, which spreadsheets show as
    text (OWASP's advice for CSV injection). For CSV only: Parquet and JSON keep text exact."""
    parts = []
    for name, kind in columns(con, source):
        quoted = f'"{name}"'
        if kind == "VARCHAR":
            parts.append(f"CASE WHEN regexp_matches({quoted}, '{FORMULA_START}') THEN '''' || {quoted} "
                         f"ELSE {quoted} END AS {quoted}")
        else:
            parts.append(quoted)
    return Source(source.name, f"SELECT {', '.join(parts)} FROM ({source.sql})", source.params)


def write(con: duckdb.DuckDBPyConnection, source: Source, path: Path, fmt: str) -> int:
    """COPY the source to `path` in `fmt`; the rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    literal = str(path).replace("'", "''")
    row = con.execute(f"COPY ({source.sql}) TO '{literal}' {FORMATS[fmt]}", list(source.params)).fetchone()
    return row[0] if row else 0
