"""Two runs over one folder at once, and analysts reading while a load runs.

DuckDB lets one process write a file, and while it writes no other process may open it, even
read-only. presswatch keeps the writer's hold short (one transaction per batch); writers queue
behind each other and behind readers; `presswatch sql` waits with a visible message and, after
PRESSWATCH_READ_TIMEOUT, fails with a clear one. No lock error reaches the user as a traceback.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.flows import procs
from tests.flows.corpus import write_corpus

# Real processes and servers: minutes, not seconds; `make check` leaves them to `make test`.
pytestmark = pytest.mark.slow

STORIES = 120
FILES, ARTICLES = STORIES + 1, STORIES + 5


@pytest.fixture(scope="module")
def drop(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("concurrent") / "drop"
    write_corpus(path, STORIES)
    return path


def _sql(warehouse: Path, query: str, **extra: str) -> subprocess.CompletedProcess:
    import os

    environ = {**os.environ, **extra}
    return subprocess.run([procs.PRESSWATCH, "sql", query, "--warehouse", str(warehouse)],
                          capture_output=True, text=True, timeout=120, env=environ)


def test_two_runs_over_one_folder_at_once_load_each_article_once(drop, tmp_path, prefect_api_url):
    warehouse = tmp_path / "w.duckdb"
    runs = [procs.start_run(drop, warehouse, procs.env(prefect_api_url, tmp_path / f"p{i}"),
                            "--batch-size", "30") for i in range(2)]
    outs = [procs.finish(run) for run in runs]
    for _out, err in outs:
        assert "Traceback" not in err and not procs.lock_error(err), err[-3000:]
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == ARTICLES and counts["ingest_log"] == FILES
    # Every file was loaded by exactly one of the two runs; the other found it in the ledger.
    loaded = [procs.summary_count(out, "loaded") for out, _ in outs]
    skipped = [procs.summary_count(out, "already in ledger (skipped)") for out, _ in outs]
    assert sum(loaded) == FILES
    assert [lo + sk for lo, sk in zip(loaded, skipped)] == [FILES, FILES]
    assert sum(procs.summary_count(out, "articles loaded") for out, _ in outs) == ARTICLES
    assert counts["pipeline_runs"] == 2


def test_readers_during_a_load_wait_then_answer_or_say_why(drop, tmp_path, prefect_api_url):
    warehouse = tmp_path / "w.duckdb"
    marker = tmp_path / "paused"
    # The run holds the writer lock inside its 2nd load transaction for 6 s, then commits.
    environ = procs.env(prefect_api_url, tmp_path / "p", PRESSWATCH_TEST_PAUSE_AT="load:2",
                        PRESSWATCH_TEST_PAUSE_MARKER=str(marker), PRESSWATCH_TEST_PAUSE_SECONDS="6")
    run = procs.start_run(drop, warehouse, environ, "--batch-size", "30")
    procs.wait_for(marker, run)
    paused_at = time.monotonic()

    # An impatient analyst: a clear message naming the writer, exit 1, no traceback.
    impatient = _sql(warehouse, "SELECT count(*) FROM articles", PRESSWATCH_READ_TIMEOUT="0.5")
    assert impatient.returncode == 1
    assert "waiting up to" in impatient.stderr
    assert "being written by another process (PID" in impatient.stderr
    assert "PRESSWATCH_READ_TIMEOUT" in impatient.stderr and "Traceback" not in impatient.stderr
    assert not procs.lock_error(impatient.stderr)  # DuckDB's own wording never reaches the analyst

    # A patient one waits for the commit and sees whole batches only (2 of 5 committed).
    patient = _sql(warehouse, "SELECT count(*) FROM ingest_log")
    assert patient.returncode == 0, patient.stderr
    assert time.monotonic() - paused_at >= 5
    assert "waiting up to 60 s" in patient.stderr
    seen = int(patient.stdout.splitlines()[2])
    assert seen >= 60 and (seen % 30 == 0 or seen == FILES)  # whole batches, never a part of one
    procs.finish(run)
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == ARTICLES


def test_duckdb_shell_reads_between_loads(drop, tmp_path, prefect_api_url):
    """Between loads the run holds no lock: the stock shell reads the committed batches."""
    warehouse = tmp_path / "w.duckdb"
    marker, release = tmp_path / "paused", tmp_path / "release"
    # Batch 3 pauses at the start of its extract until the test creates the release file.
    environ = procs.env(prefect_api_url, tmp_path / "p", PRESSWATCH_TEST_PAUSE_AT="extract:3",
                        PRESSWATCH_TEST_PAUSE_MARKER=str(marker), PRESSWATCH_TEST_PAUSE_RELEASE=str(release))
    run = procs.start_run(drop, warehouse, environ, "--batch-size", "30")
    try:
        procs.wait_for(marker, run)
        # Batches 1 and 2 finish loading; batch 3 (paused in its extract) holds every later load back.
        deadline, seen = time.monotonic() + 180, None
        while time.monotonic() < deadline and seen != 60:
            if warehouse.exists():
                polled = _sql(warehouse, "SELECT count(*) FROM ingest_log")
                if polled.returncode == 0:
                    seen = int(polled.stdout.splitlines()[2])
            assert run.poll() is None, "the run ended while batch 3 was paused"
            time.sleep(0.3)
        assert seen == 60, f"two whole batches never showed up (last count {seen})"
        shell = subprocess.run([procs.DUCKDB_SHELL, "-readonly", str(warehouse), "-csv", "-noheader", "-c",
                                "SELECT count(*) FROM ingest_log"], capture_output=True, text=True, timeout=30)
        assert shell.returncode == 0, shell.stderr
        assert int(shell.stdout) == 60  # two whole batches, and the shell opens the file mid-run
        sql = _sql(warehouse, "SELECT count(*) FROM articles")
        assert sql.returncode == 0 and sql.stderr == "", sql.stderr
    finally:
        release.touch()
    procs.finish(run)
    assert procs.check_invariants(warehouse)["articles"] == ARTICLES


def test_a_writer_queues_behind_a_reader(drop, tmp_path, prefect_api_url):
    """An analyst's open read-only session blocks writers; the run waits for it, then loads."""
    warehouse = tmp_path / "w.duckdb"
    procs.finish(procs.start_run(drop, warehouse, procs.env(prefect_api_url, tmp_path / "p"),
                                 "--batch-size", "100"))
    extra = drop.parent / "extra"
    extra.mkdir(exist_ok=True)
    write_corpus(extra, 3)
    release = tmp_path / "release"
    holder = subprocess.Popen(
        [procs.BIN / "python", "-c",
         f"import duckdb, os, time; c = duckdb.connect({str(warehouse)!r}, read_only=True); "
         f"print('open', flush=True)\nwhile not os.path.exists({str(release)!r}): time.sleep(0.05)"],
        stdout=subprocess.PIPE, text=True)
    waiting = "the warehouse is busy (another process has it open); waiting up to 600 s"
    try:
        assert holder.stdout.readline().strip() == "open"
        # Same names in another folder: new paths, same contents -> duplicates, not new rows.
        run = procs.start_run(extra, warehouse, procs.env(
            prefect_api_url, tmp_path / "p",
            PREFECT_LOGGING_LEVEL="INFO"))  # the wait message is a print, logged by the task
        # The reader lets go only once the run says it waits for it: no guess at how long the
        # run takes to reach its load.
        said, err_lines = threading.Event(), []
        watcher = threading.Thread(target=_watch, args=(run.stderr, err_lines, waiting, said), daemon=True)
        watcher.start()
        said.wait(timeout=240)
        release.touch()
        watcher.join(timeout=300)
        out, rest = procs.finish(run)
        err = "".join(err_lines) + rest
    finally:
        release.touch()
        holder.wait(timeout=30)
    assert waiting in err
    assert "Traceback" not in err
    assert procs.summary_count(out, "duplicate") == 4
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == ARTICLES and counts["pipeline_runs"] == 2


def _watch(stream, lines: list[str], text: str, said: threading.Event) -> None:
    """Collect a run's stderr lines; set `said` once one contains `text`."""
    for line in stream:
        lines.append(line)
        if text in line:
            said.set()
