"""agg_country_day (migration 031): mentions_by_country_daily's rows, recomputed by day at load,
rebuilt with the places and with the aggregates, compared by the aggregates check. Real DuckDB file."""

from __future__ import annotations

from datetime import date

from tests.warehouse.test_places import ARTICLES, _load, _pair, con  # noqa: F401 (fixture)
from warehouse.aggregates import aggregate_differences, rebuild_aggregates
from warehouse.places import rebuild_places

# The view as it was before the table (session 14): agg_entity_article joined to article_places.
GROUPED = """
    SELECT p.country_code, ea.day, sum(ea.mentions)::BIGINT, count(DISTINCT ea.article_id),
           count(DISTINCT ea.entity_id)
    FROM agg_entity_article ea JOIN article_places p USING (article_id, entity_id)
    WHERE p.country_code IS NOT NULL GROUP BY ALL ORDER BY 2, 1"""
VIEW = "SELECT country_code, day, mentions, articles, places FROM mentions_by_country_daily ORDER BY 2, 1"


def test_each_load_recomputes_its_days_and_a_day_shared_with_an_older_batch(con):  # noqa: F811
    _load(con, [_pair(i, names, day) for i, names, day in ARTICLES[:2]])
    assert con.execute(VIEW).fetchall() == con.execute(GROUPED).fetchall() != []
    # a later batch on an earlier batch's day: that day's distinct counts are recomputed, not added
    _load(con, [_pair(4, [("England", "GPE"), ("Alabama", "GPE")], date(2024, 3, 1)),
                _pair(3, ARTICLES[2][1], ARTICLES[2][2])])
    rows = con.execute(VIEW).fetchall()
    assert rows == con.execute(GROUPED).fetchall()
    gb_first_day = [r for r in rows if r[:2] == ("GB", date(2024, 3, 1))]
    assert gb_first_day == [("GB", date(2024, 3, 1), 3, 2, 2)]  # England twice, Birmingham once: 2 places
    assert aggregate_differences(con) == []


def test_the_places_rebuild_and_the_aggregates_rebuild_keep_the_table(con):  # noqa: F811
    _load(con, [_pair(i, names, day) for i, names, day in ARTICLES])
    rebuild_places(con)  # article_places rewritten for every article, in its own transaction
    assert con.execute(VIEW).fetchall() == con.execute(GROUPED).fetchall()
    assert aggregate_differences(con) == []
    con.execute("UPDATE agg_country_day SET places = places + 1 WHERE country_code = 'GB'")
    broken = aggregate_differences(con)
    assert broken and {d.table for d in broken} == {"agg_country_day"}
    rebuild_aggregates(con)
    assert aggregate_differences(con) == [] and con.execute(VIEW).fetchall() == con.execute(GROUPED).fetchall()
