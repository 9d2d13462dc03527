"""Helpers for the fault tests: `presswatch run` as a real process, and the warehouse checks
that must hold after anything (a kill, a concurrent run, hostile input)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

BIN = Path(sys.executable).parent
PRESSWATCH = str(BIN / "presswatch")
DUCKDB_SHELL = str(BIN / "duckdb")


def env(api_url: str, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child run: the session's Prefect server, its own PREFECT_HOME."""
    e = {k: v for k, v in os.environ.items()
         if not k.startswith(("PRESSWATCH_TEST_", "PREFECT_"))}
    e.update(PREFECT_API_URL=api_url, PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
             PREFECT_LOGGING_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    e.update(extra)
    return e


def start_run(drop: Path, warehouse: Path, environ: dict[str, str], *args: str) -> subprocess.Popen:
    """`presswatch run` in its own process group, so a kill takes the whole run down."""
    return subprocess.Popen([PRESSWATCH, "run", str(drop), "--warehouse", str(warehouse), *args],
                            env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[str, str]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"presswatch run failed ({proc.returncode}):\n{out}\n{err[-4000:]}"
    return out, err


def wait_for(marker: Path, proc: subprocess.Popen, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"run ended ({proc.returncode}) before its pause point:\n{out}\n{err[-4000:]}")
        if time.monotonic() > deadline:
            kill(proc)
            raise AssertionError(f"pause point {marker.name} not reached in {timeout} s")
        time.sleep(0.05)
    return marker.read_text()


LOCK_ERRORS = ("Could not set lock", "Conflicting lock is held", "database is locked")


def lock_error(text: str) -> bool:
    """DuckDB's raw lock error (or SQLite's, from Prefect's server) in a process's output."""
    return any(e in text for e in LOCK_ERRORS)


def summary_count(out: str, what: str) -> int:
    """A count from the summary `presswatch run` prints ("  loaded      241")."""
    match = re.search(rf"^  {re.escape(what)}\s+(\d+)$", out, re.M)
    assert match, f"no {what!r} line in:\n{out}"
    return int(match.group(1))


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the run's process group: no cleanup, no atexit, no rollback by the process."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate(timeout=30)


def rows(warehouse: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


CHILD_TABLES = ("mentions", "quotes", "amounts", "sentences", "date_mentions", "article_themes")


def check_invariants(warehouse: Path) -> dict[str, int]:
    """What must hold in any warehouse, whatever happened to the runs that wrote it.

    - one ledger row per (content hash, path), and one per content hash where the contents differ;
    - one article row per article_id, each from a file whose ledger row says loaded;
    - every loaded ledger row's article exists; no child row without its article;
    - every article has its sentences (no half-loaded article);
    - the file opens cleanly in a fresh process, the stock `duckdb` shell included.
    Returns the table counts.
    """
    assert rows(warehouse, "SELECT file_sha256, source_path, count(*) FROM ingest_log "
                           "GROUP BY ALL HAVING count(*) > 1") == []
    assert rows(warehouse, "SELECT article_id, count(*) FROM articles GROUP BY ALL HAVING count(*) > 1") == []
    assert rows(warehouse, """
        SELECT a.article_id FROM articles a
        WHERE NOT EXISTS (SELECT 1 FROM ingest_log l WHERE l.file_sha256 = a.file_sha256
                          AND l.source_path = a.source_path AND l.status = 'loaded')""") == []
    assert rows(warehouse, """
        SELECT l.source_path FROM ingest_log l WHERE l.status IN ('loaded', 'duplicate')
        AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = l.article_id)""") == []
    for table in CHILD_TABLES:
        assert rows(warehouse, f"SELECT count(*) FROM {table} c "
                               "WHERE c.article_id NOT IN (SELECT article_id FROM articles)") == [(0,)], table
    assert rows(warehouse, """
        SELECT article_id FROM articles a WHERE (language IS NULL OR language IN ('en', 'und'))
        AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.article_id)""") == []
    shell = subprocess.run([DUCKDB_SHELL, "-readonly", str(warehouse), "-csv", "-noheader", "-c",
                            "SELECT count(*) FROM articles"], capture_output=True, text=True, timeout=60)
    assert shell.returncode == 0, shell.stderr
    counts = {t: rows(warehouse, f"SELECT count(*) FROM {t}")[0][0]
              for t in ("articles", "ingest_log", "pipeline_runs", *CHILD_TABLES)}
    assert int(shell.stdout.strip()) == counts["articles"]
    return counts
