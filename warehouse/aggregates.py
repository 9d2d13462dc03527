"""The aggregate tables (migration 010): kept at load, rebuilt from the base tables on demand.

Each batch adds its own rows inside the load transaction (`update_aggregates`), with set-based
SQL over the batch's frames and its own keys: the cost of a load does not grow with the
archive. The same SQL over the whole of `stg_articles` and `mentions` rebuilds them
(`rebuild_aggregates`, idempotent), and `aggregate_differences` compares them with a
recomputation (the data check checks/aggregates_match_base_tables.sql).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from presswatch.load import Frames
from presswatch.timing import timed
from warehouse.db import rollback

AGGREGATES = ("agg_entity_article", "agg_entity_day", "agg_entity", "agg_cooccurrence")
# The upsert keys, as migration 010 makes them; a rebuild drops and makes them again (one bulk
# build), a load makes one again if a rebuild was killed before it was back.
KEYS = {"agg_entity_day_key": "agg_entity_day (entity_id, day)",
        "agg_cooccurrence_pair": "agg_cooccurrence (entity_a, entity_b)"}
_NULL_SAFE_SUM = ("sentiment_sum = CASE WHEN sentiment_sum IS NULL THEN excluded.sentiment_sum "
                  "WHEN excluded.sentiment_sum IS NULL THEN sentiment_sum "
                  "ELSE sentiment_sum + excluded.sentiment_sum END")

# One row per (article, entity) from stg_articles (its day and ingest_day: the rules stay in
# the staging view) and a mentions relation.
_ENTITY_ARTICLE = """
WITH src_articles AS (
    SELECT article_id, day, ingest_day FROM stg_articles {where}
),
per_sentence AS (
    SELECT article_id, entity_id, sentence_idx,
           arg_min(sentiment, start_char) AS sentiment,
           any_value(sentiment_method) AS sentiment_method
    FROM {mentions}
    WHERE sentiment IS NOT NULL
    GROUP BY ALL
),
scored AS (
    SELECT article_id, entity_id, count(*) AS sentences, avg(sentiment) AS score,
           any_value(sentiment_method) AS sentiment_method
    FROM per_sentence
    GROUP BY ALL
),
counted AS (
    SELECT article_id, entity_id, count(*) AS mentions, sum(sentiment) AS sentiment_sum,
           count(sentiment) AS sentiment_count
    FROM {mentions}
    GROUP BY ALL
)
SELECT c.article_id, c.entity_id, a.day, a.ingest_day, c.mentions, c.sentiment_sum, c.sentiment_count,
       coalesce(s.sentences, 0) AS sentences, s.score, s.sentiment_method
FROM counted c
JOIN src_articles a USING (article_id)
LEFT JOIN scored s USING (article_id, entity_id)
"""

# From a set of agg_entity_article rows ({rows}) to the other three tables' rows.
_ENTITY_DAY = """
SELECT entity_id, day, sum(mentions)::BIGINT AS mentions, count(*) AS articles,
       sum(sentiment_sum) AS sentiment_sum, sum(sentiment_count)::BIGINT AS sentiment_count
FROM {rows}
GROUP BY entity_id, day
"""
_ENTITY = """
SELECT a.entity_id, e.name, e.label, sum(a.mentions)::BIGINT AS mentions, count(*) AS articles,
       sum(a.sentiment_sum) AS sentiment_sum, sum(a.sentiment_count)::BIGINT AS sentiment_count
FROM {rows} a
JOIN {entities} e USING (entity_id)
GROUP BY a.entity_id, e.name, e.label
"""
# Pairs with both entities' names ({entities}: the batch's entities, or the table).
_PAIRS = """
WITH pairs AS (
    SELECT a.entity_id AS entity_a, b.entity_id AS entity_b, count(*) AS articles
    FROM {rows} a
    JOIN {rows} b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
    {where}
    GROUP BY ALL
)
SELECT p.entity_a, ea.name AS name_a, ea.label AS label_a,
       p.entity_b, eb.name AS name_b, eb.label AS label_b, p.articles
