"""Migrations, views and the polite wait for the single writer."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import date

import duckdb
import pytest

from warehouse import db
from warehouse.db import (MIGRATIONS, ViewError, WarehouseBusy, build_order, migrate, open_db,
                          referenced_relations, view_files, view_order, writer)

CONTRACT = {
    "articles": {"article_id", "title", "published_at", "source", "language", "body", "word_count",
                 "tone", "positive", "negative", "polarity", "source_path",
                 "file_sha256", "flow_run_id", "ingested_at", "pipeline_version"},
    "entities": {"entity_id", "name", "label"},
    "mentions": {"article_id", "entity_id", "surface", "label", "sentence_idx", "start_char",
                 "end_char", "sentiment"},
    "quotes": {"article_id", "quote_idx", "text", "speaker", "speaker_entity_id", "verb",
               "start_char", "end_char", "sentiment"},
    "amounts": {"article_id", "value", "qualifier", "object", "surface", "start_char"},
    "sentences": {"article_id", "sentence_idx", "start_char", "end_char", "sentiment"},
    "ingest_log": {"file_sha256", "source_path", "status", "error", "article_id", "flow_run_id",
                   "seen_at"},
    "pipeline_runs": {"flow_run_id", "flow_name", "started_at", "finished_at"},
}


def test_migrations_apply_once_and_are_recorded():
    con = duckdb.connect(":memory:")
    first = migrate(con)
    assert first == [p.stem for p in sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))]
    assert migrate(con) == []
    recorded = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [name for _, name in recorded] == first


@pytest.mark.parametrize("table,columns", sorted(CONTRACT.items()))
def test_contract_tables_have_their_columns(table, columns):
    con = duckdb.connect(":memory:")
    migrate(con)
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall()}
    assert columns <= have, f"{table} lacks {columns - have}"


ANALYST_VIEWS = {"entity_mentions_daily", "share_of_voice", "cooccurrence", "top_quoted", "spikes",
                 "tone_daily", "entity_article_sentiment", "entity_article_sentiment_daily",
                 "duplicates", "stg_articles"}
# issue 17 (monitoring): attention, tone and spike explanations
ANALYST_VIEWS |= {"day_totals", "entity_attention_daily", "entity_attention_by_source",
                  "entity_attention_by_language", "theme_attention_daily", "theme_attention_by_source",
                  "theme_attention_by_language", "entity_tone_daily", "spike_explanations"}
# issue 19 (dedup): copies, coverage, stories, syndication
ANALYST_VIEWS |= {"article_copies", "coverage_daily", "story_timeline", "syndication"}
# issue 13 (entities): canonical entities and places
ANALYST_VIEWS |= {"entity_canonical", "canonical_mentions_daily", "canonical_share_of_voice",
                  "mentions_by_country_daily"}
ANALYST_VIEWS |= {"entity_cooccurrence"}  # issue 18: one entity's pairs, a one-column filter


def test_every_view_is_created_queryable_and_recorded():
    con = duckdb.connect(":memory:")
    migrate(con)
    views = view_files()
    assert set(views) == ANALYST_VIEWS
    for name in views:
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)
    recorded = dict(con.execute("SELECT name, sql_sha256 FROM schema_views").fetchall())
    assert recorded == {name: v.sha256 for name, v in views.items()}


def test_build_order_follows_references():
    con = duckdb.connect(":memory:")
    migrate(con)
    order = view_order(con)
    assert sorted(order) == sorted(ANALYST_VIEWS)
    before = lambda a, b: order.index(a) < order.index(b)  # noqa: E731
    assert order[0] in ("stg_articles", "entity_canonical")  # the two staging views read only tables
    for mart in ("entity_mentions_daily", "tone_daily", "top_quoted", "entity_article_sentiment"):
        assert before("stg_articles", mart)
    assert before("entity_mentions_daily", "share_of_voice") and before("entity_mentions_daily", "spikes")
    assert before("entity_article_sentiment", "entity_article_sentiment_daily")


def test_stg_articles_holds_every_article_once_with_its_two_days():
    from datetime import datetime

    from tests.warehouse.test_aggregates import _load

    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, range(0, 12), datetime(2024, 3, 5, 23, 30))  # a quarter of them without a date
    expected = con.execute("SELECT article_id, coalesce(published_at, cast(ingested_at AS DATE)), "
                           "cast(ingested_at AS DATE) FROM articles ORDER BY 1").fetchall()
    staged = con.execute("SELECT article_id, day, ingest_day FROM stg_articles ORDER BY 1").fetchall()
    assert staged == expected and len(staged) == 12
    assert con.execute(f"SELECT article_id, day, ingest_day FROM {db.ARTICLE_DAYS} ORDER BY 1"
                       ).fetchall() == expected  # the loads' lookup
    assert {d for _, d, _ in staged} > {date(2024, 3, 5)}  # both branches: dated and undated articles
    one_day = con.execute("SELECT count(*) FROM stg_articles WHERE day = DATE '2024-03-05'").fetchone()[0]
    assert one_day == sum(d == date(2024, 3, 5) for _, d, _ in expected)
    columns = [r[0] for r in con.execute("DESCRIBE stg_articles").fetchall()]
    assert columns == [r[0] for r in con.execute("DESCRIBE articles").fetchall()] + ["day", "ingest_day"]


def test_references_come_from_the_parse_not_the_text():
    con = duckdb.connect(":memory:")
    sql = """
        -- from not_a_table (a comment is not a reference)
        with a as (select * from articles), b as (select * from a)
        select 'from quotes' as s from b
        join (select * from mentions where exists (select 1 from sentences)) m using (article_id)
        where m.entity_id in (select entity_id from main.entities)
        union all select 'x', * from stg_articles, range(3)
    """
    assert referenced_relations(con, sql) == {"articles", "mentions", "sentences", "entities",
                                              "stg_articles"}
    # A CTE named like a table hides it only in the query it belongs to.
    assert referenced_relations(con, "select * from (with quotes as (select 1) select * from quotes), quotes") \
        == {"quotes"}
    recursive = "with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select * from t"
    assert referenced_relations(con, recursive) == set()
    with pytest.raises(ViewError, match="syntax error"):
        referenced_relations(con, "selec 1")


def test_a_cycle_fails_with_the_views_named():
    with pytest.raises(ViewError, match=r"cycle: .*a -> .*b|cycle: .*b -> .*a"):
        build_order({"a": {"b"}, "b": {"a"}, "c": set()})
    assert build_order({"c": {"a"}, "a": set(), "b": {"a"}}) == ["a", "b", "c"]


@pytest.fixture()
def views_copy(tmp_path, monkeypatch):
    """The view files copied to a tmp folder that the test may edit."""
    folder = tmp_path / "views"
    shutil.copytree(db.VIEWS, folder)
    monkeypatch.setattr(db, "VIEWS", folder)
    return folder


def test_an_unknown_reference_fails_clearly(views_copy):
    (views_copy / "marts" / "broken.sql").write_text("select * from no_such_table join articles using (x)")
    with pytest.raises(ViewError, match="broken .*reads no_such_table, which is neither a table"):
        migrate(duckdb.connect(":memory:"))


def test_views_reading_each_other_fail_clearly(views_copy):
    (views_copy / "marts" / "ping.sql").write_text("select * from pong")
    (views_copy / "marts" / "pong.sql").write_text("select * from ping")
    with pytest.raises(ViewError, match="cycle"):
        migrate(duckdb.connect(":memory:"))


def test_an_edited_view_reaches_an_existing_warehouse(views_copy, tmp_path):
    path = tmp_path / "w.duckdb"
    built_at = "SELECT name, created_at FROM schema_views"
    with writer(path) as con:
        con.execute("INSERT INTO articles (article_id, body, published_at, source, tone) "
                    "VALUES ('a1', 'b', DATE '2024-03-05', 'AFP', 2.0)")
        before = dict(con.execute(built_at).fetchall())
    with writer(path) as con:  # nothing changed: nothing rebuilt
        assert dict(con.execute(built_at).fetchall()) == before
    stg = views_copy / "staging" / "stg_articles.sql"
    stg.write_text(stg.read_text().replace("as ingest_day", "as ingest_day, 'edited' as marker"))
    with writer(path) as con:
        assert con.execute("SELECT marker FROM stg_articles").fetchall() == [("edited",)]
        after = dict(con.execute(built_at).fetchall())
        rebuilt = {name for name in after if after[name] != before[name]}
        # The edited view and everything built on it; the views that do not read it untouched.
        # The views on the aggregates (migration 010) do not read stg_articles.
        on_aggregates = {"entity_mentions_daily", "share_of_voice", "entity_article_sentiment",
                         "entity_article_sentiment_daily", "entity_tone_daily", "top_quoted",  # 019: top_quoted
                         "mentions_by_country_daily"}  # session 14: agg_entity_article; 031: agg_country_day
        # The canonical-entity views (migration 015) read tables, not stg_articles.
        off_stg = {"entity_canonical", "canonical_mentions_daily", "canonical_share_of_voice"}
        on_pairs = {"cooccurrence", "entity_cooccurrence"}  # agg_cooccurrence only
        # migration 026: the theme and attention views read their own aggregates
        on_attention = {"theme_attention_daily", "theme_attention_by_language", "theme_attention_by_source",
                        "entity_attention_by_language", "entity_attention_by_source"}
        on_coverage = {"coverage_daily"}  # migration 028: agg_coverage_day
        on_stories = {"story_timeline"}  # migration 033: agg_story_day
        assert rebuilt == (ANALYST_VIEWS - on_pairs - {"duplicates"} - on_aggregates - off_stg - on_attention
                           - on_coverage - on_stories)
        assert con.execute("SELECT day, articles, avg_tone FROM tone_daily").fetchall() == \
            [(date(2024, 3, 5), 1, 2.0)]
    # A view dropped by hand comes back; a view whose file is gone is dropped.
    with writer(path) as con:
        con.execute("DROP VIEW spikes")
    (views_copy / "marts" / "cooccurrence.sql").unlink()
    with writer(path) as con:
        have = {r[0] for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert "spikes" in have and "cooccurrence" not in have
        assert "cooccurrence" not in dict(con.execute(built_at).fetchall())


def test_a_changed_view_rebuilds_the_views_built_on_it(views_copy):
    con = duckdb.connect(":memory:")
    migrate(con)
    emd = views_copy / "marts" / "entity_mentions_daily.sql"
    emd.write_text(emd.read_text() + "\n-- edited\n")
    rebuilt = db.sync_views(con)  # the edited view first, then exactly the views built on it
    assert rebuilt[0] == "entity_mentions_daily"
    # (spikes reads agg_entity_day by key since migration 019, not this view)
    # (entity_tone_daily reads agg_entity_tone_day since migration 026)
    assert set(rebuilt) == {"entity_mentions_daily", "entity_attention_daily", "share_of_voice"}
    assert db.sync_views(con) == []


def test_drop_duplicate_of_migrates_an_old_warehouse(tmp_path):
    """A warehouse written before migration 004 keeps its rows and gains the duplicates view."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for m in sorted(MIGRATIONS.glob("00[1-3]_*.sql")):
        con.execute(m.read_text())
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [int(m.name[:3]), m.stem])
    con.execute("INSERT INTO articles (article_id, body, source_path) VALUES ('a1', 'text', 'x.json')")
    con.execute("INSERT INTO ingest_log (file_sha256, source_path, status, article_id, seen_at) VALUES "
                "('h1', 'x.json', 'loaded', 'a1', TIMESTAMP '2024-03-05 10:00'), "
                "('h2', 'copy.json', 'duplicate', 'a1', TIMESTAMP '2024-03-05 11:00'), "
                "('h3', 'bad.json', 'quarantined', NULL, TIMESTAMP '2024-03-05 12:00')")
    con.execute("CREATE VIEW old_view AS SELECT * FROM articles")  # views written by old code
    con.close()
    with writer(path) as con:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'articles'").fetchall()}
        assert "duplicate_of" not in cols and "previous_version" in cols
        assert con.execute("SELECT article_id, body FROM articles").fetchall() == [("a1", "text")]
        assert con.execute("SELECT source_path, file_sha256, duplicate_of FROM duplicates").fetchall() == \
            [("copy.json", "h2", "a1")]
        with pytest.raises(duckdb.ConstraintException):  # the primary key survived the ALTER
            con.execute("INSERT INTO articles (article_id, body) VALUES ('a1', 'again')")
    with writer(path) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] >= 4


