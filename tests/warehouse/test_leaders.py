"""The run report's leaders kept at load (warehouse/leaders.py, migration 036): the report reads
the same top 10 as queries/top_entities.sql, through aliasing at load, cuts and rebuilds."""

from __future__ import annotations

import random
from datetime import datetime

import duckdb
import pytest

from tests.warehouse.test_entities import ARCHIVE, _load
from warehouse import leaders
from warehouse.aggregates import aggregate_differences, rebuild_aggregates
from warehouse.db import QUERIES, migrate
from warehouse.entities import rebuild_entities
from warehouse.leaders import leader_differences, top_entities

NAMES = [(f"Person {i}", "PERSON") for i in range(30)] + [(f"Company {i}", "ORG") for i in range(10)]


def _sql_top(con) -> list[tuple]:
    return con.execute((QUERIES / "top_entities.sql").read_text()).fetchall()


def _floor(con):
    return con.execute("SELECT mentions FROM agg_top_entities WHERE canonical_id IS NULL").fetchall()


class _Spy:
    """A connection that records its statements (which source the report read)."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)


@pytest.fixture()
def con():
    con = duckdb.connect(":memory:")
    migrate(con)
    return con


def test_the_first_load_fills_the_table_and_the_report_reads_it(con, monkeypatch):
    _load(con, ARCHIVE, datetime(2004, 3, 2))
    assert len(_floor(con)) == 1 and leader_differences(con, 100) == []
    expected = _sql_top(con)
    assert expected[:2] == [("George W Bush", "PERSON", 12), ("Tony Blair", "PERSON", 6)] and len(expected) == 9
    monkeypatch.setattr(leaders, "QUERIES", QUERIES / "missing")  # the file cannot be the one read
    assert top_entities(con) == expected


def test_spellings_joined_at_load_move_their_totals_to_the_canonical(con):
    """After a rebuild, a load's new spellings of known names join their canonicals
    (warehouse.entities.resolve_new_entities): the kept totals follow, and the report equals the
    SQL file's."""
    _load(con, ARCHIVE, datetime(2004, 3, 2))
    rebuild_entities(con)
    assert top_entities(con) == _sql_top(con)
    _load(con, [[("GEORGE W BUSH", "PERSON"), ("Mr. Blair", "PERSON")]] * 3, datetime(2004, 3, 3), first=100)
    assert con.execute("SELECT count(*) FROM entity_aliases WHERE reason = 'load'").fetchone()[0] == 2
    assert leader_differences(con, 100) == [] and aggregate_differences(con) == []
    assert top_entities(con) == _sql_top(con)
    assert top_entities(con)[:2] == [("George W Bush", "PERSON", 21), ("Tony Blair", "PERSON", 11)]


def test_random_loads_with_a_small_table_keep_the_report_exact(con, monkeypatch):
    """10 kept leaders of 40 names, so cuts raise the floor: the report stays the SQL file's (from
    the table while its 10th total is above the floor, else from the file), the check finds nothing."""
    monkeypatch.setattr(leaders, "LEADERS_KEPT", 10)
    rng = random.Random(38)
    from_table = 0
    for batch in range(12):
        articles = [[rng.choice(NAMES[:8] if rng.random() < 0.7 else NAMES) for _ in range(rng.randint(1, 4))]
                    for _ in range(5)]
        _load(con, articles, datetime(2004, 3, 2 + batch), first=batch * 10)
        if batch == 6:
            rebuild_entities(con)
        assert leader_differences(con, 100) == [], batch
        beyond = con.execute("SELECT count(*) FROM (SELECT rank() OVER (ORDER BY mentions DESC) AS r "
                             "FROM agg_top_entities WHERE canonical_id IS NOT NULL) WHERE r > 10").fetchone()[0]
        assert beyond == 0  # the 10 largest, ties at the last rank too
        spy = _Spy(con)
        assert top_entities(spy) == _sql_top(con), batch
        from_table += not any("with totals as" in sql for sql in spy.statements)
    assert from_table >= 6  # after each cut the 10th kept total is above the floor


def test_fewer_kept_than_the_report_shows_reads_the_file(con, monkeypatch):
    """3 kept of 40 names: the floor is above 0 and 10 ranks cannot be filled from the table."""
    monkeypatch.setattr(leaders, "LEADERS_KEPT", 3)
    more = [[NAMES[0]]] * 3 + [[NAMES[1]]] * 2 + [[NAMES[2]]]  # totals 4, 3, 2, then 37 of 1
    _load(con, [[name] for name in NAMES] + more, datetime(2004, 3, 2))
    assert _floor(con)[0][0] == 1 and leader_differences(con, 100) == []
    spy = _Spy(con)
    assert top_entities(spy) == _sql_top(con) and len(_sql_top(con)) == 10
    assert any("with totals as" in sql for sql in spy.statements)  # the file decided


def test_a_wrong_kept_total_or_a_leader_left_out_is_reported_and_rebuilt(con):
    _load(con, ARCHIVE, datetime(2004, 3, 2))
    con.execute("UPDATE agg_top_entities SET mentions = mentions + 1 WHERE canonical_id IS NOT NULL "
                "AND mentions = (SELECT max(mentions) FROM agg_top_entities)")
    found = aggregate_differences(con)
    assert [d.table for d in found] == ["agg_top_entities"] and found[0].stored == "13"
    con.execute("DELETE FROM agg_top_entities WHERE mentions = 13")
    assert [d.expected for d in aggregate_differences(con)] == ["12"]  # left out above the floor
    rebuild_aggregates(con)
    assert aggregate_differences(con) == [] and top_entities(con) == _sql_top(con)


def test_without_its_floor_row_the_report_reads_the_file_and_the_next_load_fills_it(con):
    _load(con, ARCHIVE, datetime(2004, 3, 2))
    con.execute("DELETE FROM agg_top_entities")  # emptied by hand: the floor row gone too
    assert leader_differences(con, 100) == [] and top_entities(con) == _sql_top(con)
    _load(con, [[("Kate Bush", "PERSON")]], datetime(2004, 3, 3), first=50)
    assert len(_floor(con)) == 1 and leader_differences(con, 100) == []
    assert top_entities(con) == _sql_top(con)
