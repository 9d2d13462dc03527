"""Stores cross-document entity resolution (migration 015, docs/entities.md): the rebuild over
the whole entity table (`presswatch entities rebuild`, one transaction, idempotent) and the
incremental step the load calls for a batch's new entities."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import polars as pl

from presswatch.entities import Rules, Watchlist, resolve
from presswatch.entities.cues import cue_counts
from presswatch.entities.names import entity_key, name_key
from presswatch.entities.resolve import NAMED, demonym_links
from presswatch.load import Frames
from warehouse.coverage_aggregates import rebuild_canonical_days, refresh_aliased
from warehouse.leaders import rebuild_leaders
from warehouse.db import rollback
from warehouse.frames import query_frame

TABLES = ("entity_aliases", "entity_canonicals", "entity_links")
# A run that grew the entity table by more than this share since the last rebuild (or the first
# load) re-resolves the archive at its end: load-time resolution only joins new spellings to known
# entities; the label vote and the surname rules need the whole archive (docs/entities.md).
REBUILD_GROWTH = 0.10


def entity_table(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every raw entity with its mention count (agg_entity, kept at load) and its context cues
    (the text just around each PERSON/GPE/NORP mention: one set-based pass in DuckDB)."""
    table = con.execute("""
        SELECT e.entity_id, e.name, e.label, coalesce(a.mentions, 0)::BIGINT AS mentions
        FROM entities e LEFT JOIN agg_entity a USING (entity_id)""").pl()
    contexts = con.execute("""
        SELECT m.entity_id,
               substr(a.body, greatest(m.start_char - 24, 0) + 1,
                      m.start_char - greatest(m.start_char - 24, 0)) AS before,
               substr(a.body, m.end_char + 1, 24) AS after
        FROM mentions m JOIN articles a USING (article_id)
        WHERE m.label IN ('PERSON', 'GPE', 'NORP')""").pl()
    return table.join(cue_counts(contexts), on="entity_id", how="left")


def acronym_surfaces(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Mentions written as an acronym that an article grouped under another name (`PKK` of
    `Kurdistan Workers Party`): entity_id, surface, one row per pair (presswatch.entities: the
    introduced-acronym rule)."""
    return con.execute("""
        SELECT DISTINCT m.entity_id, m.surface
        FROM mentions m JOIN entities e USING (entity_id)
        WHERE regexp_full_match(m.surface, '[A-Z][A-Z0-9&]{1,6}') AND m.surface <> e.name""").pl()


def rebuild_entities(con: duckdb.DuckDBPyConnection, watchlist: Watchlist | None = None,
                     rules: Rules | None = None, *, now: datetime | None = None,
                     trigger: str = "command") -> dict[str, int]:
    """Re-decide every alias from the whole archive in one transaction, recorded in
    entity_rebuilds. An alias that keeps its canonical keeps its decided_at, so a second rebuild
    changes nothing in the alias tables. Returns row counts."""
    watchlist = watchlist or Watchlist()
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    entities = entity_table(con)
    resolved = resolve(entities, watchlist, rules, acronym_surfaces(con))
    aliases = resolved.filter(pl.col("reason").is_not_null()).select(
        alias_id="entity_id", canonical_id="canonical_id", key="key", reason="reason")
    watched = {(e.name, e.label) for e in watchlist.entries}
    # The canonical's key is its own raw row's (else the first key in order): `first` over an
    # unordered group_by picked any member's key, so two rebuilds could store different keys.
    canon = (resolved.filter(pl.col("canonical_id").is_in(aliases["canonical_id"])
                             | pl.col("wikidata").is_not_null()
                             | (pl.col("reason") == "watchlist"))
             .sort(["canonical_id", pl.col("entity_id") != pl.col("canonical_id"), "key", "entity_id"],
                   nulls_last=True)
             .group_by("canonical_id", maintain_order=True).agg(pl.col("canonical_name").first().alias("name"),
                                           pl.col("canonical_label").first().alias("label"),
                                           pl.col("key").drop_nulls().first().alias("key"),
                                           pl.col("wikidata").drop_nulls().first().alias("wikidata")))
    canon = canon.with_columns(watchlist=pl.Series(
        [(n, lab) in watched for n, lab in canon.select("name", "label").iter_rows()], dtype=pl.Boolean))
    links = demonym_links(resolved)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE entity_old AS SELECT * FROM entity_aliases")
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")
        query_frame(con, aliases.with_columns(now=pl.lit(now)), """
            INSERT INTO entity_aliases
            SELECT b.alias_id, b.canonical_id, b.key, b.reason,
                   CASE WHEN o.canonical_id = b.canonical_id THEN o.decided_at ELSE b.now END
            FROM batch_frame b LEFT JOIN entity_old o USING (alias_id)""")
        query_frame(con, canon, "INSERT INTO entity_canonicals BY NAME SELECT * FROM batch_frame")
        query_frame(con, links, "INSERT INTO entity_links BY NAME SELECT * FROM batch_frame")
        con.execute("INSERT INTO entity_rebuilds VALUES (?, ?, ?, ?)", [now, trigger, entities.height, aliases.height])
        rebuild_canonical_days(con)  # canonical_mentions_daily's table follows the new mapping (migration 028)
        rebuild_leaders(con)  # so do the run report's leaders (migration 036)
        con.execute("DROP TABLE temp.entity_old")
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def rebuild_due(con: duckdb.DuckDBPyConnection, growth: float = REBUILD_GROWTH) -> bool:
    """Whether the archive grew enough since its last rebuild to re-resolve it: never rebuilt
    (the first load) and holding entities, or `growth` more entities than the last rebuild saw.
    Two counts, no scan of the mentions."""
    now = con.execute("SELECT count(*) FROM entities").fetchone()[0]
    last = con.execute("SELECT entities FROM entity_rebuilds ORDER BY rebuilt_at DESC LIMIT 1").fetchone()
    return now > 0 if last is None else now > (1 + growth) * last[0]


def rebuild_archive(con: duckdb.DuckDBPyConnection, watchlist: Watchlist | None = None, *,
                    trigger: str = "command") -> dict[str, int]:
    """The entities re-resolved, then the places (they read the archive's voted labels: `BT` is
    no place; a warehouse older than migration 016 gets them too). Row counts of both."""
    from warehouse.places import rebuild_places

    rows = rebuild_entities(con, watchlist, trigger=trigger)
    places, focus = rebuild_places(con)
    return {**rows, "places": places, "article_focus": focus}


def refresh_entities(con: duckdb.DuckDBPyConnection, watchlist: Watchlist | None = None,
                     growth: float = REBUILD_GROWTH) -> dict[str, int] | None:
    """The end of an ingest run: `rebuild_archive` when `rebuild_due`; None when not due."""
    return rebuild_archive(con, watchlist, trigger="run") if rebuild_due(con, growth) else None


def resolve_new_entities(con: duckdb.DuckDBPyConnection, frames: Frames, *, now: datetime | None = None) -> int:
    """Inside the load transaction: a batch's entities not yet aliased whose name key is a known
    canonical's (or a known alias's) join that canonical (reason `load`). A set-based join of the
    batch's entities, never the archive; what the batch alone reveals waits for the rebuild."""
    batch = frames["entities"].select("entity_id", "name", "label").filter(pl.col("label").is_in(NAMED))
    if not batch.height:
        return 0
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    batch = batch.with_columns(key=entity_key(pl.col("name"), pl.col("label")), now=pl.lit(now))
    # Anti-join, no ON CONFLICT: DuckLake has no keys (warehouse/lake.py); the loader is single.
    found = pl.DataFrame(query_frame(con, batch, """
        WITH known AS (
            SELECT key, canonical_id, 0 AS rank FROM entity_canonicals WHERE key IS NOT NULL
            UNION ALL
            SELECT key, canonical_id, 1 AS rank FROM entity_aliases WHERE key IS NOT NULL
        )
        SELECT b.entity_id, arg_min(k.canonical_id, k.rank), b.key, any_value(b.now)
        FROM batch_frame b JOIN known k USING (key)
        WHERE NOT EXISTS (SELECT 1 FROM entity_aliases a WHERE a.alias_id = b.entity_id)
        GROUP BY b.entity_id, b.key"""),
        schema={"alias_id": pl.String, "canonical_id": pl.String, "key": pl.String, "decided_at": pl.Datetime("us")},
        orient="row").filter(pl.col("alias_id") != pl.col("canonical_id"))
    if found.height:
        query_frame(con, found.with_columns(reason=pl.lit("load")),
                    "INSERT INTO entity_aliases BY NAME SELECT * FROM batch_frame")
        refresh_aliased(con, found["alias_id"].to_list())  # their days move to their canonicals (migration 028)
    return found.height


