"""warehouse.diff: the refactor safety net finds a changed row and ignores run ids."""

from __future__ import annotations

import duckdb

from warehouse.diff import compare, main


def _warehouse(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create table mentions (article_id varchar, surface varchar, flow_run_id varchar)")
    con.executemany("insert into mentions values (?, ?, ?)", rows)
    con.close()
    return path


def test_same_rows_under_other_run_ids_are_equal(tmp_path):
    old = _warehouse(tmp_path / "old.duckdb", [("a", "Blinken", "run-1"), ("a", "Hamas", "run-1")])
    new = _warehouse(tmp_path / "new.duckdb", [("a", "Hamas", "run-2"), ("a", "Blinken", "run-2")])
    assert compare(old, new) == [("mentions", 2, 0, 0)]
    assert main([str(old), str(new)]) == 0


def test_a_changed_and_a_doubled_row_are_counted_both_ways(tmp_path, capsys):
    old = _warehouse(tmp_path / "old.duckdb", [("a", "Blinken", "r"), ("a", "Hamas", "r")])
    new = _warehouse(tmp_path / "new.duckdb", [("a", "Blinken", "r"), ("a", "Blinken", "r"), ("a", "Hama", "r")])
    assert compare(old, new) == [("mentions", 2, 1, 2)]
    assert main([str(old), str(new)]) == 1
    assert "mentions" in capsys.readouterr().out