def test_reader_waits_for_writer_then_gives_a_clear_message(tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        waits: list[float] = []
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match="being written by another process"):
            open_db(db, read_only=True, timeout=1.5, on_wait=waits.append)
        assert waits == [1.5]  # told the user once that it is waiting
        assert 1.4 < time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
    # Once the writer is gone the same open succeeds.
    open_db(db, read_only=True, timeout=5).close()


def test_sql_in_list_quotes_every_value_so_it_comes_back_unchanged():
    from warehouse.db import sql_in_list

    con = duckdb.connect(":memory:")
    hostile = ["it's", "a\\b", "x\ny", "é€😀", "'); DROP TABLE t; --", "$1", "?", "''"]
    con.execute("CREATE TABLE t (k VARCHAR PRIMARY KEY)")
    con.executemany("INSERT INTO t VALUES (?)", [[v] for v in hostile + ["other"]])
    found = {r[0] for r in con.execute(f"SELECT k FROM t WHERE k IN {sql_in_list(hostile)}").fetchall()}
    assert found == set(hostile)
    with pytest.raises(ValueError):
        sql_in_list([])


def test_rows_by_key_reads_every_key_through_the_index_across_lists(monkeypatch):
    from warehouse.db import rows_by_key

    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE t (k VARCHAR PRIMARY KEY, body VARCHAR)")
    con.execute("INSERT INTO t SELECT md5(i::VARCHAR), 'body ' || i FROM range(200000) r(i)")
    keys = [r[0] for r in con.execute("SELECT k FROM t USING SAMPLE 70 ROWS (reservoir, 7)").fetchall()]
    keys.append("it's not there")
    monkeypatch.setattr(db, "INDEX_LOOKUP_MAX", 30)  # three lists for 71 keys

    statements = []

    class Recorder:
        def execute(self, sql):
            statements.append(sql)
            return con.execute(sql)

    rows = rows_by_key(Recorder(), "SELECT k, body FROM t", "k", keys)
    expected = con.execute("SELECT k, body FROM t WHERE k IN (SELECT unnest(?::VARCHAR[]))", [keys]).fetchall()
    assert sorted(rows) == sorted(expected) and len(rows) == 70
    assert len(statements) == 3
    for sql in statements:  # a key lookup, not a scan of the 200k bodies
        plan = con.execute("EXPLAIN ANALYZE " + sql).fetchall()[0][1]
        assert "Index Scan" in plan and "Sequential Scan" not in plan
    assert rows_by_key(Recorder(), "SELECT k, body FROM t", "k", []) == []


