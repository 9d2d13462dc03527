"""`presswatch aggregates rebuild|check`: the aggregate tables the views read, recomputed from
the base tables (idempotent) or compared with that recomputation."""

from __future__ import annotations

import argparse
import sys
import time

from presswatch.cli.options import add_warehouse_option
from presswatch.config import Settings
from presswatch.text import plain


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "aggregates", help="rebuild or check the aggregate tables the analyst views read",
        description="The load keeps agg_entity_article, agg_entity_day, agg_entity and agg_cooccurrence "
                    "up to date; `rebuild` recomputes them from articles and mentions (after rows were "
                    "written by hand, to compact agg_entity_day, or to lay a big archive out for queries: big row "
                    "groups, the pairs by name), `check` lists where they disagree.")
    p.add_argument("action", nargs="?", choices=("rebuild", "check"), default="check",
                   help="rebuild: recompute from the base tables; check (default): compare, exit 1 if they differ")
    add_warehouse_option(p)
    p.set_defaults(func=cmd_aggregates)


def cmd_aggregates(args: argparse.Namespace) -> int:
    from warehouse.aggregates import aggregate_differences, rebuild_aggregates
    from warehouse.db import open_db, writer

    settings = Settings.load(warehouse=args.warehouse)
    if not settings.warehouse.exists():
        print(f"presswatch: no warehouse at {settings.warehouse}", file=sys.stderr)
        return 2
    if args.action == "rebuild":
        t = time.perf_counter()
        with writer(settings.warehouse, whole_tables=True) as con:  # big row groups: a smaller, faster file
            rows = rebuild_aggregates(con)
        counts = ", ".join(f"{name} {n:,}" for name, n in rows.items())
        print(f"aggregates rebuilt in {time.perf_counter() - t:.1f} s: {counts}")
        return 0
    con = open_db(settings.warehouse, read_only=True, timeout=settings.read_timeout)
    try:
        found = aggregate_differences(con)
    finally:
        con.close()
    for d in found:
        # plain: a key holds web text (a speaker's name), which must not run in the terminal.
        print(plain(f"{d.table} {'|'.join(d.key)}: stored {d.stored}, expected {d.expected}", 100_000))
    if found:
        print(f"presswatch: the aggregates disagree with the base tables ({len(found)} rows shown); "
              "run `presswatch aggregates rebuild`", file=sys.stderr)
        return 1
    print("aggregates agree with the base tables")
    return 0
