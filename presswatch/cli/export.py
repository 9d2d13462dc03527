"""`presswatch export NAME`: a view or table (or `--saved NAME`, `--search QUERY`) to Parquet,
CSV or JSON Lines; `--articles` joins in the full article rows. Read-only."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, database_target, days_in_order
from presswatch.config import Settings
from presswatch.search.parser import QuerySyntaxError
from presswatch.search.saved import SearchesFileError, load_searches, pick

FORMAT_CHOICES = ["parquet", "csv", "jsonl"]
EXTENSIONS = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a view, table or search to Parquet, CSV or JSON Lines")
    p.add_argument("name", nargs="?", help="a view or table, e.g. share_of_voice, articles, search_hits")
    p.add_argument("--saved", metavar="NAME", help="export a saved search's results (searches.toml)")
    p.add_argument("--search", metavar="QUERY", help="export a query's results (the search language)")
    p.add_argument("--format", choices=FORMAT_CHOICES,
                   help="default: from -o's suffix (.parquet, .csv, .jsonl/.ndjson/.json), parquet without one")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: NAME.FORMAT here)")
    p.add_argument("--articles", action="store_true", help="join in the full article rows (needs article_id)")
    p.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="rows of this day or later")
    p.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="rows of this day or earlier")
    p.add_argument("--csv-raw", action="store_true",
                   help="CSV: keep cells starting with = + - @ as they are (default: prefixed with ' "
                   "so spreadsheets do not run them as formulas)")
    p.add_argument("--searches", type=Path, help="saved searches file (default: PRESSWATCH_SEARCHES or searches.toml)")
    add_warehouse_option(p)
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    settings = Settings.load(warehouse=args.warehouse, searches=args.searches)
    given = [x for x in (args.name, args.saved, args.search) if x is not None]
    if len(given) != 1:
        print("presswatch: export one thing: a view or table NAME, --saved NAME, or --search QUERY",
              file=sys.stderr)
        return 2
    fmt = args.format or _format_of(args.output)
    label = args.name or args.saved or "search"
    output = args.output or Path(_file_name(label) + EXTENSIONS[fmt])  # without -o, fmt is never None
    if refused := days_in_order(args.since, args.until) or database_target(output, settings.warehouse) \
            or _unknown_format(output, fmt):
        print(f"presswatch: {refused}", file=sys.stderr)
        return 2
    try:
        query, since = args.search, None
        if args.saved is not None:
            saved = pick(load_searches(settings.searches, missing_ok=False), args.saved, str(settings.searches))[0]
            query, since = saved.query, saved.since
    except SearchesFileError as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    return _export(settings, args, label, query, since, fmt, output)


def _export(settings: Settings, args: argparse.Namespace, label: str, query: str | None,
            since: date | None, fmt: str, output: Path) -> int:
    import duckdb

    from warehouse.db import WarehouseBusy, open_db
    from warehouse.export import ExportError, Source, bounded, formula_safe, relation_source, with_articles, write
    from warehouse.search import QueryIgnored, SearchUnavailable, results_sql

    try:
        con = open_db(settings.warehouse, read_only=True, timeout=settings.read_timeout,
                      config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    except (WarehouseBusy, FileNotFoundError) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 1
    try:
        if query is None:
            source = relation_source(con, args.name)
        else:  # ranked results; the body only with --articles (then with every article column)
            sql, params, _ = results_sql(con, query, since=since)  # a saved search's own since
            order = "score DESC, day DESC NULLS LAST, article_id"
            source = Source(label, f"SELECT row_number() OVER (ORDER BY {order}) AS rank, article_id, score, "
                            f"title, source, day FROM ({sql}) ORDER BY {order}", tuple(params))
        source = bounded(con, source, args.since, args.until)
        if args.articles:
            source = with_articles(con, source)
            if query is not None:  # the join does not keep the ranking's order
                source = Source(label, f"SELECT * FROM ({source.sql}) ORDER BY rank", source.params)
        if fmt == "csv" and not args.csv_raw:
            source = formula_safe(con, source)
        rows = write(con, source, output, fmt)
    except (ExportError, QuerySyntaxError, QueryIgnored, SearchUnavailable) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"presswatch: export failed: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"exported {rows:,} rows of {label} to {output} ({fmt})")
    return 0


def _format_of(output: Path | None) -> str | None:
    """The format -o's suffix names; parquet without -o or without a suffix; None for another
    suffix (`out.xlsx` was written as Parquet under that name)."""
    from warehouse.export import SUFFIXES

    if output is None or not output.suffix:
        return "parquet"
    return SUFFIXES.get(output.suffix.lower())


def _unknown_format(output: Path, fmt: str | None) -> str | None:
    if fmt is not None:
        return None
    return (f"-o {output}: {output.suffix} names no export format; use a .parquet, .csv or .jsonl name, "
            f"or say --format {'|'.join(FORMAT_CHOICES)}")


def _file_name(label: str) -> str:
    """A saved search's name made a safe file name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in label) or "export"