def test_the_writer_leaves_rows_in_the_wal_and_readers_see_them(tmp_path):
    path = tmp_path / "w.duckdb"
    with db.writer(path):
        pass
    with db.writer(path) as con:
        con.execute("INSERT INTO entities VALUES ('e1', 'Ofgem', 'ORG')")
    assert db.wal_path(path).stat().st_size > 0  # no checkpoint per writer (issue 18)
    assert _read_only(path, "SELECT name FROM entities") == [("Ofgem",)]
    copy = tmp_path / "copy.duckdb"
    db.copy_warehouse(path, copy)
    db.checkpoint_warehouse(copy)
    assert not db.wal_path(copy).exists()
    assert _read_only(copy, "SELECT name FROM entities") == [("Ofgem",)]


def test_a_writer_that_made_an_index_checkpoints_so_readers_can_open(tmp_path):
    # DuckDB 1.5 cannot replay a CREATE INDEX from the WAL on a read-only open.
    path = tmp_path / "w.duckdb"
    with db.writer(path):
        pass
    with db.writer(path) as con:
        con.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)")
        con.execute("CREATE UNIQUE INDEX t_x ON t (x)")
    assert not db.wal_path(path).exists()
    assert _read_only(path, "SELECT count(*) FROM t") == [(1000,)]


