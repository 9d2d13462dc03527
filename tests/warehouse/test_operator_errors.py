"""Issue 12: the warehouse's failures an operator must fix are said in one line, early, and
files that are not ours are never written."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article
from warehouse.db import (WarehouseRefused, check_warehouse, checkpoint_warehouse, known_version, migrate,
                          open_db, writer, WRITE_ROW_GROUP_SIZE)
from warehouse.load import load_batch

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 1, 1, 12, 0)


def _foreign(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE articles (id INTEGER, headline VARCHAR)")
    con.execute("INSERT INTO articles VALUES (1, 'theirs')")
    con.close()
    return path


def _tables(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_a_foreign_duckdb_file_is_refused_and_left_untouched(tmp_path):
    foreign = _foreign(tmp_path / "theirs.duckdb")
    before = foreign.read_bytes()
    with pytest.raises(WarehouseRefused, match=r"theirs.duckdb is not a presswatch warehouse \(it holds articles"):
        check_warehouse(foreign)
    with pytest.raises(WarehouseRefused, match="not a presswatch warehouse"):
        with writer(foreign):
            pass
    assert foreign.read_bytes() == before
    assert _tables(foreign) == ["articles"]  # no schema_migrations left behind


def test_another_tools_schema_migrations_is_not_taken_for_ours(tmp_path):
    path = tmp_path / "rails.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version BIGINT, dirty BOOLEAN)")
    con.execute("INSERT INTO schema_migrations VALUES (20240101, false)")
    con.close()
    with pytest.raises(WarehouseRefused, match="not a presswatch warehouse"):
        check_warehouse(path)


def test_a_warehouse_of_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    with writer(path) as con:
        con.execute("INSERT INTO schema_migrations VALUES (?, '999_future', NULL)", [known_version() + 1])
    with pytest.raises(WarehouseRefused, match=rf"schema version {known_version() + 1}, newer .* upgrade presswatch"):
        check_warehouse(path)
    with pytest.raises(WarehouseRefused, match="newer"):
        with writer(path):
            pass


def test_our_own_and_new_warehouses_pass_the_check(tmp_path):
    check_warehouse(tmp_path / "new" / "w.duckdb")  # not there yet: fine, nothing created
    assert not (tmp_path / "new").exists()
    with writer(tmp_path / "w.duckdb"):
        pass
    check_warehouse(tmp_path / "w.duckdb")


def test_a_folder_or_a_non_duckdb_file_as_warehouse_is_refused_in_one_line(tmp_path):
    with pytest.raises(WarehouseRefused, match="is a folder; give a DuckDB file"):
        check_warehouse(tmp_path)
    with pytest.raises(WarehouseRefused, match="is a folder"):
        open_db(tmp_path, read_only=True)
    text = tmp_path / "notes.duckdb"
    text.write_text("these are my notes, not a database\n" * 100)
    before = text.read_bytes()
    with pytest.raises(WarehouseRefused, match="is not a DuckDB file"):
        check_warehouse(text)
    assert text.read_bytes() == before


# --- a full disk, simulated by the file size limit (RLIMIT_FSIZE) ---------------------------
# A write past the limit fails with EFBIG ("File too large"), as a full disk fails with ENOSPC:
# DuckDB's write fails the same way and takes the same code path in warehouse/load.py.

_LOADER = textwrap.dedent('''
    import os, resource, signal, sys
    from datetime import datetime
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from presswatch.discover.folder import FileRef
    from presswatch.load import to_frames
    from presswatch.read.batch import FileOutcome
    from presswatch.records import Article, Extraction, Tone
    from warehouse.db import checkpoint_warehouse, writer
    from warehouse.load import load_batch

    path, limit, size = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    hexed = os.urandom(size // 2).hex()
    body = " ".join(hexed[i:i + 8] for i in range(0, size, 8))
    art = Article(title="T", body=body, language="en", source_path="a.txt", file_sha256="s1")
    ex = Extraction(article_id=art.article_id, tone=Tone(0, 0, 0, 0, 0, 0, 1), sentiment_method="lexicon")
    frames = to_frames([(art, ex)], flow_run_id="r", ingested_at=datetime(2024, 1, 1))
    outcomes = [FileOutcome(FileRef(Path("a.txt"), 1, 1, "s1"), articles=[art])]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        with writer(path) as con:
            load_batch(con, outcomes, frames, flow_run_id="r", seen_at=datetime(2024, 1, 1))
        if len(sys.argv) > 4:  # as `presswatch run` exits: fold the WAL into the file
            checkpoint_warehouse(path)
    except Exception as exc:
        print(type(exc).__name__ + ": " + str(exc).splitlines()[0])
        sys.exit(3)
    print("ok")
''')


def _load_under_limit(path: Path, limit: int, size: int, checkpoint_at_exit: bool = False
                      ) -> subprocess.CompletedProcess:
    script = _LOADER.format(root=str(ROOT))
    args = [sys.executable, "-c", script, str(path), str(limit), str(size)] + (["exit"] if checkpoint_at_exit else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


_CHECKPOINTER = textwrap.dedent('''
    import resource, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from warehouse.db import checkpoint_warehouse

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
    try:
        checkpoint_warehouse(Path(sys.argv[1]))
    except Exception as exc:
        print(type(exc).__name__ + ": " + str(exc).splitlines()[0])
        sys.exit(3)
    print("ok")
''')


def _checkpoint_under_limit(path: Path, limit: int) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", _CHECKPOINTER.format(root=str(ROOT)), str(path), str(limit)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def _articles(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def test_a_failed_commit_reports_its_cause_not_a_failed_rollback(tmp_path):
    path = tmp_path / "w.duckdb"
    with writer(path):
        pass
    done = _load_under_limit(path, limit=64 * 1024, size=2_000_000)  # the WAL cannot hold the batch
    out = done.stdout.strip()
    assert done.returncode == 3, done.stdout + done.stderr
    assert out.startswith("WarehouseWriteError: cannot write the warehouse"), out
    assert "file size limit was reached" in out and "move the warehouse" in out, out
    assert "no transaction is active" not in done.stdout + done.stderr
    assert _articles(path) == 0  # nothing half-written


def _padded(path: Path) -> int:
    """A warehouse of a few MB, its blocks in use, folded into the file: its size."""
    with writer(path) as con:
        con.execute("CREATE TABLE padding AS SELECT md5(range::VARCHAR) || md5((range * 7)::VARCHAR) AS x "
                    "FROM range(200000)")
    checkpoint_warehouse(path)
    assert not _wal(path).exists()
    return path.stat().st_size


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _wal_sized(limit: int) -> int:
    """A body whose batch stays in the WAL. The load's transaction also adds the body's words to
    the search index (random 8-hex words, a term each), so its WAL is several times the body; and
    in the v1.5.0 storage format (warehouse/db.py) a commit writes an append that fills a row group
    (WRITE_ROW_GROUP_SIZE terms: a body of ~147 KB) into the file itself, so such a batch fails at
    its commit under the limit (test_a_failed_commit_reports_its_cause_not_a_failed_rollback)."""
    return min(limit // 128, 9 * WRITE_ROW_GROUP_SIZE // 2)  # half a row group of 9-character words


def test_a_failing_checkpoint_at_run_exit_is_an_error_not_silence(tmp_path):
    path = tmp_path / "w.duckdb"
    limit = _padded(path)  # the WAL fits below it; the checkpoint must grow the file past it
    done = _load_under_limit(path, limit=limit, size=_wal_sized(limit), checkpoint_at_exit=True)
    out = done.stdout.strip()
    assert done.returncode == 3, done.stdout + done.stderr
    assert out.startswith("WarehouseWriteError:") and "closing checkpoint" in out, out
    assert _articles(path) == 1  # committed: in the WAL, replayed at the next open
    # A process that opens the file afresh may fail at the open already (its WAL replay writes the
    # row groups the batch's terms fill) or at the CHECKPOINT: either way the closing checkpoint.
    done = _checkpoint_under_limit(path, limit)
    out = done.stdout.strip()
    assert done.returncode == 3, done.stdout + done.stderr
    assert out.startswith("WarehouseWriteError:") and "closing checkpoint" in out, out
    assert "file size limit" in out, out
    assert _articles(path) == 1


def test_the_writer_leaves_commits_in_the_wal_and_the_run_exit_folds_them_in(tmp_path):
    path = tmp_path / "w.duckdb"
    limit = _padded(path)
    # Under the same limit the writer alone succeeds: no checkpoint grows the file (watch mode).
    done = _load_under_limit(path, limit=limit, size=_wal_sized(limit))
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stdout + done.stderr
    assert path.stat().st_size == limit and _wal(path).stat().st_size > 0
    assert _articles(path) == 1  # a reader replays the WAL
    failed = _checkpoint_under_limit(path, limit)  # a fresh process: its open replays the WAL
    assert failed.returncode == 3 and "closing checkpoint" in failed.stdout, failed.stdout + failed.stderr
    assert _wal(path).stat().st_size > 0 and _articles(path) == 1  # the commits are still there
    checkpoint_warehouse(path)
    assert not _wal(path).exists() and path.stat().st_size > limit
    assert _articles(path) == 1


# --- ingest_log counts and capped text ------------------------------------------------------


def test_article_count_is_distinct_articles_and_repeats_are_counted_apart():
    con = duckdb.connect(":memory:")
    migrate(con)
    body = "The council approved the budget on Tuesday after a long debate, the mayor said."
    arts = [Article(title="T", body=body, language="en", source_path="r.jsonl", file_sha256="s", record_idx=i)
            for i in range(3)]
    from presswatch.records import Extraction, Tone

    ex = Extraction(article_id=arts[0].article_id, tone=Tone(0, 0, 0, 0, 0, 0, 1), sentiment_method="lexicon")
    frames = to_frames([(a, ex) for a in arts], flow_run_id="r", ingested_at=NOW)
    problems = [f"line {i}: not JSON" for i in range(49_700)]
    outcome = FileOutcome(FileRef(Path("r.jsonl"), 1, 1, "s"), articles=arts, problems=problems,
                          records_found=49_703)
    load_batch(con, [outcome], frames, flow_run_id="r", seen_at=NOW)
    [(count, repeats, found, error)] = con.execute(
        "SELECT article_count, duplicate_records, records_found, error FROM ingest_log").fetchall()
    assert (count, repeats, found) == (1, 2, 49_703)
    assert error.startswith("49,700 problems (bad lines or records); first 5: line 0: not JSON; line 1")
    assert len(error) < 2_000
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_records_found_falls_back_to_articles_and_problems_when_the_reader_did_not_count():
    con = duckdb.connect(":memory:")
    migrate(con)
    art = Article(title="T", body="One story about the harbour reopening after the storm, officials said.",
                  language="en", source_path="f.jsonl", file_sha256="s")
    from presswatch.records import Extraction, Tone

    ex = Extraction(article_id=art.article_id, tone=Tone(0, 0, 0, 0, 0, 0, 1), sentiment_method="lexicon")
    outcome = FileOutcome(FileRef(Path("f.jsonl"), 1, 1, "s"), articles=[art], problems=["line 2: not JSON"])
    load_batch(con, [outcome], to_frames([(art, ex)], flow_run_id="r", ingested_at=NOW),
               flow_run_id="r", seen_at=NOW)
    assert con.execute("SELECT records_found, duplicate_records FROM ingest_log").fetchone() == (2, 0)


def test_a_huge_quarantine_reason_is_capped():
    con = duckdb.connect(":memory:")
    migrate(con)
    outcome = FileOutcome(FileRef(Path("x.json"), 1, 1, "s"), error="bad: " + "x" * 5_000_000)
    load_batch(con, [outcome], to_frames([], flow_run_id="r", ingested_at=NOW), flow_run_id="r", seen_at=NOW)
    [(error,)] = con.execute("SELECT error FROM ingest_log").fetchall()
    assert error.startswith("bad: xxx") and len(error) == 2_000


@pytest.mark.parametrize("message,cause", [
    ('IO Error: Could not write file "w.duckdb.wal": No space left on device', "the disk is full"),
    ('IO Error: Could not write file "w.duckdb.wal": Disk quota exceeded', "the disk quota is used up"),
    ('IO Error: Cannot open file "w.duckdb": Read-only file system', "its file system is read-only"),
    ('IO Error: Cannot open file "w.duckdb": Permission denied', "permission denied"),
])
def test_each_io_failure_is_named_with_its_fix(message, cause):
    from warehouse.db import write_error

    error = write_error(duckdb.IOException(message), "w.duckdb", "committing a batch")
    assert str(error).startswith(f"cannot write the warehouse w.duckdb: {cause} (committing a batch failed); ")
    assert "move the warehouse (--warehouse / PRESSWATCH_WAREHOUSE)" in str(error)
    assert write_error(duckdb.ConstraintException("Duplicate key"), "w.duckdb", "x") is None


def test_an_unwritable_place_is_refused_before_any_work(tmp_path, monkeypatch):
    """The tests run as root, whom chmod does not stop: os.access and statvfs answer instead."""
    import os

    from warehouse import db

    monkeypatch.setattr(db.os, "access", lambda *_a, **_k: False)
    with pytest.raises(WarehouseRefused, match=r"w.duckdb: permission denied \(.*\); let this user write"):
        check_warehouse(tmp_path / "w.duckdb")

    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(db.os, "statvfs", lambda _p: ReadOnly())
    with pytest.raises(WarehouseRefused, match="its file system is read-only .*; remount it read-write"):
        check_warehouse(tmp_path / "w.duckdb")