FROM pairs p
JOIN {entities} ea ON ea.entity_id = p.entity_a
JOIN {entities} eb ON eb.entity_id = p.entity_b
"""

_MENTION_COLUMNS = ("article_id", "entity_id", "sentence_idx", "start_char", "sentiment", "sentiment_method")


@timed("aggregates")  # a part of the load stage, printed apart by the archive bench
def update_aggregates(con: duckdb.DuckDBPyConnection, frames: Frames, keep: pl.Series) -> None:
    """Add one batch's new articles (`keep`, with their mentions) to the aggregates. Runs inside
    the caller's load transaction: the batch's rows and its aggregates commit together."""
    if not len(keep):
        return
    mentions = frames["mentions"].filter(pl.col("article_id").is_in(keep))
    ids = keep.to_list()
    con.register("agg_batch_mentions", mentions.select(_MENTION_COLUMNS).to_arrow())
    # The batch's entities as the table holds them (an id is the hash of label|name, so an entity
    # loaded before has the same row), read from the frame: no pass over the entities table.
    con.register("agg_batch_entities", frames["entities"].select("entity_id", "name", "label").to_arrow())
    try:
        # The batch's rows of stg_articles by key (looked up in the articles index, not scanned).
        where = f"WHERE article_id IN ({', '.join('?' * len(ids))})"
        con.execute("CREATE OR REPLACE TEMP TABLE agg_batch AS "
                    + _ENTITY_ARTICLE.format(where=where, mentions="agg_batch_mentions"), ids)
        con.execute("INSERT INTO agg_entity_article BY NAME SELECT * FROM agg_batch")
        _make_keys(con)
        sums = ("ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions, "
                f"articles = articles + excluded.articles, {_NULL_SAFE_SUM}, "
                "sentiment_count = sentiment_count + excluded.sentiment_count")
        con.execute("INSERT INTO agg_entity_day BY NAME " + _ENTITY_DAY.format(rows="agg_batch") + sums)
        con.execute("INSERT INTO agg_entity BY NAME " + _ENTITY.format(rows="agg_batch", entities="agg_batch_entities")
                    + sums)
        con.execute("INSERT INTO agg_cooccurrence BY NAME "
                    + _PAIRS.format(rows="agg_batch", where="", entities="agg_batch_entities")
                    + " ON CONFLICT DO UPDATE SET articles = articles + excluded.articles")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_batch")
        for name in ("agg_batch_mentions", "agg_batch_entities"):
            con.unregister(name)


def rebuild_aggregates(con: duckdb.DuckDBPyConnection, *, pair_parts: int = 16) -> dict[str, int]:
    """Recompute every aggregate from articles and mentions in one transaction (idempotent:
    a second rebuild gives the same rows). Rows are written in day order, so day filters skip
    by zone map; the pairs in `pair_parts` slices of entity_a, to bound memory. Returns row counts."""
    # The upsert keys go first and come back last, each in its own transaction: one bulk build
    # instead of millions of inserts into them (built inside the rebuild's transaction, they
    # would see the rows it deleted).
    for name in KEYS:
        con.execute(f"DROP INDEX IF EXISTS {name}")
    con.execute("BEGIN TRANSACTION")
    try:
        for table in AGGREGATES:
            con.execute(f"DELETE FROM {table}")
        con.execute("INSERT INTO agg_entity_article BY NAME "
                    + _ENTITY_ARTICLE.format(where="", mentions="mentions")
                    + " ORDER BY a.ingest_day, a.day")
        con.execute("INSERT INTO agg_entity_day BY NAME " + _ENTITY_DAY.format(rows="agg_entity_article")
                    + " ORDER BY day")
        con.execute("INSERT INTO agg_entity BY NAME " + _ENTITY.format(rows="agg_entity_article", entities="entities"))
        for part in range(pair_parts):
            where = f"WHERE hash(a.entity_id) % {pair_parts} = {part}"
            con.execute("INSERT INTO agg_cooccurrence BY NAME "
                        + _PAIRS.format(rows="agg_entity_article", where=where, entities="entities"))
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    finally:
        _make_keys(con)
    return aggregate_rows(con)


def _make_keys(con: duckdb.DuckDBPyConnection) -> None:
    for name, on in KEYS.items():
        con.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {on}")


def aggregate_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in AGGREGATES}


@dataclass
class Difference:
    table: str
    key: tuple
    stored: str | None  # None: the row is missing from the aggregate
    expected: str | None  # None: the aggregate holds a row the base tables do not give


def aggregate_differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[Difference]:
    """Rows where an aggregate disagrees with a recomputation from the base tables (empty:
    they agree), by checks/aggregates_match_base_tables.sql."""
    from warehouse.checks import check_files

    sql = check_files()["aggregates_match_base_tables"].rstrip().rstrip(";")
    rows = con.execute(f"SELECT * FROM ({sql}) LIMIT {int(limit)}").fetchall()
    return [Difference(r[0], tuple(r[1].split("|")), r[2], r[3]) for r in rows]