def _read_only(path, sql: str) -> list[tuple]:
    """`sql`'s rows through a read-only open (another process's view: it replays the WAL)."""
    reader = open_db(path, read_only=True)
    try:
        return reader.execute(sql).fetchall()
    finally:
        reader.close()


def test_day_range_is_literal_dates_widened_by_the_margin():
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (DATE '2024-03-05'), (NULL), (DATE '2024-02-28')) v(day)")
    assert db.day_range(con, "t") == "BETWEEN DATE '2024-02-28' AND DATE '2024-03-05'"
    assert db.day_range(con, "t", margin=6) == "BETWEEN DATE '2024-02-22' AND DATE '2024-03-11'"
    assert con.execute(f"SELECT count(*) FROM t WHERE day {db.day_range(con, 't')}").fetchone()[0] == 2
    con.execute("DELETE FROM t WHERE day IS NOT NULL")
    assert db.day_range(con, "t") is None


def test_null_safe_sum_keeps_the_side_that_has_a_score():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, s DOUBLE)")
    con.execute("INSERT INTO t VALUES (1, NULL), (2, 1.5), (3, 2.0), (4, NULL)")
    con.execute("INSERT INTO t VALUES (1, 0.5), (2, NULL), (3, 1.0), (4, NULL) "
                f"ON CONFLICT DO UPDATE SET {db.null_safe_sum('s')}")
    assert con.execute("SELECT k, s FROM t ORDER BY k").fetchall() == [(1, 0.5), (2, 1.5), (3, 3.0), (4, None)]


