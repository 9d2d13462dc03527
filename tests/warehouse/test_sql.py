"""`presswatch sql` is read-only, whatever the analyst types."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.sql import SqlRefused, check_read_only, format_table, query
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


# --- the analyst's surface, end to end through `presswatch sql` -----------------------------

SIDE_DOORS = [
    "ATTACH '/tmp/other.duckdb' AS o",
    "COPY entities TO '/tmp/presswatch-leak.csv'",
    "COPY (SELECT * FROM entities) TO '/tmp/presswatch-leak.parquet' (FORMAT parquet)",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "RESET access_mode",
    "PRAGMA enable_profiling",
    "CALL pragma_version(); DROP TABLE entities",
    "EXPLAIN ANALYZE DELETE FROM entities",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM read_json_auto('/etc/os-release')",
    "SELECT * FROM read_parquet('https://example.com/x.parquet')",
    "WITH x AS (SELECT 1) DELETE FROM entities",
    "CREATE TEMP TABLE t AS SELECT 1",
    "CHECKPOINT",
    "VACUUM",
    "DETACH DATABASE w",
    "USE system",
]


@pytest.mark.parametrize("sql", SIDE_DOORS)
def test_presswatch_sql_refuses_every_side_door(sql, warehouse, capsys):
    from presswatch.cli import main

    before = warehouse.stat().st_mtime_ns, warehouse.read_bytes()
    code = main(["sql", sql, "--warehouse", str(warehouse)])
    err = capsys.readouterr().err
    assert code in (1, 2), err
    assert err.startswith("presswatch: ") and "Traceback" not in err
    assert (warehouse.stat().st_mtime_ns, warehouse.read_bytes()) == before
    assert query(warehouse, "SELECT count(*) FROM entities")[1] == [(1,)]
    assert not any(Path("/tmp").glob("presswatch-leak*"))


def test_presswatch_sql_connection_is_read_only_and_locked(warehouse):
    _, rows = query(warehouse, "SELECT current_setting('access_mode'), "
                               "current_setting('enable_external_access'), current_setting('lock_configuration')")
    assert rows == [("read_only", False, True)]
