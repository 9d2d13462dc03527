"""Near-duplicates, wire credits and stories of a batch, inside its load transaction.

`update` is the one call warehouse/load.py makes after a batch's article rows are inserted.
The batch is compared with the articles already in the warehouse through the persisted LSH
bands (minhash_bands), within the publish-date window, never pairwise: the candidates are the
articles sharing a band, and only those are read back (their bodies) for the exact check.
Signatures are computed here, at load (docs/dedup.md: ~1 ms an article, measured).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import duckdb
import polars as pl

from presswatch.dedup.minhash import SCHEME, band_keys, signature
from presswatch.dedup.near import Doc, Pair, Thresholds, confirm, doc
from presswatch.dedup.shingles import words
from presswatch.dedup.stories import StoryThresholds, story_doc
from presswatch.dedup.wire import WireDetector, load_agencies
from presswatch.timing import stage
from warehouse import stories as story_rows
from warehouse.coverage_aggregates import refresh_articles
from warehouse.db import rows_by_key
from warehouse.frames import query_frame as _query
from warehouse.story_aggregates import refresh_stories


@dataclass(frozen=True)
class DedupOptions:
    near: Thresholds = field(default_factory=Thresholds)
    stories: StoryThresholds = field(default_factory=StoryThresholds)
    agencies_file: Path | None = None  # the user's extra agencies (Settings.wire_agencies)


_detectors: dict[Path | None, WireDetector] = {}


def detector(agencies_file: Path | None) -> WireDetector:
    if agencies_file not in _detectors:
        _detectors[agencies_file] = WireDetector(load_agencies(agencies_file))
    return _detectors[agencies_file]


@dataclass
class DedupResult:
    pairs: list[Pair]
    stories: dict[str, str]


def update(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pl.DataFrame], keep: pl.Series,
           options: DedupOptions = DedupOptions()) -> DedupResult:
    """Signatures, bands, confirmed pairs, wire credits and stories for the batch's new
    articles (`keep`: the ids of the article rows just inserted from `frames`)."""
    with stage("dedup"):
        articles = frames["articles"].filter(pl.col("article_id").is_in(keep))
        mentions = frames["mentions"].filter(pl.col("article_id").is_in(keep))
        if not articles.height:
            return DedupResult([], {})
        rows = articles.select("article_id", "title", "published_at", "ingested_at", "body", "authors",
                               "source").to_dicts()
        docs, order, toks = {}, {}, {}
        sig_rows, band_rows = [], []
        wire = detector(options.agencies_file)
        scheme = SCHEME.version  # a property that formats its string: once, not once per band row
        for r in rows:
            day = r["published_at"] or r["ingested_at"].date()
            order[r["article_id"]] = (day, r["ingested_at"], r["article_id"])
            toks[r["article_id"]] = words(r["body"])  # split once: shingles and the story's lead
            d = doc(r["article_id"], day, r["body"], toks[r["article_id"]])
            sh = d.shingles
            docs[r["article_id"]] = d
            searchable = len(sh) >= options.near.min_shingles
            sig = signature(sh) if searchable else None
            credit = wire.credit(r["body"], r["authors"], r["source"])
            sig_rows.append({"article_id": r["article_id"], "scheme": scheme, "shingles": len(sh),
                             "signature": sig.tolist() if sig is not None else None,
                             "wire_agency": credit and credit.agency, "wire_where": credit and credit.where,
                             "wire_credit": credit and credit.text})
            if sig is not None:
                band_rows += [(k, r["article_id"], day, scheme) for k in band_keys(sig)]
        _query(con, pl.DataFrame(sig_rows, schema={
            "article_id": pl.String, "scheme": pl.String, "shingles": pl.Int32, "signature": pl.List(pl.UInt32),
            "wire_agency": pl.String, "wire_where": pl.String, "wire_credit": pl.String}),
            "INSERT INTO article_signatures BY NAME SELECT * FROM batch_frame")
        bands = pl.DataFrame(band_rows, schema={"band_key": pl.Int64, "article_id": pl.String, "day": pl.Date,
                                                "scheme": pl.String}, orient="row")
        _query(con, bands, "INSERT INTO minhash_bands BY NAME SELECT * FROM batch_frame")
        pairs = _confirmed(con, bands, docs, options.near)
        if pairs:
            _query(con, pl.DataFrame([p.__dict__ for p in pairs]).rename({"a": "article_id", "b": "other_id"}),
                   "INSERT INTO near_duplicates BY NAME SELECT * FROM batch_frame ON CONFLICT DO NOTHING")
        near: dict[str, set[str]] = defaultdict(set)
        for p in pairs:
            near[p.a].add(p.b)
            near[p.b].add(p.a)
        ents = mentions.group_by("article_id").agg(pl.col("entity_id").unique()) if mentions.height else None
        ent_of = dict(zip(ents["article_id"], ents["entity_id"].to_list(), strict=True)) if ents is not None else {}
        batch = [story_doc(r["article_id"], docs[r["article_id"]].day, r["title"], r["body"],
                           ent_of.get(r["article_id"], ()), toks[r["article_id"]]) for r in rows]
        merges_before = _merges(con)
        counts = mentions.group_by("article_id", "entity_id").agg(pl.len().cast(pl.Int64).alias("n"))
        assigned = story_rows.update(con, batch, near, order, options.stories, _query,
                                     near_window_days=options.near.window_days, mention_counts=counts)
        # older articles whose copy flag or story this batch may have changed: coverage_daily's rows
        # (the batch's own rows come later, in update_aggregates: agg_entity_article lacks them here)
        merges_after = _merges(con)
        older = {x for p in pairs for x in (p.a, p.b)} | _merged_articles(con, merges_before, merges_after)
        refresh_articles(con, sorted(older - order.keys()))
        refresh_stories(con, sorted(older | order.keys()), merges_after)  # story_timeline's rows (migration 033)
        return DedupResult(pairs, assigned)


def _merges(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """story_merges as a dict (a few rows: stories.SQLWindow reads it whole too)."""
    return dict(con.execute("SELECT story_id, merged_into FROM story_merges").fetchall())


def _merged_articles(con: duckdb.DuckDBPyConnection, before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The articles whose current story a new or changed merge moved: those assigned to a merged
    story or to any story merged into it before."""
    moved = {s for s, into in after.items() if before.get(s) != into}
    if not moved:
        return set()
    into_of: dict[str, list[str]] = defaultdict(list)
    for s, into in after.items():
        into_of[into].append(s)
    stories, todo = set(moved), list(moved)
    while todo:
        for s in into_of.get(todo.pop(), ()):
            if s not in stories:
                stories.add(s)
                todo.append(s)
    ids = pl.DataFrame({"story_id": sorted(stories)})
    return {r[0] for r in _query(con, ids, "SELECT article_id FROM article_stories JOIN batch_frame USING (story_id)")}