def biggest_splits(con: duckdb.DuckDBPyConnection, top: int = 20) -> pl.DataFrame:
    """`presswatch entities splits`: the canonical entities (entity_canonical view, mentions
    from agg_entity) the rules left apart that an analyst may want joined (presswatch.entities.splits)."""
    from presswatch.entities.splits import candidate_splits

    table = con.execute("""
        SELECT c.canonical_id, any_value(c.canonical_name) AS name, any_value(c.canonical_label) AS label,
               sum(coalesce(a.mentions, 0))::BIGINT AS mentions
        FROM entity_canonical c LEFT JOIN agg_entity a USING (entity_id)
        WHERE c.canonical_label IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY c.canonical_id""", [list(NAMED)]).pl()
    return candidate_splits(table.with_columns(key=name_key(pl.col("name"))), top)


# What the AIDA end-to-end evaluation reads back (presswatch/cli/pipeline_eval.py), as an
# analyst's SQL would: each file's article (ingest_log also names the article a byte-identical
# file duplicated), its stored body, and every mention with its raw id, canonical id and the
# place a demonym links to.
_FILE_MENTIONS = """
SELECT f.source_path, m.start_char, m.end_char, m.entity_id, c.canonical_id, l.related_id
FROM (SELECT DISTINCT source_path, article_id FROM ingest_log WHERE article_id IS NOT NULL) f
JOIN mentions m USING (article_id)
JOIN entity_canonical c USING (entity_id)
LEFT JOIN entity_links l ON l.entity_id = c.canonical_id AND l.relation = 'demonym of'
"""
_FILE_BODIES = """
SELECT DISTINCT f.source_path, a.body FROM ingest_log f JOIN articles a USING (article_id)
"""


def mentions_by_file(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, dict[str, str]]:
    """Every stored mention with its file (source_path, start_char, end_char, entity_id,
    canonical_id, related_id), and each file's stored body."""
    return con.execute(_FILE_MENTIONS).pl(), dict(con.execute(_FILE_BODIES).fetchall())
