"""The warehouse on DuckLake (file catalog): same tables, views and migrations as a DuckDB file;
upserts translated to MERGE behave as the keyed originals; uniqueness kept by the loader."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_load import _batch
from warehouse import lake
from warehouse.db import WarehouseRefused, check_warehouse, migrate, open_db, writer
from warehouse.load import load_batch
from warehouse.sql import SqlRefused, run_query

NOW = __import__("datetime").datetime(2024, 1, 1, 12, 0)


@pytest.fixture()
def target(tmp_path: Path) -> str:
    return f"ducklake:{tmp_path / 'cat.ducklake'}?data_path={tmp_path / 'files'}/"


def _columns(con) -> set[tuple]:
    return set(con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name <> 'lake_writer'").fetchall())


def test_translate_ddl_drops_what_ducklake_lacks_and_keeps_the_rest():
    sql = """CREATE TABLE t (
        a VARCHAR PRIMARY KEY,   -- a comment, with a comma (and parens)
        b INTEGER NOT NULL DEFAULT 3 CHECK (b > 0),
        c VARCHAR UNIQUE,
        PRIMARY KEY (a),
        CHECK (c IN ('x', 'y'))
    );
    CREATE UNIQUE INDEX t_c ON t (c);
    ALTER TABLE t ADD COLUMN d VARCHAR;
    ALTER TABLE t ALTER d TYPE VARCHAR USING a || '|' || c;
    DROP INDEX IF EXISTS t_c;"""
    out = lake.translate_ddl(sql)
    assert "PRIMARY" not in out and "UNIQUE" not in out and "CHECK" not in out and "INDEX" not in out
    con = duckdb.connect()
    con.execute(out)
    assert con.execute("SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 't' "
                       "ORDER BY column_index").fetchall() == [
        ("a", "VARCHAR", True), ("b", "INTEGER", False), ("c", "VARCHAR", True), ("d", "VARCHAR", True)]
    assert con.execute("INSERT INTO t (a) VALUES ('x') RETURNING b").fetchone() == (3,)
    assert "UPDATE t SET d = CAST((a || '|' || c) AS VARCHAR);" in out  # DuckLake: no TYPE ... USING


def test_same_tables_views_and_migrations_as_a_duckdb_file(target, tmp_path):
    with writer(target) as con:
        assert lake.is_lake_connection(con)
        lake_cols = _columns(con)
        lake_views = {r[0] for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()}
        lake_migrations = con.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
        for view in sorted(lake_views):  # every view binds and runs on the lake's tables
            con.execute(f'SELECT * FROM "{view}" LIMIT 1').fetchall()
    file = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(file)
    assert lake_cols == _columns(file)
    assert lake_views == {r[0] for r in file.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall()}
    assert lake_migrations == file.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
    # The data path is the one given, recorded in the catalog: a later open needs only the catalog.
    plain = lake.parse_target(target).catalog
    with writer(f"ducklake:{plain}") as con:
        assert lake.data_path(con) == f"{tmp_path / 'files'}/"
        assert migrate(con) == []  # nothing applied twice


@pytest.mark.parametrize("sql, rows", [
    ("INSERT INTO t BY NAME SELECT * FROM (VALUES ('a', 5), ('c', 1)) v(k, n) "
     "ON CONFLICT DO UPDATE SET n = n + excluded.n", [("a", 6), ("b", 2), ("c", 1)]),
    ("INSERT INTO t BY NAME SELECT * FROM (VALUES ('a', 5), ('c', 1), ('c', 9)) v(k, n) ON CONFLICT DO NOTHING",
     [("a", 1), ("b", 2), ("c", 1)]),
    ("INSERT OR REPLACE INTO t VALUES ('a', 7), ('d', 4)", [("a", 7), ("b", 2), ("d", 4)]),
    ("INSERT OR IGNORE INTO t VALUES ('a', 7), ('d', 4)", [("a", 1), ("b", 2), ("d", 4)]),
])
def test_upserts_give_the_keyed_tables_rows(sql, rows, tmp_path, monkeypatch):
    monkeypatch.setitem(lake._keys_cache, "t", ("k",))
    keyed = duckdb.connect()
    keyed.execute("CREATE TABLE t (k VARCHAR PRIMARY KEY, n INTEGER)")
    on_lake = lake.connect(f"ducklake:{tmp_path / 'u.ducklake'}")
    try:
        on_lake.execute(lake.translate_ddl("CREATE TABLE t (k VARCHAR PRIMARY KEY, n INTEGER)"))
        for con in (keyed, on_lake):
            con.execute("INSERT INTO t VALUES ('a', 1), ('b', 2)")
            if "('c', 9)" in sql and con is keyed:  # DuckDB refuses a key twice in one insert; its first wins
                con.execute(sql.replace(", ('c', 9)", ""))
            else:
                con.execute(sql)
        assert on_lake.execute("FROM t ORDER BY k").fetchall() == keyed.execute("FROM t ORDER BY k").fetchall() == rows
    finally:
        on_lake.close()


def test_a_batch_loaded_twice_keeps_one_article_entity_and_ledger_row(target):
    outcomes, frames = _batch(("/d/a.txt", "sa", "Blinken spoke in Paris today.", None),
                              ("/d/b.txt", "sb", "Blinken spoke in Paris today.", None),
                              ("/d/c.txt", "sc", None, "ValueError: bad"))
    for _ in range(2):
        with writer(target) as con:
            load_batch(con, outcomes, frames, flow_run_id="r", seen_at=NOW)
    con = open_db(target, read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (1, 1)
        assert con.execute("SELECT count(*), count(DISTINCT entity_id) FROM entities").fetchone() == (1, 1)
        assert con.execute("SELECT count(*), count(DISTINCT (file_sha256, source_path)) FROM ingest_log"
                           ).fetchone() == (3, 3)
        assert sorted(r[0] for r in con.execute("SELECT status FROM ingest_log").fetchall()) == [
            "duplicate", "loaded", "quarantined"]
        assert con.execute("SELECT sum(mentions) FROM agg_entity").fetchone() == (1,)
    finally:
        con.close()


def test_presswatch_sql_reads_a_lake_and_stays_read_only(target):
    with writer(target):
        pass
    result = run_query(target, "SELECT version, name FROM schema_migrations ORDER BY version LIMIT 1")
    assert result.rows == [(1, "001_core_tables")]
    assert run_query(target, "SELECT count(*) FROM stg_articles").rows == [(0,)]  # a view on the lake
    with pytest.raises(SqlRefused):
        run_query(target, "DELETE FROM articles")


def test_bad_lake_targets_are_refused_clearly(tmp_path):
    with pytest.raises(lake.LakeError, match="names no catalog"):
        lake.parse_target("ducklake:")
    with pytest.raises(lake.LakeError, match="names no catalog"):
        lake.parse_target("ducklake:sqlite:")
    with pytest.raises(lake.LakeError, match="not supported"):
        lake.parse_target("ducklake:mysql:db=x")
    (tmp_path / "dir").mkdir()
    with pytest.raises(WarehouseRefused, match="is a folder"):
        check_warehouse(f"ducklake:{tmp_path / 'dir'}")
    foreign = tmp_path / "foreign.ducklake"
    con = lake.connect(f"ducklake:{foreign}")
    con.execute("CREATE TABLE other (x INT)")
    con.close()
    with pytest.raises(WarehouseRefused, match="not a presswatch warehouse"):
        check_warehouse(f"ducklake:{foreign}")


def test_maintenance_merges_files_and_expires_snapshots(target):
    for k in range(3):  # three loads: three sets of small files, three snapshots and more
        outcomes, frames = _batch(*[(f"/d/{k}-{i}.txt", f"s{k}-{i}", f"Blinken spoke in town {k}-{i}.", None)
                                    for i in range(30)])
        with writer(target) as con:
            load_batch(con, outcomes, frames, flow_run_id=f"r{k}", seen_at=NOW)
    with writer(target) as con:
        before = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
        done = lake.maintain(con, keep_days=0)
        after = con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone()
    assert before == after == (90, 90)
    assert done.snapshots_after < done.snapshots_before
    assert done.files_after <= done.files_before
    with pytest.raises(lake.LakeError, match="DuckLake"):
        lake.maintain(duckdb.connect())


def test_serve_schedules_maintenance_only_for_a_lake(target):
    from flows.serve import maintenance_deployments

    assert maintenance_deployments({"warehouse": "/srv/w.duckdb"}) == []
    [deployment] = maintenance_deployments({"warehouse": target})
    assert deployment.name == "lake" and deployment.parameters["warehouse"] == target


def test_the_data_path_setting_travels_in_the_target(monkeypatch):
    from presswatch.config import Settings, SettingsError

    monkeypatch.setenv("PRESSWATCH_WAREHOUSE", "ducklake:/srv/pw/catalog.ducklake")
    monkeypatch.setenv("PRESSWATCH_LAKE_DATA_PATH", "s3://bucket/presswatch/")
    target = lake.parse_target(Settings.load().warehouse)  # a Path folds s3:// to s3:/ on the way
    assert (target.catalog, target.data_path) == ("/srv/pw/catalog.ducklake", "s3://bucket/presswatch/")
    monkeypatch.setenv("PRESSWATCH_WAREHOUSE", "/srv/pw/w.duckdb")
    with pytest.raises(SettingsError, match="not a DuckLake target"):
        Settings.load()


def test_a_sqlite_catalog_is_a_local_file_with_its_data_beside_it(tmp_path):
    target = f"ducklake:sqlite:{tmp_path / 'cat.sqlite'}"
    parsed = lake.parse_target(target)
    assert parsed.sqlite and not parsed.postgres and parsed.catalog_file == tmp_path / "cat.sqlite"
    with writer(target) as con:
        assert lake.is_lake_connection(con)
        assert lake.data_path(con) == f"{tmp_path / 'cat.sqlite'}.files/"  # DuckLake's default for a file catalog
    assert (tmp_path / "cat.sqlite").read_bytes()[:16] == b"SQLite format 3\x00"
    assert run_query(target, "SELECT count(*) FROM stg_articles").rows == [(0,)]
