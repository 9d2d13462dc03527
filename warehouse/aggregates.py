"""The aggregate tables (migration 010): kept at load, rebuilt from the base tables on demand.

Each batch adds its own rows inside the load transaction (`update_aggregates`), with set-based
SQL over the batch's frames and its own keys: the cost of a load does not grow with the
archive. The same SQL over the whole of `stg_articles` and `mentions` rebuilds them
(`rebuild_aggregates`, idempotent), and `aggregate_differences` compares them with a
recomputation (the data check checks/aggregates_match_base_tables.sql).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import polars as pl

from presswatch.load import Frames
from presswatch.timing import timed
from warehouse.attention_aggregates import (ATTENTION_AGGREGATES, ATTENTION_CHECK_KEYS, ATTENTION_KEYS,
                                            expected_attention_rows, rebuild_attention_aggregates,
                                            update_attention_aggregates)
from warehouse.country_aggregates import (COUNTRY_AGGREGATES, COUNTRY_CHECK_KEYS, expected_country_rows,
                                          rebuild_country_aggregates)
from warehouse.coverage_aggregates import (COVERAGE_AGGREGATES, COVERAGE_CHECK_KEYS, expected_coverage_rows,
                                           rebuild_coverage_aggregates, refresh_canonical_days, refresh_entity_days)
from warehouse.db import (ARTICLE_DAYS, INDEX_LOOKUP_MAX, day_range, key_lists, keyed_rows, keys_at_hand,
                          null_safe_sum, rollback, rows_by_key)
from warehouse.lake import is_lake_connection
from warehouse.leaders import leader_differences, rebuild_leaders
from warehouse.story_aggregates import (STORY_AGGREGATES, STORY_CHECK_KEYS, expected_story_rows,
                                        rebuild_story_aggregates)

AGGREGATES = ("agg_entity_article", "agg_entity_day", "agg_entity", "agg_cooccurrence",
              "agg_label_day", "agg_speaker", "agg_entity_sentiment_day", "agg_spike_baseline",
              "agg_spike_explanation")
# The upsert keys, as migrations 010 and 019 make them; a rebuild drops and makes them again (one bulk
# build), a load makes one again if a rebuild was killed before it was back.
# The day first in the per-entity-day keys (migration 038): a run's new keys share their day's
# part of the index, so its checkpoint writes few of the index's buffers.
KEYS = {"agg_entity_day_key_by_day": "agg_entity_day (day, entity_id)",
        "agg_cooccurrence_key": "agg_cooccurrence (pair_key)",  # migration 032
        "agg_label_day_key": "agg_label_day (day, label)",  # migration 019
        "agg_speaker_key": "agg_speaker (speaker_key, speaker)",
        "agg_entity_sentiment_day_key_by_day": "agg_entity_sentiment_day (day, entity_id)",
        "agg_spike_baseline_key_by_day": "agg_spike_baseline (day, entity_id)"}  # migration 022
AGGREGATES += ATTENTION_AGGREGATES  # migration 026: the attention views' tables
KEYS.update(ATTENTION_KEYS)
AGGREGATES += COVERAGE_AGGREGATES  # migration 028: coverage_daily's rows (no upsert key: recomputed)
AGGREGATES += COUNTRY_AGGREGATES  # migration 031: mentions_by_country_daily's rows (recomputed by day)
AGGREGATES += STORY_AGGREGATES  # migration 033: story_timeline's rows (recomputed by story, in dedup)
AGGREGATES += ("agg_top_entities",)  # migration 036: the run report's leaders (warehouse/leaders.py)
_NULL_SAFE_SUM = null_safe_sum("sentiment_sum")

# One row per (article, entity) from stg_articles (its day and ingest_day: the rules stay in
# the staging view) and a mentions relation, with the entity's name and label and the stored
# stance (migration 030: entity_article_sentiment then joins nothing; an entity's name never
# changes and a stance is written once, with its article).
_ENTITY_ARTICLE = """
WITH src_articles AS (
    SELECT article_id, day, ingest_day FROM {articles}
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
       coalesce(s.sentences, 0) AS sentences, s.score, s.sentiment_method,
       e.name, e.label, st.stance, st.score AS stance_score
FROM counted c
JOIN src_articles a USING (article_id)
LEFT JOIN scored s USING (article_id, entity_id)
LEFT JOIN {entities} e USING (entity_id)
LEFT JOIN (SELECT article_id, entity_id, stance, score FROM {stance}) st USING (article_id, entity_id)
"""
# A batch's entities (the frame may name one twice) and, for frames without the table, no stance.
_BATCH_ENTITIES = "(SELECT DISTINCT ON (entity_id) entity_id, name, label FROM agg_batch_entities)"
_NO_STANCE = ("(SELECT NULL::VARCHAR AS article_id, NULL::VARCHAR AS entity_id, NULL::VARCHAR AS stance, "
              "NULL::DOUBLE AS score WHERE false)")
_BASE_ENTITY_ARTICLE = {"articles": "stg_articles", "mentions": "mentions", "entities": "entities",
                        "stance": "entity_stance"}

# From a set of agg_entity_article rows ({rows}) to the other three tables' rows. The name and
# label ride along from those rows (migration 029: agg_entity_day and agg_spike_baseline keep
# them, so their views join no `entities`).
_ENTITY_DAY = """
SELECT entity_id, any_value(name) AS name, any_value(label) AS label, day,
       sum(mentions)::BIGINT AS mentions, count(*) AS articles,
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
       p.entity_b, eb.name AS name_b, eb.label AS label_b, p.articles,
       p.entity_a || '|' || p.entity_b AS pair_key
FROM pairs p
JOIN {entities} ea ON ea.entity_id = p.entity_a
JOIN {entities} eb ON eb.entity_id = p.entity_b
"""
# Each candidate spike day's 14 days before it (migration 022): {candidates} are entity-days with
# >= 3 articles, {history} the entity-days their baselines are read from (agg_entity_day or a
# slice of it). Offset 0 is the candidate's own row, so the inner join keeps every candidate.
_SPIKE_BASELINE = """
SELECT c.entity_id, c.name, c.label, c.day, c.articles, c.mentions,
       coalesce(sum(h.articles) FILTER (WHERE back.k > 0), 0)::BIGINT AS sum14,
       coalesce(sum(h.articles * h.articles) FILTER (WHERE back.k > 0), 0)::BIGINT AS sumsq14,
       coalesce(sum(h.articles) FILTER (WHERE back.k = 1), 0)::BIGINT AS previous_day,
       coalesce(sum(h.articles) FILTER (WHERE back.k = 7), 0)::BIGINT AS same_weekday
FROM {candidates} c
CROSS JOIN range(0, 15) back(k)
JOIN {history} h ON h.entity_id = c.entity_id AND h.day = c.day - CAST(back.k AS INTEGER)
GROUP BY c.entity_id, c.name, c.label, c.day, c.articles, c.mentions
"""
_CANDIDATES = ("(SELECT entity_id, name, label, day, articles, mentions FROM {days} "
               "WHERE articles >= 3 AND day IS NOT NULL)")
# Each candidate spike day's explanation lists (migration 025), as the spike_explanations view
# made them before (issue 18): {candidates} are (entity_id, day)s, {rows} agg_entity_article or
# a day range of it (an article's rows share its day, so the co-mentions are in it too), {articles},
# {quotes}, {entities} the tables; only the candidates' articles' rows of those are joined. Each
# list is the first 10 by the view's ORDER BY, taken by arg_min on a key struct (3x less CPU than
# list(... ORDER BY)[1:10]: one sort per group). Every key ends in a unique column, so there are
# no ties: co-mentioned entities tied on count and name come in entity-id order (the view's order
# was its hash table's), NULL flags put NULLs last as the view's ORDER BY did.
_SPIKE_LISTS = """
WITH spike_articles AS (
    SELECT ea.entity_id, ea.day, ea.article_id, ea.mentions
    FROM {rows} ea SEMI JOIN {candidates} c USING (entity_id, day)
),
article_ids AS (SELECT DISTINCT article_id FROM spike_articles),
arts AS (
    SELECT article_id, title, source, url, tone FROM {articles} SEMI JOIN article_ids USING (article_id)
),
co_rows AS (SELECT article_id, entity_id FROM {rows} SEMI JOIN article_ids USING (article_id)),
quote_rows AS (
    SELECT article_id, quote_idx, kind, text, speaker, speaker_entity_id
    FROM {quotes} SEMI JOIN article_ids USING (article_id)
),
-- the names of those rows' entities only: a hash table of every entity costs more than the rest
names AS (
    SELECT entity_id, name, label FROM {entities}
    SEMI JOIN (SELECT entity_id FROM co_rows UNION SELECT speaker_entity_id FROM quote_rows) USING (entity_id)
),
article_lists AS (
    SELECT sa.entity_id, sa.day,
           arg_min({{'article_id': a.article_id, 'title': a.title, 'source': a.source, 'url': a.url,
                    'tone': round(a.tone, 3), 'mentions': sa.mentions}},
                   {{'mentions': -sa.mentions, 'no_tone': a.tone IS NULL, 'tone': coalesce(-abs(a.tone), 0),
                    'id': a.article_id}}, 10) AS top_articles
    FROM spike_articles sa JOIN arts a USING (article_id)
    GROUP BY ALL
),
outlet_lists AS (
    SELECT entity_id, day, arg_min({{'source': source, 'articles': n}}, {{'n': -n, 'source': source}}, 10) AS outlets
    FROM (SELECT sa.entity_id, sa.day, coalesce(a.source, '(unknown)') AS source, count(*) AS n
          FROM spike_articles sa JOIN arts a USING (article_id) GROUP BY ALL)
    GROUP BY ALL
),
co_mentioned_lists AS (
    SELECT entity_id, day,
           coalesce(arg_min({{'entity_id': other_id, 'name': other_name, 'label': other_label, 'articles': n}},
                            {{'n': -n, 'name': other_name, 'id': other_id}}, 10)
                    FILTER (WHERE other_id IS NOT NULL), []) AS co_mentioned
    FROM (SELECT sa.entity_id, sa.day, e.entity_id AS other_id, e.name AS other_name, e.label AS other_label,
                 count(DISTINCT sa.article_id) AS n
          FROM spike_articles sa
          LEFT JOIN co_rows m ON m.article_id = sa.article_id AND m.entity_id <> sa.entity_id
          LEFT JOIN names e ON e.entity_id = m.entity_id
          GROUP BY ALL)
    GROUP BY ALL
),
quote_lists AS (
    SELECT sa.entity_id, sa.day,
           coalesce(arg_min({{'article_id': q.article_id, 'speaker': coalesce(e.name, q.speaker), 'text': q.text,
                             'about_entity': q.speaker_entity_id = sa.entity_id}},
                            {{'about': CASE WHEN q.speaker_entity_id = sa.entity_id THEN 0
                                           WHEN q.speaker_entity_id <> sa.entity_id THEN 1 ELSE 2 END,
                             'no_kind': q.kind IS NULL, 'kind': coalesce(q.kind, ''), 'id': q.article_id,
                             'idx': q.quote_idx}}, 10)
                    FILTER (WHERE q.article_id IS NOT NULL), []) AS quotes
    FROM spike_articles sa
    LEFT JOIN quote_rows q USING (article_id)
    LEFT JOIN names e ON e.entity_id = q.speaker_entity_id
    GROUP BY ALL
)
SELECT a.entity_id, a.day, a.top_articles, o.outlets, c.co_mentioned, q.quotes
FROM article_lists a
JOIN outlet_lists o USING (entity_id, day)
JOIN co_mentioned_lists c USING (entity_id, day)
JOIN quote_lists q USING (entity_id, day)
"""
# All mentions per (day, label): share_of_voice's denominators (migration 019).
_LABEL_DAY = """
SELECT a.day, e.label, sum(a.mentions)::BIGINT AS mentions
FROM {rows} a
JOIN {entities} e USING (entity_id)
GROUP BY a.day, e.label
"""
# Quotes per canonical speaker, as top_quoted groups them ({quotes}: the batch's or the table;
# {articles}: stg_articles or the batch's rows of it, for their day; {entities}: the table or
# the batch's, which holds every speaker entity of the batch: they are its mentions' entities).
_SPEAKER = """
SELECT coalesce(q.speaker_entity_id, '') AS speaker_key, coalesce(e.name, q.speaker) AS speaker,
       q.speaker_entity_id, e.label AS speaker_label,
       count(*) AS quotes,
       count(*) FILTER (WHERE q.kind = 'direct') AS direct_quotes,
       count(*) FILTER (WHERE q.kind = 'mixed') AS mixed_quotes,
       count(*) FILTER (WHERE q.kind = 'indirect') AS indirect_quotes,
       count(DISTINCT q.article_id) AS articles,
       sum(q.sentiment) AS sentiment_sum, count(q.sentiment) AS sentiment_count,
       min(a.day) AS first_quoted, max(a.day) AS last_quoted
FROM {quotes} q
JOIN (SELECT article_id, day FROM {articles}) a USING (article_id)
LEFT JOIN {entities} e ON e.entity_id = q.speaker_entity_id
WHERE q.speaker IS NOT NULL
GROUP BY q.speaker_entity_id, coalesce(e.name, q.speaker), e.label
"""
_SPEAKER_SUMS = ("ON CONFLICT DO UPDATE SET quotes = quotes + excluded.quotes, "
                 "direct_quotes = direct_quotes + excluded.direct_quotes, "
                 "mixed_quotes = mixed_quotes + excluded.mixed_quotes, "
                 "indirect_quotes = indirect_quotes + excluded.indirect_quotes, "
                 "articles = articles + excluded.articles, " + _NULL_SAFE_SUM + ", "
                 "sentiment_count = sentiment_count + excluded.sentiment_count, "
                 "first_quoted = least(first_quoted, excluded.first_quoted), "  # least/greatest skip NULLs
                 "last_quoted = greatest(last_quoted, excluded.last_quoted)")
# entity_article_sentiment's rows per (entity, day), classed by that view's own SQL run over a
# set of agg_entity_article rows: the document thresholds stay in the view file alone.
_SENTIMENT_DAY = """
SELECT entity_id, any_value(name) AS name, any_value(label) AS label, day,
       count(*) AS articles, sum(mentions)::BIGINT AS mentions,
       sum(avg_sentiment) AS score_sum,
       count(*) FILTER (WHERE sentiment = 'negative') AS negative_articles,
       count(*) FILTER (WHERE sentiment = 'neutral') AS neutral_articles,
       count(*) FILTER (WHERE sentiment = 'positive') AS positive_articles
FROM ({articles}) s
GROUP BY entity_id, day
"""
_SENTIMENT_SUMS = ("ON CONFLICT DO UPDATE SET articles = articles + excluded.articles, "
                   "mentions = mentions + excluded.mentions, "
                   + null_safe_sum("score_sum") + ", "
                   "negative_articles = negative_articles + excluded.negative_articles, "
                   "neutral_articles = neutral_articles + excluded.neutral_articles, "
                   "positive_articles = positive_articles + excluded.positive_articles")


def article_sentiment_sql(rows: str) -> str:
    """The entity_article_sentiment view's SELECT over `rows` (a relation shaped like
    agg_entity_article: the batch's rows, or a recomputation) instead of the whole table."""
    from warehouse.db import VIEWS

    # comments off first: they may name the tables too
    sql = re.sub(r"--[^\n]*", "", (VIEWS / "marts" / "entity_article_sentiment.sql").read_text())
    source = "from agg_entity_article"
    if sql.count(source) != 1:
        raise RuntimeError(f"entity_article_sentiment.sql must read `{source}` exactly once")
    return sql.replace(source, f"from {rows}").rstrip().rstrip(";")


_QUOTE_COLUMNS = ("article_id", "kind", "speaker", "speaker_entity_id", "sentiment")

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
    quotes = frames["quotes"].filter(pl.col("article_id").is_in(keep))
    stance = frames.tables.get("entity_stance")  # issue 15's table (entity_article_sentiment reads it)
    if stance is not None:
        stance = stance.filter(pl.col("article_id").is_in(keep))
        con.register("agg_batch_stance", stance.to_arrow())
    con.register("agg_batch_quotes", quotes.select(_QUOTE_COLUMNS).to_arrow())
    # The batch's entities as the table holds them (an id is the hash of label|name, so an entity
    # loaded before has the same row), read from the frame: no pass over the entities table.
    con.register("agg_batch_entities", frames["entities"].select("entity_id", "name", "label").to_arrow())
    try:
        _batch_days(con, ids)
        con.execute("CREATE OR REPLACE TEMP TABLE agg_batch AS "
                    + _ENTITY_ARTICLE.format(articles="agg_batch_days", mentions="agg_batch_mentions",
                                             entities=_BATCH_ENTITIES,
                                             stance="agg_batch_stance" if stance is not None else _NO_STANCE))
        con.execute("INSERT INTO agg_entity_article BY NAME SELECT * FROM agg_batch")
        _make_keys(con)
        sums = ("ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions, "
                f"articles = articles + excluded.articles, {_NULL_SAFE_SUM}, "
                "sentiment_count = sentiment_count + excluded.sentiment_count")
        con.execute("INSERT INTO agg_entity_day BY NAME " + _ENTITY_DAY.format(rows="agg_batch") + sums)
        _update_spike_baselines(con)
        _update_spike_explanations(con)
        con.execute("INSERT INTO agg_entity BY NAME " + _ENTITY.format(rows="agg_batch", entities="agg_batch_entities")
                    + sums)
        _upsert_pairs(con)
        con.execute("INSERT INTO agg_label_day BY NAME "
                    + _LABEL_DAY.format(rows="agg_batch", entities="agg_batch_entities")
                    + " ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions")
        classed = article_sentiment_sql("agg_batch")
        con.execute("INSERT INTO agg_entity_sentiment_day BY NAME "
                    + _SENTIMENT_DAY.format(articles=classed) + _SENTIMENT_SUMS)
        if quotes.height:
            con.execute("INSERT INTO agg_speaker BY NAME "
                        + _SPEAKER.format(quotes="agg_batch_quotes", articles="agg_batch_days",
                                          entities="agg_batch_entities") + _SPEAKER_SUMS)
        update_attention_aggregates(con, frames, keep)  # migration 026 (reads agg_batch, agg_batch_days)
        refresh_entity_days(con, "agg_batch")  # migration 028: after dedup gave the batch its stories
        refresh_canonical_days(con, "agg_batch")  # migration 028: canonical_mentions_daily's rows
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_batch")
        con.execute("DROP TABLE IF EXISTS temp.agg_batch_days")
        for name in ("agg_batch_mentions", "agg_batch_entities", "agg_batch_quotes", "agg_batch_stance"):
            con.unregister(name)


# A watch-mode batch's pairs (hundreds to thousands) are looked up by agg_cooccurrence's one-column
# key: the stored ones get their counts added in place (an UPDATE of `articles`, no key written),
# the others are inserted. ON CONFLICT reads every pair (60M at 1M articles: 1-9 s, 3.4 s for a
# 10-file batch of 2,000+ pairs; migration 032), a lookup ~0.15-0.3 ms a key on the fresh instance
# a load opens there (docs/performance.md, session 39): a batch looks its keys up and updates the
# stored ones in lists of db.INDEX_LOOKUP_MAX (db.key_lists), while they are at most PAIR_LOOKUP_MAX
# or one per PAIRS_PER_LOOKUP stored pairs; a bigger one (a backfill's batch on a small archive) is
# one ON CONFLICT.
# Not a DELETE and an INSERT of the same keys (session 17): DuckDB 1.5.5 can replay such a
# transaction from the WAL after a crash with the keys missing from the index (measured on the 1M
# archive: every later load then failed on a duplicate key; duckdb/duckdb#24744 describes the bug).
# DuckLake has no index: its upsert is a MERGE (warehouse/lake.py).
PAIR_LOOKUP_MAX = INDEX_LOOKUP_MAX
PAIRS_PER_LOOKUP = 5_000


def _upsert_pairs(con: duckdb.DuckDBPyConnection) -> None:
    """Add the pairs of the batch (temp table agg_batch) to agg_cooccurrence."""
    con.execute("CREATE OR REPLACE TEMP TABLE agg_batch_pairs AS "
                + _PAIRS.format(rows="agg_batch", where="", entities="agg_batch_entities"))
    try:
        keys = [r[0] for r in con.execute("SELECT pair_key FROM agg_batch_pairs").fetchall()]
        if not keys:
            return
        if not _looks_up_pairs(con, len(keys)):
            con.execute("INSERT INTO agg_cooccurrence BY NAME SELECT * FROM agg_batch_pairs "
                        "ON CONFLICT DO UPDATE SET articles = articles + excluded.articles")
            return
        found = [r[0] for r in rows_by_key(con, "SELECT pair_key FROM agg_cooccurrence", "pair_key", keys)]
        for where in key_lists("t.pair_key", found):
            con.execute("UPDATE agg_cooccurrence t SET articles = t.articles + b.articles FROM agg_batch_pairs b "
                        f"WHERE {where} AND t.pair_key = b.pair_key")
        # the stored keys as an Arrow table (a Python list bound as a parameter: ~0.1 ms a key)
        con.register("agg_found_pairs", pl.DataFrame({"pair_key": found}, schema={"pair_key": pl.String}).to_arrow())
        try:
            con.execute("INSERT INTO agg_cooccurrence BY NAME SELECT * FROM agg_batch_pairs "
                        "ANTI JOIN agg_found_pairs USING (pair_key)")
        finally:
            con.unregister("agg_found_pairs")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_batch_pairs")


def _looks_up_pairs(con: duckdb.DuckDBPyConnection, keys: int) -> bool:
    """Whether a batch of `keys` pairs looks them up (else one ON CONFLICT; _upsert_pairs)."""
    if is_lake_connection(con):
        return False
    if keys <= PAIR_LOOKUP_MAX:
        return True
    stored = con.execute("SELECT count(*) FROM agg_cooccurrence").fetchone()[0]  # the row count kept by DuckDB
    return keys <= stored // PAIRS_PER_LOOKUP


def _batch_days(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """The batch's rows of stg_articles, read from articles (db.ARTICLE_DAYS), as temp table
    agg_batch_days. A few ids are looked up in the articles index; a list of hundreds would cost
    ~90 ms to plan, so a big batch joins an Arrow table instead (~7 ms on BBC, 16 at 100k):
    warehouse.db.keys_at_hand."""
    with keys_at_hand(con, "article_id", ids, "agg_batch_ids") as keep:
        con.execute("CREATE OR REPLACE TEMP TABLE agg_batch_days AS SELECT article_id, day, ingest_day "
                    f"FROM {ARTICLE_DAYS} {keep}")


def _update_spike_baselines(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the spike baselines the batch (temp table agg_batch, after agg_entity_day took it)
    changed: its entity-days with >= 3 articles and those up to 14 days after its days. Only the
    batch's entities and its days -14..+14 of agg_entity_day are read; the bounds are literal
    dates so the scan skips other days by zone map (the table is kept roughly in day order)."""
    if (days := day_range(con, "agg_batch", margin=14)) is None:
        return
    history = ("(SELECT d.entity_id, d.name, d.label, d.day, d.articles, d.mentions FROM agg_entity_day d "
               f"SEMI JOIN (SELECT DISTINCT entity_id FROM agg_batch) b USING (entity_id) "
               f"WHERE d.day {days})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE agg_batch_history AS SELECT * FROM {history}")
    try:
        # the entity-days whose baseline window (day-14..day) holds a day of the batch
        touched = ("(SELECT h.* FROM agg_batch_history h SEMI JOIN "
                   "(SELECT DISTINCT b.entity_id, b.day + CAST(k AS INTEGER) AS day "
                   " FROM agg_batch b CROSS JOIN range(0, 15) r(k) WHERE b.day IS NOT NULL) t "
                   "USING (entity_id, day))")
        con.execute("INSERT INTO agg_spike_baseline BY NAME "
                    + _SPIKE_BASELINE.format(candidates=_CANDIDATES.format(days=touched), history="agg_batch_history")
                    + " ON CONFLICT DO UPDATE SET articles = excluded.articles, mentions = excluded.mentions, "
                    "sum14 = excluded.sum14, sumsq14 = excluded.sumsq14, previous_day = excluded.previous_day, "
                    "same_weekday = excluded.same_weekday")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_batch_history")


def _update_spike_explanations(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the explanation lists of the candidate entity-days the batch (agg_batch) has an
    article on, after agg_spike_baseline took it: a day's lists change only with its articles.
    agg_entity_article is read for the batch's days only (literal dates: zone maps), quotes,
    articles and entities for those days' candidates' articles only (semi-joins)."""
    if (days := day_range(con, "agg_batch")) is None:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE agg_batch_spikes AS "
                "SELECT DISTINCT b.entity_id, b.day FROM agg_batch b SEMI JOIN "
                f"(SELECT entity_id, day FROM agg_spike_baseline WHERE day {days}) s USING (entity_id, day)")
    try:
        con.execute(f"DELETE FROM agg_spike_explanation x WHERE x.day {days} AND EXISTS "
                    "(SELECT 1 FROM agg_batch_spikes t WHERE t.entity_id = x.entity_id AND t.day = x.day)")
        rows = f"(SELECT * FROM agg_entity_article WHERE day {days})"
        # the articles of those days only: stg_articles' day filter reaches its scans (zone maps),
        # where a semi-join by id reads every article's id
        con.execute("INSERT INTO agg_spike_explanation BY NAME " + _spike_lists(
            rows, "agg_batch_spikes", f"(SELECT * FROM stg_articles WHERE day {days})",
            _quotes_at_hand(con, rows)) + " ORDER BY left(a.entity_id, 1), a.day")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_batch_spikes")


def _quotes_at_hand(con: duckdb.DuckDBPyConnection, rows: str) -> str:
    """The quotes of the articles of agg_batch_spikes' entity-days (in `rows`), by quotes' article
    index (migration 035) while they are at most INDEX_LOOKUP_MAX: quotes has no day to skip by, so
    the semi-join read every quote's article id (7.8M at 1M articles, ~0.2 s a watch run)."""
    if is_lake_connection(con):  # no index: the semi-join's one scan
        return "quotes"
    ids = [r[0] for r in con.execute(f"SELECT DISTINCT article_id FROM {rows} "
                                     "SEMI JOIN agg_batch_spikes USING (entity_id, day)").fetchall()]
    return keyed_rows("quotes", "article_id", ids)


def _spike_lists(rows: str, candidates: str, articles: str = "articles", quotes: str = "quotes") -> str:
    """_SPIKE_LISTS over the warehouse's entities, `articles` (the table, or the part of
    stg_articles that holds every article of `rows`) and `quotes` (the table, or a part of it that
    holds every quote of those articles)."""
    return _SPIKE_LISTS.format(rows=rows, candidates=candidates, articles=articles, quotes=quotes,
                               entities="entities")


# The table is kept in (first character of entity_id, day) order: one day's rows are 16 short runs
# and one entity's are in one sixteenth of the table, so both probes of the view skip most of
# its vectors (a scan decompresses the lists only of vectors with a matching key). The rebuild
# (and migration 025's backfill) makes it in `parts` slices of that order, each about as many
# candidate articles: all lists at once take 2.3 GB at 100k articles, ~0.2 GB a slice.
SPIKE_LIST_SLICE_ARTICLES = 30_000
_SPIKE_LIST_PARTS = """
CREATE OR REPLACE TEMP TABLE agg_spike_list_parts AS
SELECT entity_id, day,
       floor((sum(articles) OVER (ORDER BY left(entity_id, 1), day, entity_id) - 1) * {parts}
             / sum(articles) OVER ())::INTEGER AS part
FROM agg_spike_baseline
"""
_SPIKE_LIST_PART = ("(SELECT entity_id, day FROM agg_spike_list_parts WHERE part = {part})",
                    "(SELECT * FROM agg_entity_article SEMI JOIN "
                    "(SELECT DISTINCT day FROM agg_spike_list_parts WHERE part = {part}) d USING (day))")


def _rebuild_spike_explanations(con: duckdb.DuckDBPyConnection) -> None:
    """agg_spike_explanation from agg_spike_baseline's candidates, in slices (above)."""
    total = con.execute("SELECT coalesce(sum(articles), 0) FROM agg_spike_baseline").fetchone()[0]
    parts = max(1, -(-int(total) // SPIKE_LIST_SLICE_ARTICLES))
    con.execute(_SPIKE_LIST_PARTS.format(parts=parts))
    try:
        for part in range(parts):
            candidates, rows = (sql.format(part=part) for sql in _SPIKE_LIST_PART)
            con.execute("INSERT INTO agg_spike_explanation BY NAME " + _spike_lists(rows, candidates)
                        + " ORDER BY left(a.entity_id, 1), a.day")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_spike_list_parts")


def rebuild_aggregates(con: duckdb.DuckDBPyConnection, *, pair_parts: int = 16) -> dict[str, int]:
    """Recompute every aggregate from articles and mentions in one transaction (idempotent:
    a second rebuild gives the same rows). Rows are written in day order, so day filters skip
    by zone map; the pairs in `pair_parts` slices of name_a ranges, each in name_b order (bounds
    memory; see _PAIR_IDS). Returns row counts."""
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
                    + _ENTITY_ARTICLE.format(**_BASE_ENTITY_ARTICLE) + " ORDER BY a.ingest_day, a.day")
        con.execute("INSERT INTO agg_entity_day BY NAME " + _ENTITY_DAY.format(rows="agg_entity_article")
                    + " ORDER BY day")
        con.execute("INSERT INTO agg_entity BY NAME " + _ENTITY.format(rows="agg_entity_article", entities="entities"))
        con.execute("INSERT INTO agg_spike_baseline BY NAME "
                    + _SPIKE_BASELINE.format(candidates=_CANDIDATES.format(days="agg_entity_day"),
                                             history="agg_entity_day") + " ORDER BY c.day")
        _rebuild_spike_explanations(con)
        _rebuild_pairs(con, pair_parts)
        con.execute("INSERT INTO agg_label_day BY NAME "
                    + _LABEL_DAY.format(rows="agg_entity_article", entities="entities") + " ORDER BY 1, 2")
        con.execute("INSERT INTO agg_speaker BY NAME "
                    + _SPEAKER.format(quotes="quotes", articles="stg_articles", entities="entities"))
        con.execute("INSERT INTO agg_entity_sentiment_day BY NAME "
                    + _SENTIMENT_DAY.format(articles=article_sentiment_sql("agg_entity_article")) + " ORDER BY day")
        rebuild_attention_aggregates(con)  # migration 026
        rebuild_coverage_aggregates(con)  # migration 028 (reads article_copies)
        rebuild_country_aggregates(con)  # migration 031 (reads article_places)
        rebuild_story_aggregates(con)  # migration 033 (reads article_copies)
        rebuild_leaders(con)  # migration 036 (reads agg_entity)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    finally:
        _make_keys(con)
    return aggregate_rows(con)


# The rebuild's pairs on integer stand-ins for the ids: a self-join of every article-entity row
# and its grouping on two integers instead of two strings (the 1M archive: 28M rows, ~10^8 pairs).
# Entities are numbered in id order, so `a.n < b.n` is `a.entity_id < b.entity_id`; only entities
# in `entities` get a number, as the inner joins of _PAIRS keep only those. The slices are ranges
# of name_a holding about as many article-entity rows each, written one after the other, each in
# name_b order: a grid, so both of entity_cooccurrence's sides skip row groups by zone map. A
# filter on name_a reads its slice (a 1/parts of the table), one on name_b a short run in each
# slice (session 33, the 1M archive: one entity 1.4-2.1 s -> 0.36-0.65 s against the table in
# name_a order, whose name_b side read every row group). The price: a watch batch's pairs touch more
# row groups, ~1.1 s more of key lookup and checkpoint at 1M (session 34, docs/performance.md).
_PAIR_IDS = """
CREATE OR REPLACE TEMP TABLE agg_pair_ids AS
SELECT row_number() OVER (ORDER BY entity_id) AS n, entity_id, name, label,
       floor((sum(articles) OVER (ORDER BY name, entity_id ROWS UNBOUNDED PRECEDING) - articles) * {parts}
             / sum(articles) OVER ())::INTEGER AS part
FROM entities JOIN (SELECT entity_id, count(*) AS articles FROM agg_entity_article GROUP BY ALL) USING (entity_id)
"""
_PAIR_ROWS = """
CREATE OR REPLACE TEMP TABLE agg_pair_rows AS
WITH arts AS (SELECT article_id, row_number() OVER () AS art FROM (SELECT DISTINCT article_id FROM agg_entity_article))
SELECT arts.art, i.n, i.part
FROM agg_entity_article ea JOIN arts USING (article_id) JOIN agg_pair_ids i USING (entity_id)
"""
_PAIR_PART = """
INSERT INTO agg_cooccurrence BY NAME
WITH pairs AS (
    SELECT a.n AS na, b.n AS nb, count(*) AS articles
    FROM agg_pair_rows a JOIN agg_pair_rows b ON a.art = b.art AND a.n < b.n
    WHERE a.part = {part}
    GROUP BY ALL
)
SELECT ia.entity_id AS entity_a, ia.name AS name_a, ia.label AS label_a,
       ib.entity_id AS entity_b, ib.name AS name_b, ib.label AS label_b, p.articles,
       ia.entity_id || '|' || ib.entity_id AS pair_key
FROM pairs p JOIN agg_pair_ids ia ON ia.n = p.na JOIN agg_pair_ids ib ON ib.n = p.nb
ORDER BY ib.name, ib.entity_id
"""


def _rebuild_pairs(con: duckdb.DuckDBPyConnection, parts: int) -> None:
    """agg_cooccurrence from agg_entity_article, in `parts` ranges of name_a (bounds memory; the
    grid layout above)."""
    try:
        con.execute(_PAIR_IDS.format(parts=parts))
        con.execute(_PAIR_ROWS)
        for part in range(parts):
            con.execute(_PAIR_PART.format(parts=parts, part=part))
    finally:
        con.execute("DROP TABLE IF EXISTS temp.agg_pair_rows")
        con.execute("DROP TABLE IF EXISTS temp.agg_pair_ids")


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
    they agree): checks/aggregates_match_base_tables.sql for migration 010's tables, then
    migration 019's, each recomputed by the SQL that maintains it."""
    from warehouse.checks import check_files

    sql = check_files()["aggregates_match_base_tables"].rstrip().rstrip(";")
    rows = con.execute(f"SELECT * FROM ({sql}) LIMIT {int(limit)}").fetchall()
    found = [Difference(r[0], tuple(r[1].split("|")), r[2], r[3]) for r in rows]
    # from the base tables, not from agg_entity_article: a row it misses shows here too
    base = "(" + _ENTITY_ARTICLE.format(**_BASE_ENTITY_ARTICLE) + ")"
    recomputed = {
        "agg_label_day": (("day", "label"), _LABEL_DAY.format(rows=base, entities="entities")),
        "agg_speaker": (("speaker_key", "speaker"), _SPEAKER.format(quotes="quotes", articles="stg_articles",
                                                                  entities="entities")),
        "agg_entity_sentiment_day": (("day", "entity_id"), _SENTIMENT_DAY.format(
            articles=article_sentiment_sql(base))),
        "agg_spike_baseline": (("entity_id", "day"), _SPIKE_BASELINE.format(
            candidates=_CANDIDATES.format(days=f"({_ENTITY_DAY.format(rows=base)})"),
            history=f"({_ENTITY_DAY.format(rows=base)})")),
        "agg_spike_explanation": (("entity_id", "day"), _spike_lists(base, "(SELECT entity_id, day FROM "
            + _CANDIDATES.format(days=f"({_ENTITY_DAY.format(rows=base)})") + " c)")),
    }
    recomputed.update({t: (ATTENTION_CHECK_KEYS[t], sql) for t, sql in expected_attention_rows(
        base, f"({_ENTITY_DAY.format(rows=base)})").items()})
    recomputed.update({t: (COVERAGE_CHECK_KEYS[t], sql) for t, sql in expected_coverage_rows(base).items()})
    recomputed.update({t: (COUNTRY_CHECK_KEYS[t], sql) for t, sql in expected_country_rows(base).items()})
    recomputed.update({t: (STORY_CHECK_KEYS[t], sql) for t, sql in expected_story_rows().items()})
    for table, (key, expected) in recomputed.items():
        if len(found) < limit:
            found += _table_differences(con, table, key, expected, limit - len(found))
    if len(found) < limit:  # migration 036: kept totals exact, none left out above the floor
        found += [Difference("agg_top_entities", (c,), s, e) for c, s, e in leader_differences(con, limit - len(found))]
    return found


def _table_differences(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...], expected: str,
                       limit: int) -> list[Difference]:
    """A stored table against its recomputation, by key: missing, extra or differing rows (a
    float to 1e-9: the addition order differs)."""
    types = dict(con.execute(f"SELECT column_name, data_type FROM duckdb_columns() "
                             f"WHERE table_name = '{table}' AND schema_name = 'main'").fetchall())
    on = " AND ".join(f"s.{k} IS NOT DISTINCT FROM e.{k}" for k in key)
    differs = []
    for col, kind in types.items():
        if kind == "DOUBLE":
            differs.append(f"coalesce(abs(s.{col} - e.{col}) > 1e-9, s.{col} IS DISTINCT FROM e.{col})")
        elif col not in key:
            differs.append(f"s.{col} IS DISTINCT FROM e.{col}")
    present = f"s.{key[0]} IS NOT NULL OR s.{key[1]} IS NOT NULL"
    rows = con.execute(f"""
        WITH e AS ({expected}), s AS (SELECT * FROM {table}),
        stored AS (SELECT {', '.join(key)}, count(*) AS copies FROM {table} GROUP BY ALL HAVING count(*) > 1)
        SELECT concat_ws('|', {', '.join(f'coalesce(s.{k}, e.{k})' for k in key)}),
               CASE WHEN {present} THEN to_json(s)::VARCHAR END,
               CASE WHEN e.{key[1]} IS NOT NULL OR e.{key[0]} IS NOT NULL THEN to_json(e)::VARCHAR END
        FROM s FULL JOIN e ON {on}
        WHERE s.{key[1]} IS NULL OR e.{key[1]} IS NULL OR {' OR '.join(differs)}
           OR EXISTS (SELECT 1 FROM stored c WHERE {' AND '.join(f'c.{k} IS NOT DISTINCT FROM s.{k}' for k in key)})
        LIMIT {int(limit)}""").fetchall()
    return [Difference(table, tuple(r[0].split("|")), r[1], r[2]) for r in rows]
