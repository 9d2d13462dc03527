"""Migrations, views and the polite wait for the single writer."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from warehouse.db import MIGRATIONS, VIEWS, WarehouseBusy, migrate, open_db, writer

CONTRACT = {
    "articles": {"article_id", "title", "published_at", "source", "language", "body", "word_count",
                 "tone", "positive", "negative", "polarity", "duplicate_of", "source_path",
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


def test_every_view_is_created_and_queryable():
    con = duckdb.connect(":memory:")
    migrate(con)
    for path in VIEWS.glob("*.sql"):
        assert con.execute(f"SELECT count(*) FROM {path.stem}").fetchone() == (0,)


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