def test_writers_append_in_small_row_groups_and_share_the_file_in_one_process(tmp_path):
    """A checkpoint rewrites the row group an append went into: writers make them
    WRITE_ROW_GROUP_SIZE rows, two writers of one process share the file, and the last close
    lets it go."""
    path = tmp_path / "w.duckdb"
    first = open_db(path)
    first.execute("CREATE TABLE t AS SELECT range AS i FROM range(40000)")
    second = open_db(path)  # the same process: one instance, as duckdb.connect(path) shares its own
    second.execute("INSERT INTO t SELECT range FROM range(10)")
    second.execute("CHECKPOINT")
    sizes = [n for _, n in first.execute(
        "SELECT row_group_id, max(count) FROM pragma_storage_info('t') WHERE column_id = 0 "
        "GROUP BY 1 ORDER BY 1").fetchall()]
    assert db.WRITE_ROW_GROUP_SIZE == 16_384 and sum(sizes) == 40_010
    assert max(sizes) == 16_384 and sizes[:2] == [16_384, 16_384]  # DuckDB's default would hold them in one
    assert first.execute("SELECT current_database()").fetchone()[0] == db.WAREHOUSE_ALIAS
    first.close()
    second.close()
    count = "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); " \
            "print(con.execute('SELECT count(*) FROM t').fetchone()[0])"
    reader = subprocess.run([sys.executable, "-c", count, str(path)], capture_output=True, text=True, timeout=60)
    assert reader.stdout.strip() == "40010", reader.stderr


def test_a_rewrite_of_whole_tables_writes_big_row_groups_and_needs_its_own_open(tmp_path):
    """`whole_tables` (the aggregates rebuild): DuckDB's default row groups, in the writers' format;
    while the process has the file open as a writer it is refused (the ATTACH would be shared)."""
    path = tmp_path / "w.duckdb"
    con = open_db(path, whole_tables=True)
    con.execute("CREATE TABLE t AS SELECT range AS i FROM range(40000)")
    con.execute("CHECKPOINT")
    sizes = [n for (n,) in con.execute("SELECT max(count) FROM pragma_storage_info('t') WHERE column_id = 0 "
                                       "GROUP BY row_group_id ORDER BY row_group_id").fetchall()]
    con.close()
    assert sizes == [40_000]  # the writers' 16k would make three
    assert _storage_version(path) == f"{db.STORAGE_VERSION}+"
    first = open_db(path)
    try:
        with pytest.raises(db.WarehouseRefused, match="already open in this process"):
            open_db(path, whole_tables=True)
        assert first.execute("SELECT count(*) FROM t").fetchone()[0] == 40_000  # the refusal closed nothing
    finally:
        first.close()


def _storage_version(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE NOT internal").fetchone()[0]
    finally:
        con.close()


def test_writers_write_the_newer_storage_format_and_upgrade_an_old_file(tmp_path):
    """DuckDB's default format converts every index it loaded at each checkpoint (at 100k articles
    0.7-0.9 s of a watch run's commit): writers use db.STORAGE_VERSION, for a new file and for one
    written in the old format, whose rows and key survive the upgrade."""
    new = tmp_path / "new.duckdb"
    con = open_db(new)
    con.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
    con.close()
    assert _storage_version(new) == db.STORAGE_VERSION + "+"
    old = tmp_path / "old.duckdb"
    plain = duckdb.connect(str(old))
    plain.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
    plain.execute("INSERT INTO t SELECT range FROM range(1000)")
    plain.close()
    assert _storage_version(old) == "v1.0.0+"  # DuckDB 1.5's default for a file
    con = open_db(old)
    con.execute("INSERT INTO t VALUES (1000)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO t VALUES (5)")
    con.close()
    assert _storage_version(old) == db.STORAGE_VERSION + "+"
    reader = duckdb.connect(str(old), read_only=True)
    assert reader.execute("SELECT count(*), max(k) FROM t").fetchone() == (1001, 1000)
    reader.close()
