"""The attention and tone views' aggregates (migration 026, issue 18): kept at load, rebuilt, checked.

The theme and entity attention views grouped every article-theme or article-entity row of the
archive, and entity_tone_daily ran a window over every entity-day, before a filter, a LIMIT or a
count could stop (0.2-3.3 CPU s at 100k). These tables hold their results:

- agg_article_day: all articles per (day, source, language), the views' denominators (what the
  day_totals view groups from every article);
- agg_theme_day: articles with a theme per (theme, day, source, language), with their tone sums;
- agg_entity_language_day / agg_entity_source_day: articles naming an entity per (entity, day,
  language) and per (entity, day, source), with the entity's name and label (fixed: an entity id
  is the hash of label|name), so the views are a scan and a join with a small table;
- agg_entity_tone_day: entity_tone_daily's rows with their 7-day window computed; a load
  recomputes the rows whose window holds an entity-day it added to.

Every key is an article's own attribute (day, source, language, theme) or a raw entity id: none is
re-decided after load (dedup's stories and the canonical mapping are not in them), so a batch only
adds to them (or, for the tone rows, recomputes them). Rows without a day are left out but for the
tone table: the attention views join their denominators on the day, which drops them.
`update_attention_aggregates` runs inside `warehouse.aggregates.update_aggregates`,
after its temp tables agg_batch (the batch's agg_entity_article rows) and agg_batch_days exist.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.db import day_range, null_safe_sum

ATTENTION_AGGREGATES = ("agg_article_day", "agg_theme_day", "agg_entity_language_day", "agg_entity_source_day",
                        "agg_entity_tone_day")
# The upsert keys (migration 026); warehouse.aggregates drops and makes them with its own.
ATTENTION_KEYS = {
    "agg_article_day_key": "agg_article_day (day, source, language)",
    "agg_theme_day_key": "agg_theme_day (theme, day, source, language)",
    "agg_entity_language_day_key_by_day": "agg_entity_language_day (day, entity_id, language)",  # migration 038
    "agg_entity_source_day_key_by_day": "agg_entity_source_day (day, entity_id, source)",
    "agg_entity_tone_day_key_by_day": "agg_entity_tone_day (day, entity_id)",
}

# {articles}: rows with article_id, day, source, language, tone (stg_articles or the batch's).
_ARTICLE_DAY = """
SELECT day, coalesce(source, '(unknown)') AS source, coalesce(language, '(unknown)') AS language,
       count(*) AS articles
FROM {articles}
WHERE day IS NOT NULL
GROUP BY ALL
"""
# An article counts once per theme however many rows name it (the views' `select distinct`).
_THEME_DAY = """
SELECT t.theme, a.day, coalesce(a.source, '(unknown)') AS source, coalesce(a.language, '(unknown)') AS language,
       count(*) AS articles, sum(a.tone) AS tone_sum, count(a.tone) AS tone_count
FROM (SELECT DISTINCT theme, article_id FROM {themes}) t
JOIN {articles} a USING (article_id)
WHERE a.day IS NOT NULL
GROUP BY ALL
"""
# {rows}: agg_entity_article rows (one per article and entity); {column}: language or source.
_ENTITY_COLUMN_DAY = """
SELECT r.entity_id, e.name, e.label, a.day, coalesce(a.{column}, '(unknown)') AS {column}, count(*) AS articles
FROM {rows} r
JOIN {articles} a USING (article_id)
JOIN {entities} e USING (entity_id)
WHERE a.day IS NOT NULL
GROUP BY ALL
"""
# entity_tone_daily's rows (its window, as the view ran it) over {days}, rows shaped like
# agg_entity_day (the table, or a slice of it holding 6 days before each row wanted). Unlike the
# other tables it keeps rows without a day (the view showed them): the rebuild makes them; a load
# never does (it sets every article's ingested_at, so its day).
_TONE_DAY = """
WITH entity_days AS (
    SELECT d.entity_id, e.name, e.label, d.day, d.articles, d.mentions,
           round(d.sentiment_sum / nullif(d.sentiment_count, 0), 4) AS avg_sentiment
    FROM {days} d
    JOIN {entities} e USING (entity_id)
)
SELECT entity_id, name, label, day, articles, mentions, avg_sentiment,
       round(sum(avg_sentiment * mentions) OVER w
             / nullif(sum(mentions) FILTER (WHERE avg_sentiment IS NOT NULL) OVER w, 0), 4) AS sentiment_7d,
       sum(articles) OVER w AS articles_7d
