"""story_timeline's table (migration 033): kept by each load although dedup merges stories and
flips an older article's copy flag after it was loaded; equal to a rebuild and to a recomputation;
the view gives the rows the view before it gave (tests/warehouse/reference_views/story_timeline.sql)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.warehouse.identity import REFERENCE, Comparison, _compare
from tests.warehouse.test_aggregates import _table
from tests.warehouse.test_coverage_aggregates import D, merge_scenario
from warehouse import dedup
from warehouse.aggregates import aggregate_differences, rebuild_aggregates


def _timeline(con) -> dict:
    """(the story's representative title, day) -> (articles, outlets, copies, articles_to_date)"""
    return {(t, d): (n, o, c, total) for t, d, n, o, c, total in con.execute(
        "SELECT title, day, articles, outlets, copies, articles_to_date FROM story_timeline").fetchall()}


def _scenario(refresh: bool = True):
    """test_coverage_aggregates.merge_scenario: x (day D) and y (D+1) in two stories, w a copy of
    y a week later; then zz on day D holds x and y, so y becomes a copy and y's story merges into x's."""
    con, load_zz = merge_scenario()
    before = _timeline(con)
    real = dedup.refresh_stories
    if not refresh:
        dedup.refresh_stories = lambda c, ids, merges: None
    try:
        load_zz()
    finally:
        dedup.refresh_stories = real
    return con, before


@pytest.fixture(scope="module")
def loaded():
    con, before = _scenario()
    yield con, before
    con.close()


def test_merges_and_late_copies_reach_the_table(loaded):
    con, before = loaded
    assert con.execute("SELECT count(*) FROM story_merges").fetchone()[0] >= 1  # the scenario happened
    # Before zz: y's story ran from D+1 (y) to D+8 (w, a copy of y), apart from x's.
    assert before[("y", D + timedelta(1))] == (1, 0, 0, 1)
    assert before[("y", D + timedelta(8))] == (1, 1, 1, 2)
    # After: y's story merged into x's, whose title it now shows; zz (day D, after x) copies x, and y
    # copies zz (an earlier day): y's day counts a copy now, and the running total spans the merge.
    assert _timeline(con) == {("x", D): (2, 2, 1, 2), ("x", D + timedelta(1)): (1, 0, 1, 3),
                              ("x", D + timedelta(8)): (1, 1, 1, 4), ("other", D): (1, 1, 0, 1)}
    assert aggregate_differences(con) == []


def test_the_view_gives_the_rows_of_the_view_before_it(loaded):
    con, _ = loaded
    out = Comparison()
    _compare(con, "story_timeline", (REFERENCE / "story_timeline.sql").read_text(),
             "SELECT * FROM story_timeline", {}, out)
    assert out.rows >= 4 and out.differences == []


def test_a_rebuild_gives_the_rows_the_loads_kept_and_the_check_names_a_tampered_row(loaded):
    con, _ = loaded
    kept = _table(con, "agg_story_day")
    rebuild_aggregates(con)
    assert _table(con, "agg_story_day") == kept
    con.execute("UPDATE agg_story_day SET outlets = outlets + 1 WHERE rowid = (SELECT min(rowid) FROM agg_story_day)")
    assert {d.table for d in aggregate_differences(con, limit=100)} == {"agg_story_day"}
    rebuild_aggregates(con)
    assert aggregate_differences(con) == []


def test_without_the_refresh_the_check_fails():
    con, _ = _scenario(refresh=False)
    try:
        assert {d.table for d in aggregate_differences(con, limit=100)} == {"agg_story_day"}
    finally:
        con.close()


# The stories rows' top entities as a join of every member article with `mentions` gave them
# (before session 18, when the refresh began to read agg_entity_article and the batch's counts).
TOP_FROM_MENTIONS = """
WITH members AS (SELECT story_id, article_id FROM article_copies WHERE story_id IS NOT NULL),
ents AS (SELECT story_id, entity_id, count(*) AS n FROM members JOIN mentions USING (article_id) GROUP BY ALL)
SELECT story_id, list(entity_id ORDER BY n DESC, entity_id)[1:5] FROM ents GROUP BY 1
"""


def test_the_stories_top_entities_count_every_mention_of_their_articles(loaded):
    con, _ = loaded
    stored = dict(con.execute("SELECT story_id, top_entities FROM stories WHERE merged_into IS NULL").fetchall())
    expected = dict(con.execute(TOP_FROM_MENTIONS).fetchall())
    assert stored == expected and len(expected) == 2  # x's story (with y's merged in) and other's
    assert any(len(top) == 2 for top in expected.values())


def test_a_loads_story_refreshes_find_the_members_by_the_story_index():
    """Migration 037: the members of the stories a batch touched are looked up by story id (both
    refreshes read article_stories through keyed_rows), not by a scan of every row's story id."""
    import duckdb

    from warehouse.db import keyed_rows, migrate

    con = duckdb.connect(":memory:")
    migrate(con)
    con.execute("INSERT INTO article_stories SELECT md5(i::VARCHAR), 's' || md5((i // 3)::VARCHAR), "
                "DATE '2025-01-01' + (i % 365)::INTEGER, i::VARCHAR FROM range(200000) r(i)")
    stories = ["s" + r[0] for r in con.execute("SELECT md5(i::VARCHAR) FROM range(0, 60000, 1000) r(i)").fetchall()]
    sql = f"SELECT article_id, story_id FROM {keyed_rows('article_stories', 'story_id', stories)}"
    assert len(con.execute(sql).fetchall()) == 3 * len(stories)
    plan = con.execute("EXPLAIN ANALYZE " + sql).fetchall()[0][1]
    assert "Index Scan" in plan and "Sequential Scan" not in plan
