"""`presswatch search "QUERY"`: ranked articles (BM25) for a Boolean query; `--saved [NAME]`
runs the saved searches of searches.toml; `--reindex` rebuilds the full-text index now."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, count_arg, days_in_order
from presswatch.config import Settings
from presswatch.search.parser import QuerySyntaxError
from presswatch.search.saved import SearchesFileError, load_searches, pick
from presswatch.search.snippet import snippet
from presswatch.text import plain

TITLE_CHARS = 100


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="full-text search (BM25, Boolean queries) and saved searches",
                       description='Query language: words (stemmed), "phrases", AND OR NOT, (groups), '
                       "a NEAR/5 b, and the fields title: body: source: entity: theme:. "
                       "See docs/search.md.")
    p.add_argument("query", nargs="?", help='e.g. \'"climate change" NOT title:sport\'')
    p.add_argument("--saved", nargs="?", const="", metavar="NAME",
                   help="run the saved searches of searches.toml (or the one named)")
    p.add_argument("--searches", type=Path, help="saved searches file (default: PRESSWATCH_SEARCHES or searches.toml)")
    p.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="articles of this day or later")
    p.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="articles of this day or earlier")
    p.add_argument("--limit", type=count_arg, default=20, help="results at most (default: 20)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--reindex", action="store_true", help="rebuild the full-text index now (needs the writer)")
    add_warehouse_option(p)
    p.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    settings = Settings.load(warehouse=args.warehouse, searches=args.searches)
    if args.reindex:
        return _reindex(settings.warehouse)
    if refused := days_in_order(args.since, args.until):
        print(f"presswatch: {refused}", file=sys.stderr)
        return 2
    if (args.query is None) == (args.saved is None):
        print('presswatch: give a query (presswatch search "QUERY") or --saved [NAME], not both',
              file=sys.stderr)
        return 2
    try:
        if args.query is not None:
            queries = [(None, args.query, args.since)]
        else:
            saved = pick(load_searches(settings.searches, missing_ok=False), args.saved or None,
                         str(settings.searches))
            queries = [(s.name, s.query, max(filter(None, (s.since, args.since)), default=None)) for s in saved]
            if not saved:  # an empty file ran nothing and printed nothing, exit 0
                print(f"presswatch: no saved searches in {settings.searches}: add [[search]] tables "
                      "(name, query; see searches.toml.example)", file=sys.stderr)
                return 2
    except SearchesFileError as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    return _run(settings, queries, args)


def _run(settings: Settings, queries: list[tuple[str | None, str, date | None]], args: argparse.Namespace) -> int:
    from warehouse.db import WarehouseBusy, open_db
    from warehouse.search import QueryIgnored, SearchUnavailable, search

    try:
        con = open_db(settings.warehouse, read_only=True, timeout=settings.read_timeout,
                      config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    except (WarehouseBusy, FileNotFoundError) as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 1
    out = []
    try:
        for name, query, since in queries:
            try:
                results = search(con, query, since=since, until=args.until, limit=args.limit)
            except QuerySyntaxError as exc:
                print(f"presswatch: {_where(name)}{exc}\n  {plain(query)}\n  {' ' * (exc.column - 1)}^",
                      file=sys.stderr)
                return 2
            except QueryIgnored as exc:
                print(f"presswatch: {_where(name)}{exc}", file=sys.stderr)
                return 2
            except SearchUnavailable as exc:
                print(f"presswatch: {exc}", file=sys.stderr)
                return 1
            out.append((name, query, results))
    finally:
        con.close()
    if args.json:
        print(json.dumps([_as_json(n, q, r) for n, q, r in out] if args.saved is not None
                         else _as_json(*out[0]), indent=1, default=str))
    else:
        for name, query, results in out:
            print(_as_text(name, query, results))
    return 0


def _where(name: str | None) -> str:
    return f"saved search {name!r}: " if name else ""


def _as_json(name: str | None, query: str, results) -> dict:
    return {"search": name, "query": query, "ignored_stopwords": list(results.ignored),
            "indexed": results.indexed, "articles": results.articles,
            "results": [{"rank": i, "article_id": h.article_id, "title": h.title, "source": h.source,
                         "day": h.day, "score": round(h.score, 4), "snippet": snippet(h.body, results.words)}
                        for i, h in enumerate(results.hits, 1)]}


def _as_text(name: str | None, query: str, results) -> str:
    """Web text made one safe line each (control characters and escape sequences shown, not run)."""
    head = f"{name}: {plain(query)}" if name else plain(query)
    lines = [f"{head}  ({len(results.hits)} result{'s' if len(results.hits) != 1 else ''}"
             + (f"; stopwords set aside: {', '.join(results.ignored)}" if results.ignored else "") + ")"]
    if results.indexed < results.articles:
        lines.append(f"  note: the index covers {results.indexed:,} of {results.articles:,} articles "
                     "(it is rebuilt after each ingest run; or now: presswatch search --reindex)")
    for i, h in enumerate(results.hits, 1):
        lines.append(f"{i:3}. {h.score:6.2f}  {str(h.day or ''):10}  {plain(h.source or '-', 30)}  "
                     f"{plain(h.title or '(no title)', TITLE_CHARS)}")
        lines.append(f"     {plain(snippet(h.body, results.words))}")
    return "\n".join(lines)


def _reindex(warehouse: Path) -> int:
    from warehouse.db import writer
    from warehouse.search import refresh_index

    with writer(warehouse) as con:
        done = refresh_index(con, force=True)
    print(f"search index rebuilt: {done.articles:,} articles in {done.seconds:.2f} s")
    return 0