FROM entity_days
WINDOW w AS (PARTITION BY entity_id ORDER BY day RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW)
"""
_ARTICLES = "(SELECT article_id, day, source, language, tone FROM stg_articles)"


def _selects(articles: str, themes: str, rows: str, entities: str) -> dict[str, str]:
    """Each table's rows from the given relations (the batch's, or the whole tables)."""
    return {
        "agg_article_day": _ARTICLE_DAY.format(articles=articles),
        "agg_theme_day": _THEME_DAY.format(themes=themes, articles=articles),
        "agg_entity_language_day": _ENTITY_COLUMN_DAY.format(rows=rows, articles=articles, entities=entities,
                                                             column="language"),
        "agg_entity_source_day": _ENTITY_COLUMN_DAY.format(rows=rows, articles=articles, entities=entities,
                                                           column="source"),
    }


def _tone_days(days: str, entities: str) -> str:
    return _TONE_DAY.format(days=days, entities=entities)


_SUMS = {
    "agg_theme_day": ("articles = articles + excluded.articles, tone_count = tone_count + excluded.tone_count, "
                      + null_safe_sum("tone_sum")),
}


def update_attention_aggregates(con: duckdb.DuckDBPyConnection, frames, keep: pl.Series) -> None:
    """Add the batch's new articles (`keep`) to the attention aggregates, inside the load transaction.
    Reads the batch's frames and update_aggregates' temp tables agg_batch and agg_batch_days."""
    articles = frames["articles"].filter(pl.col("article_id").is_in(keep))
    themes = frames["article_themes"].filter(pl.col("article_id").is_in(keep))
    con.register("att_batch_articles", articles.select("article_id", "source", "language", "tone").to_arrow())
    con.register("att_batch_themes", themes.select("article_id", "theme").to_arrow())
    # the day from stg_articles' rule (agg_batch_days), the rest from the frame; a subquery, not a
    # temp table: the batch is small, and a temp table's create and drop would join the transaction
    batch = ("(SELECT d.article_id, d.day, a.source, a.language, a.tone "
             "FROM agg_batch_days d JOIN att_batch_articles a USING (article_id))")
    try:
        entities = "(SELECT DISTINCT ON (entity_id) entity_id, name, label FROM agg_batch_entities)"
        for table, select in _selects(batch, "att_batch_themes", "agg_batch", entities).items():
            sums = _SUMS.get(table, "articles = articles + excluded.articles")
            con.execute(f"INSERT INTO {table} BY NAME {select} ON CONFLICT DO UPDATE SET {sums}")
        _update_tone_days(con, entities)
    finally:
        con.unregister("att_batch_articles")
        con.unregister("att_batch_themes")


# The rebuild's row order: a filter on it skips row groups by zone map. The entity tables go in
# name order: a name is a string compare on every row otherwise (~80 CPU ms at 100k, against ~3),
# while a day filter on unsorted rows costs ~17 (an integer compare). Loads append after them.
_ORDER = {"agg_entity_language_day": "name, day", "agg_entity_source_day": "name, day",
          "agg_entity_tone_day": "name, day"}


def _update_tone_days(con: duckdb.DuckDBPyConnection, entities: str) -> None:
    """Recompute the agg_entity_tone_day rows whose 7-day window (day-6..day) holds an entity-day
    the batch added to (agg_entity_day took the batch already): the window runs over the batch's
    entities' agg_entity_day rows from 6 days before its first day to 6 after its last (literal
    bounds: the scan skips other days by zone map), then only those rows are kept."""
    if (days := day_range(con, "agg_batch", margin=6)) is None:
        return
    history = ("(SELECT d.* FROM agg_entity_day d SEMI JOIN (SELECT DISTINCT entity_id FROM agg_batch) b "
               f"USING (entity_id) WHERE d.day {days})")
    touched = ("(SELECT DISTINCT b.entity_id, b.day + CAST(k AS INTEGER) AS day "
               "FROM agg_batch b CROSS JOIN range(0, 7) r(k) WHERE b.day IS NOT NULL)")
    con.execute(f"INSERT INTO agg_entity_tone_day BY NAME SELECT * FROM ({_tone_days(history, entities)}) "
                f"SEMI JOIN {touched} t USING (entity_id, day) ON CONFLICT DO UPDATE SET "
                "articles = excluded.articles, mentions = excluded.mentions, avg_sentiment = excluded.avg_sentiment, "
                "sentiment_7d = excluded.sentiment_7d, articles_7d = excluded.articles_7d")


def rebuild_attention_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the (emptied) tables from the base tables, in _ORDER (else day order). Runs inside
    warehouse.aggregates.rebuild_aggregates' transaction, after agg_entity_article."""
    for table, select in expected_attention_rows().items():
        con.execute(f"INSERT INTO {table} BY NAME {select} ORDER BY {_ORDER.get(table, 'day')}")


def expected_attention_rows(rows: str = "agg_entity_article", days: str = "agg_entity_day") -> dict[str, str]:
    """Each table's rows recomputed from the base tables (`rows`, `days`: agg_entity_article and
    agg_entity_day, or their own recomputations from mentions), for the rebuild and the check."""
    tone = {"agg_entity_tone_day": _tone_days(days, "entities")}
    return _selects(_ARTICLES, "article_themes", rows, "entities") | tone


# The check's keys (warehouse.aggregates._table_differences: the first two are never NULL).
ATTENTION_CHECK_KEYS = {
    "agg_article_day": ("day", "source", "language"),
    "agg_theme_day": ("day", "source", "language", "theme"),
    "agg_entity_language_day": ("entity_id", "day", "language"),
    "agg_entity_source_day": ("entity_id", "day", "source"),
    "agg_entity_tone_day": ("entity_id", "day"),
}
