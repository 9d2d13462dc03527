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



def test_web_text_reaches_the_terminal_as_text_not_escape_sequences(warehouse, capsys):
    from presswatch.cli import main

    # An OSC 8 hyperlink, a screen clear and a carriage return that would overwrite the line.
    hostile = "Evil\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\rforged\nline"
    with writer(warehouse) as con:
        con.execute("INSERT INTO entities VALUES ('e2', ?, 'ORG')", [hostile])
    assert main(["sql", "SELECT name FROM entities WHERE entity_id = 'e2'", "--warehouse", str(warehouse)]) == 0
    assert main(["sql", "PIVOT entities ON name USING count(*) GROUP BY label ORDER BY label",
                 "--warehouse", str(warehouse)]) == 0  # the data becomes column names
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out
    assert "Evil\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\ \\x1b[2J\\rfor" in out  # shown, not run


# --- issue 12: read-only forms pass, and every query has a time and a row limit -------------


@pytest.mark.parametrize("sql", [
    "PIVOT entities ON label",
    "PIVOT entities ON label USING count(*)",
    "UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME k VALUE v",
    "FROM entities",
    "DESCRIBE entities",
    "SUMMARIZE entities",
    "SHOW TABLES",
    "VALUES (1), (2)",
])
def test_read_only_forms_of_select_pass(sql, warehouse):
    columns, rows = query(warehouse, sql)
    assert columns and rows


def test_pivot_on_a_column_gives_one_column_per_value(warehouse):
    columns, rows = query(warehouse, "PIVOT entities ON label USING count(*) GROUP BY name")
    assert columns == ["name", "PERSON"] and rows == [("Antony Blinken", 1)]


@pytest.mark.parametrize("sql", [
    "PIVOT entities ON label; CREATE TEMP TABLE t AS SELECT 1",
    "PIVOT entities ON label; DROP TABLE entities",
    "CREATE TYPE mood AS ENUM ('sad', 'ok')",
])
def test_a_pivot_opens_no_door_for_a_write(sql):
    with pytest.raises(SqlRefused, match="read-only: (CREATE|DROP) statements are refused"):
        check_read_only(sql)


def test_a_long_query_is_interrupted_at_its_time_limit(warehouse):
    import time

    from warehouse.sql import SqlTimeout, run_query

    started = time.monotonic()
    with pytest.raises(SqlTimeout, match="longer than 0.5 s and was stopped .*PRESSWATCH_SQL_TIMEOUT"):
        run_query(warehouse, "SELECT sum(hash(range)) FROM range(1000000000000)", statement_timeout=0.5)
    assert time.monotonic() - started < 10


def test_rows_past_the_limit_are_not_read_and_the_cut_is_said(warehouse, capsys, monkeypatch):
    from presswatch.cli import main
    from warehouse.sql import run_query

    result = run_query(warehouse, "SELECT * FROM range(50000)", max_rows=1000)
    assert len(result.rows) == 1000 and result.more
    assert not run_query(warehouse, "SELECT * FROM range(1000)", max_rows=1000).more

    monkeypatch.setenv("PRESSWATCH_SQL_MAX_ROWS", "5")
    assert main(["sql", "SELECT * FROM range(20)", "--warehouse", str(warehouse)]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip().endswith("(5 rows)") and "only the first 5 rows are shown" in err
    assert main(["sql", "SELECT * FROM range(20)", "--warehouse", str(warehouse), "--no-limit"]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip().endswith("(20 rows)") and err == ""


def test_five_million_rows_do_not_fill_memory(warehouse):
    """Only the rows shown are fetched: `presswatch sql` over 5M rows stays small."""
    import subprocess
    import sys

    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so the child would report the
    # peak of the (large) pytest process it was forked from.
    script = ("import re, sys; from presswatch.cli import main; "
              "code = main(['sql', 'SELECT range AS n, md5(range::VARCHAR) AS h FROM range(5000000)', "
              f"'--warehouse', {str(warehouse)!r}]); "
              "hwm = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1); "
              "print(hwm, file=sys.stderr); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "PRESSWATCH_SQL_MAX_ROWS": "1000"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("(1000 rows)")
    peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mb < 400, f"peak RSS {peak_mb:.0f} MB"
