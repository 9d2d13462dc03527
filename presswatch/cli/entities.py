"""`presswatch entities rebuild|merges|splits|places|check-places`: cross-document entity resolution
over the whole archive (docs/entities.md): re-decide every alias from the entity table and the
watchlist (one transaction, no NLP), or show the biggest merges, the biggest splits (pairs the
rules left apart) for a human to read, the share of place mentions on the map, or random placed
GPE mentions with their sentence for a hand check (docs/places.md)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, count_arg
from presswatch.config import Settings

_MERGES = """
SELECT c.canonical_name, c.canonical_label, count(*) AS spellings,
       sum(coalesce(a.mentions, 0))::BIGINT AS mentions,
       string_agg(c.name || ' (' || c.label || ', ' || coalesce(a.mentions, 0) || ')', '; '
                  ORDER BY coalesce(a.mentions, 0) DESC) AS members
FROM entity_canonical c LEFT JOIN agg_entity a USING (entity_id)
GROUP BY ALL HAVING count(*) > 1
ORDER BY mentions DESC LIMIT ?
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "entities", help="resolve entities across the archive (one canonical per real-world entity)",
        description="rebuild: re-decide which raw entity ids are one entity, from the whole archive and "
                    "the watchlist (entities.toml), in one transaction; merges: the biggest merged entities; "
                    "splits: the biggest pairs left apart (a watchlist entry can join them); "
                    "places: the share of GPE/LOC/FAC mentions resolved to coordinates; check-places: "
                    "random placed GPE mentions with their sentence and reading, for a hand check.")
    p.add_argument("action", choices=("rebuild", "merges", "splits", "places", "check-places"))
    p.add_argument("--watchlist", type=Path, help="entities.toml (default: PRESSWATCH_ENTITIES or entities.toml)")
    p.add_argument("--top", type=count_arg, default=20, help="merges, splits or places to show (default 20)")
    p.add_argument("--seed", type=int, default=0, help="check-places: the sample's seed (default 0)")
    add_warehouse_option(p)
    p.set_defaults(func=cmd_entities)


def cmd_entities(args: argparse.Namespace) -> int:
    from presswatch.entities import load_watchlist
    from presswatch.text import plain
    from warehouse.db import open_db, writer
    from warehouse.entities import biggest_splits, rebuild_archive
    from warehouse.places import placed_shares, sample_placed

    settings = Settings.load(warehouse=args.warehouse, entities=args.watchlist)
    if not settings.warehouse.exists():
        print(f"presswatch: no warehouse at {settings.warehouse}", file=sys.stderr)
        return 2
    if args.action == "rebuild":
        watchlist = load_watchlist(settings.entities)  # a bad file: WatchlistError, said in one line
        t = time.process_time()
        with writer(settings.warehouse) as con:
            rows = rebuild_archive(con, watchlist)
        places, focus = rows.pop("places"), rows.pop("article_focus")
        counts = ", ".join(f"{name} {n:,}" for name, n in rows.items())
        print(f"entities resolved in {time.process_time() - t:.1f} CPU s "
              f"({len(watchlist.entries)} watchlist entries): {counts}; places {places:,}, "
              f"articles with a focus country {focus:,}")
        return 0
    con = open_db(settings.warehouse, read_only=True, timeout=settings.read_timeout)
    try:
        if args.action == "places":
            shares = placed_shares(con)
        elif args.action == "check-places":
            sample = sample_placed(con, args.top, args.seed)
        elif args.action == "splits":
            pairs = biggest_splits(con, args.top)
        else:
            found = con.execute(_MERGES, [args.top]).fetchall()
    finally:
        con.close()
    if args.action == "places":
        for label, mentions, placed in shares:
            print(f"{label}: {placed:,} of {mentions:,} mentions on the map ({100 * placed / mentions:.1f}%)")
        return 0
    if args.action == "check-places":
        for i, r in enumerate(sample, 1):
            # Names and sentences come from web text: escaped before they reach a terminal.
            print(f"{i}. {plain(r['surface'])} -> {plain(r['place_name'] or '?')} ({r['country_code'] or '-'}, "
                  f"{r['feature'] or '?'}, {r['latitude'] or 0:.2f}, {r['longitude'] or 0:.2f}; "
                  f"geonames {r['geonames_id']}) | {plain(r['sentence'], 400)}")
        return 0
    if args.action == "splits":
        for a, la, ma, b, lb, mb, why in pairs.iter_rows():
            # Names come from web text: escaped before they reach a terminal.
            print(f"{plain(a)} [{la}] {ma} mentions | {plain(b)} [{lb}] {mb} mentions ({why})")
        return 0
    for name, label, spellings, mentions, members in found:
        # Names come from web text: escaped before they reach a terminal.
        print(f"{plain(name)} [{label}] {mentions} mentions, {spellings} ids: {plain(members, 600)}")
    return 0
