"""`presswatch sql "SELECT ..."`: read-only SQL against the warehouse."""

from __future__ import annotations

import argparse
import sys

import duckdb

from presswatch.cli.options import add_warehouse_option
from presswatch.config import Settings
from warehouse.sql import SqlRefused, format_table, query
from warehouse.db import WarehouseBusy


def register(sub: argparse._SubParsersAction) -> None:
    sql = sub.add_parser("sql", help="run read-only SQL against the warehouse and print the result")
    sql.add_argument("query", help='e.g. "SELECT * FROM top_quoted LIMIT 10"')
    add_warehouse_option(sql)
    sql.set_defaults(func=cmd_sql)


def cmd_sql(args: argparse.Namespace) -> int:
    settings = Settings.load(warehouse=args.warehouse)
    try:
        columns, rows = query(settings.warehouse, args.query, timeout=settings.read_timeout)
    except SqlRefused as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    except (WarehouseBusy, FileNotFoundError) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:  # a SQL error: said plainly, no traceback for analysts
        print(f"presswatch: query failed: {exc}", file=sys.stderr)
        return 1
    print(format_table(columns, rows))
    return 0
