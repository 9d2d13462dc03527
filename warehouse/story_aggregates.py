"""story_timeline's rows kept in agg_story_day (migration 033, issue 18).

The view grouped article_copies at each query (every article of the archive, its story with the
merges followed, its copy flag from the near-duplicate pairs): 1.1 s at 1M articles for one day or
a top 20. One row per (story, article day) now holds the day's articles, distinct outlets, copies
and the story's running total. Distinct counts and running totals do not add up, and an
article's story moves when dedup merges two stories (its copy flag when an earlier near duplicate
arrives late), so a load recomputes every story its articles touch, whole: the batch's articles
and the older ones dedup changed (warehouse.dedup.update, which calls `refresh_stories` after it
wrote the batch's stories and pairs). The rows come from article_copies' own rules applied to
those stories' articles (coverage_aggregates._COPIES_AT_HAND); the check compares them with the
view's.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa

from warehouse.coverage_aggregates import _COPIES_AT_HAND
from warehouse.db import keyed_rows, keys_at_hand
from warehouse.stories import current_story

STORY_AGGREGATES = ("agg_story_day",)
STORY_CHECK_KEYS = {"agg_story_day": ("story_id", "day")}

# story_timeline's daily rows as the view made them (session 4), over {copies}: article_copies or
# its columns for some articles (article_id, day, source, story_id, is_copy).
_STORY_DAY = """
SELECT story_id, day,
       count(*) AS articles,
       count(DISTINCT source) AS outlets,
       count(*) FILTER (WHERE is_copy) AS copies,
       sum(count(*)) OVER (PARTITION BY story_id ORDER BY day) AS articles_to_date
FROM (SELECT article_id, day, source, story_id, is_copy FROM {copies} WHERE story_id IS NOT NULL)
GROUP BY story_id, day
"""


def expected_story_rows() -> dict[str, str]:
    """The table's rows recomputed from the base tables (through article_copies), for the
    rebuild and the check."""
    return {"agg_story_day": _STORY_DAY.format(copies="article_copies")}


def rebuild_story_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """The table again, whole, in day order (inside the aggregates rebuild's transaction)."""
    con.execute("DELETE FROM agg_story_day")
    con.execute(f"INSERT INTO agg_story_day BY NAME {expected_story_rows()['agg_story_day']} ORDER BY day, story_id")


def refresh_stories(con: duckdb.DuckDBPyConnection, article_ids: list[str], merges: Mapping[str, str]) -> None:
    """Recompute, whole, the stories these articles belong to now (`merges`: story_merges as it
    stands, each merged story -> the story it merged into), inside the load's transaction after
    dedup wrote their stories, merges and pairs. The rows of stories merged into them go: the view
    shows a merged story under the one it merged into."""
    if not article_ids:
        return
    merged_into = {s: current_story(merges, s) for s in merges}
    with keys_at_hand(con, "article_id", sorted(set(article_ids)), "story_article_ids") as keep:
        assigned = {r[0] for r in con.execute(f"SELECT DISTINCT story_id FROM article_stories {keep}").fetchall()
                    if r[0] is not None}
    current = {merged_into.get(s, s) for s in assigned}
    if not current:
        return
    # every story whose articles now count under one of these: the stories themselves and those merged into them
    members = sorted(current | {s for s, into in merged_into.items() if into in current})
    # a table, not an IN list: a BBC-size batch touches hundreds of stories (a long list costs ~90 ms to plan)
    con.register("story_member_ids", pa.table({"story_id": pa.array(members, pa.string())}))
    try:
        con.execute("DELETE FROM agg_story_day WHERE story_id IN (SELECT story_id FROM story_member_ids)")
        # by the story_id index (migration 037) for a watch run's few stories, else one scan
        rows = keyed_rows("article_stories", "story_id", members)
        con.execute(f"CREATE OR REPLACE TEMP TABLE story_articles AS SELECT article_id FROM {rows} "
                    "WHERE story_id IN (SELECT story_id FROM story_member_ids)")
        copies = _COPIES_AT_HAND.format(ids="story_articles")
        con.execute(f"INSERT INTO agg_story_day BY NAME {_STORY_DAY.format(copies=copies)}")
    finally:
        con.unregister("story_member_ids")
        con.execute("DROP TABLE IF EXISTS temp.story_articles")