def _confirmed(con: duckdb.DuckDBPyConnection, bands: pl.DataFrame, docs: dict[str, Doc],
               t: Thresholds) -> list[Pair]:
    """Candidates (a shared band, days within the window, same scheme) checked exactly."""
    if not bands.height:
        return []
    # The window as literal dates too (implied by the date_diff condition, so the same rows):
    # minhash_bands is kept in day order, and literal bounds let its scan skip the other days
    # by zone map (the join's condition alone reads every row).
    window = timedelta(days=int(t.window_days))
    lo, hi = bands["day"].min() - window, bands["day"].max() + window
    cands = _query(con, bands, f"""
        SELECT DISTINCT b.article_id, o.article_id
        FROM batch_frame b JOIN minhash_bands o
          ON o.band_key = b.band_key AND o.scheme = b.scheme AND o.article_id <> b.article_id
        WHERE abs(date_diff('day', b.day, o.day)) <= {int(t.window_days)}
          AND o.day BETWEEN DATE '{lo:%Y-%m-%d}' AND DATE '{hi:%Y-%m-%d}'""")
    others = sorted({o for _, o in cands if o not in docs})
    # by the articles' key index: a join would read every body past 50 candidates (rows_by_key)
    for aid, body, day in rows_by_key(con, "SELECT article_id, body, coalesce(published_at, "
                                      "cast(ingested_at AS DATE)) FROM articles", "article_id", others):
        docs[aid] = doc(aid, day, body)
    found: dict[tuple[str, str], Pair] = {}
    for a, b in cands:
        key = tuple(sorted((a, b)))
        if key not in found and (p := confirm(docs[a], docs[b], t)) is not None:
            found[key] = p
    return list(found.values())
