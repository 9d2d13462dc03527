"""mentions_by_country_daily's rows kept in agg_country_day (migration 031, issue 18).

The view grouped every placed (article, entity) pair at each query: agg_entity_article joined to
article_places, 1.2-2.0 s at 1M articles. One row per (country, article day) now holds the place
mentions, the articles and the distinct places of that day. Distinct counts do not add up, so a
load recomputes the whole days of its articles (`refresh_country_days`, after the batch's places
are written: warehouse/load.py), reading agg_entity_article on those days only (it is in day
order). An (article, entity) row never changes once loaded and article_places changes only for a
new article or in `rebuild_places`, which rebuilds this table in its transaction.
"""

from __future__ import annotations

import duckdb

from warehouse.db import article_day_literals, keys_at_hand

COUNTRY_AGGREGATES = ("agg_country_day",)
COUNTRY_CHECK_KEYS = {"agg_country_day": ("country_code", "day")}

# The view's SELECT as it was (session 14), over {rows}: agg_entity_article or a part of it.
_COUNTRY = """
SELECT p.country_code, ea.day,
       cast(sum(ea.mentions) AS BIGINT) AS mentions,
       count(DISTINCT ea.article_id) AS articles,
       count(DISTINCT ea.entity_id) AS places
FROM {rows} ea
JOIN (SELECT article_id, entity_id, country_code FROM article_places WHERE country_code IS NOT NULL) p
    USING (article_id, entity_id)
GROUP BY ALL
"""


def expected_country_rows(rows: str = "agg_entity_article") -> dict[str, str]:
    """The table's rows recomputed from `rows`, for the rebuild and the check."""
    return {"agg_country_day": _COUNTRY.format(rows=rows)}


def rebuild_country_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """The table again, whole, in day order (inside the caller's transaction: the aggregates
    rebuild, after agg_entity_article; the places rebuild, after article_places)."""
    con.execute("DELETE FROM agg_country_day")
    con.execute(f"INSERT INTO agg_country_day BY NAME {_COUNTRY.format(rows='agg_entity_article')} "
                "ORDER BY day, country_code")


def refresh_country_days(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Recompute the days of these new articles whole (every placed row of those days), inside
    the load's transaction after their agg_entity_article and article_places rows are written."""
    if not article_ids:
        return
    with keys_at_hand(con, "article_id", sorted(set(article_ids)), "country_article_ids") as keep:
        in_days = article_day_literals(con, keep)  # literals: agg_entity_article's scan skips other days
    if in_days is None:
        return
    con.execute(f"DELETE FROM agg_country_day WHERE day IN ({in_days})")
    # The days' rows in a temp table first: over a subquery DuckDB misjudged their number and built
    # its hash table on article_places instead (2.3M rows at 1M articles: ~0.21 s of each watch-mode
    # load); a table's count is known, so the join builds on the days' rows.
    con.execute("CREATE OR REPLACE TEMP TABLE country_rows AS SELECT article_id, entity_id, day, mentions "
                f"FROM agg_entity_article WHERE day IN ({in_days})")
    try:
        con.execute(f"INSERT INTO agg_country_day BY NAME {_COUNTRY.format(rows='country_rows')}")
    finally:
        con.execute("DROP TABLE IF EXISTS temp.country_rows")
