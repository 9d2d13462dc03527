"""`presswatch sql` is read-only, whatever the analyst types."""

from __future__ import annotations

import pytest

from presswatch.sql import SqlRefused, check_read_only, format_table, query
from warehouse.db import writer


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with writer(path) as con:
        con.execute("INSERT INTO entities VALUES ('e1', 'Antony Blinken', 'PERSON')")
    return path


@pytest.mark.parametrize("sql,kind", [
    ("DROP TABLE articles", "DROP"),
    ("DELETE FROM entities", "DELETE"),
    ("INSERT INTO entities VALUES ('x', 'y', 'z')", "INSERT"),
    ("UPDATE entities SET name = 'x'", "UPDATE"),
    ("CREATE TABLE t (a INT)", "CREATE"),
    ("ATTACH 'other.duckdb'", "ATTACH"),
    ("COPY entities TO '/tmp/out.csv'", "COPY"),
    ("SET threads = 1", "SET"),
    ("INSTALL httpfs", "LOAD"),
    ("LOAD fts", "LOAD"),
    ("SELECT 1; DROP TABLE articles", "DROP"),
    ("EXPORT DATABASE '/tmp/x'", "EXPORT"),
])
def test_writes_and_side_doors_are_refused_before_execution(sql, kind):
    with pytest.raises(SqlRefused, match=f"read-only: {kind} statements are refused"):
        check_read_only(sql)


def test_reading_files_outside_the_warehouse_is_refused(warehouse):
    with pytest.raises(Exception, match="(?i)file system operations are disabled|external access"):
        query(warehouse, "SELECT * FROM read_csv('/etc/passwd')")


def test_select_returns_columns_and_rows_and_table_survives_drop_attempt(warehouse):
    with pytest.raises(SqlRefused):
        query(warehouse, "DROP TABLE entities")
    columns, rows = query(warehouse, "SELECT name, label FROM entities")
    assert columns == ["name", "label"]
    assert rows == [("Antony Blinken", "PERSON")]
    text = format_table(columns, rows)
    assert "Antony Blinken" in text and text.endswith("(1 row)")
