"""`presswatch sql "SELECT ..."`: read-only SQL against the warehouse."""

from __future__ import annotations

import argparse
import sys

import duckdb

from presswatch.cli.options import add_warehouse_option
from presswatch.config import Settings
from presswatch.text import plain
from warehouse.db import WarehouseBusy
from warehouse.sql import SqlRefused, SqlTimeout, format_table, run_query


def register(sub: argparse._SubParsersAction) -> None:
    sql = sub.add_parser("sql", help="run read-only SQL against the warehouse and print the result")
    sql.add_argument("query", help='e.g. "SELECT * FROM top_quoted LIMIT 10"')
    add_warehouse_option(sql)
    sql.add_argument("--no-limit", action="store_true",
                     help="no time limit and no row limit (PRESSWATCH_SQL_TIMEOUT, PRESSWATCH_SQL_MAX_ROWS)")
    sql.set_defaults(func=cmd_sql)


def cmd_sql(args: argparse.Namespace) -> int:
    settings = Settings.load(warehouse=args.warehouse)
    limited = not args.no_limit
    try:
        result = run_query(settings.warehouse, args.query, timeout=settings.read_timeout,
                           statement_timeout=settings.sql_timeout if limited else None,
                           max_rows=settings.sql_max_rows if limited else None)
    except SqlRefused as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    except (WarehouseBusy, FileNotFoundError, SqlTimeout) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:  # a SQL error: said plainly, no traceback for analysts
        # Each line escaped: a conversion error quotes the value (web text) it could not cast.
        said = "\n".join(plain(line, 2000) for line in str(exc).split("\n"))
        print(f"presswatch: query failed: {said}", file=sys.stderr)
        return 1
    print(format_table(result.columns, result.rows))
    if result.more:
        print(f"presswatch: only the first {len(result.rows):,} rows are shown (PRESSWATCH_SQL_MAX_ROWS); "
              "add a LIMIT or an aggregate, or pass --no-limit", file=sys.stderr)
    return 0
