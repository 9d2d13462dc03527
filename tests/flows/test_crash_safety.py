"""SIGKILL an ingest at each stage, then rerun: every article exactly once, nothing partial.

The run pauses at a named point (presswatch/faults.py: PRESSWATCH_TEST_PAUSE_AT), the test
waits for its marker file and kills the whole process group with SIGKILL (no cleanup, no
rollback by the process). The killed run must leave only whole, committed batches; the rerun
must complete the warehouse with no article lost or doubled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows import procs
from tests.flows.corpus import write_corpus

# Real processes and servers: minutes, not seconds; `make check` leaves them to `make test`.
pytestmark = pytest.mark.slow

STORIES = 240  # + 5 in a JSON Lines file: 245 articles in 241 files
BATCH = 60  # files per batch: 5 batches (60, 60, 60, 60, 1)
FILES = STORIES + 1
ARTICLES = STORIES + 5

# (pause point, batches that may be committed when the run is killed there). Batches are
# pipelined (batch N+1 is read and parsed while batch N loads), but loads commit in batch order.
KILL_POINTS = [
    ("read:2", {0, 1}),  # reading batch 2's files; batch 1 may be loading meanwhile
    ("extract:3", {0, 1, 2}),  # spaCy over batch 3; batch 3's load and all after it wait for it
    ("load:1", {0}),  # inside the first load transaction, every row inserted, no COMMIT
    ("load:4", {3}),  # inside the 4th load transaction
    ("report:1", {5}),  # every batch committed, pipeline_runs row not yet written
]


@pytest.fixture(scope="module")
def drop(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "drop"
    assert write_corpus(path, STORIES) == ARTICLES
    return path


def _committed_files(batches: int) -> int:
    return min(batches * BATCH, FILES)


@pytest.mark.parametrize(("point", "batches"), KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_kill_then_rerun_loses_and_doubles_nothing(point, batches, drop, tmp_path, prefect_api_url):
    warehouse = tmp_path / "w.duckdb"
    marker = tmp_path / "paused"
    environ = procs.env(prefect_api_url, tmp_path / "prefect",
                        PRESSWATCH_TEST_PAUSE_AT=point, PRESSWATCH_TEST_PAUSE_MARKER=str(marker))
    run = procs.start_run(drop, warehouse, environ, "--batch-size", str(BATCH))
    assert procs.wait_for(marker, run).startswith(point)
    procs.kill(run)

    # What the killed run left: whole committed batches only, and a file that opens cleanly.
    committed = 0
    if warehouse.exists():  # the first load creates it
        counts = procs.check_invariants(warehouse)
        committed = counts["ingest_log"]
        assert committed in {_committed_files(b) for b in batches}, point
        # ... and they are the first batches, in discovery order.
        first = sorted(str(p) for p in drop.iterdir())[:committed]
        assert sorted(r[0] for r in procs.rows(warehouse, "SELECT source_path FROM ingest_log")) == first
        loaded = procs.rows(warehouse, "SELECT coalesce(sum(article_count), 0) FROM ingest_log")[0][0]
        assert counts["articles"] == loaded
        assert counts["pipeline_runs"] == 0
    else:
        assert 0 in batches, point

    # The rerun completes the archive.
    out, err = procs.finish(procs.start_run(drop, warehouse, procs.env(prefect_api_url, tmp_path / "prefect"),
                                            "--batch-size", str(BATCH)))
    assert "Traceback" not in err
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == ARTICLES
    assert counts["ingest_log"] == FILES
    assert procs.rows(warehouse, "SELECT status, count(*) FROM ingest_log GROUP BY ALL") == [("loaded", FILES)]
    assert procs.rows(warehouse, "SELECT count(DISTINCT file_sha256) FROM ingest_log") == [(FILES,)]
    on_disk = sorted(str(p) for p in drop.iterdir())
    assert sorted(r[0] for r in procs.rows(warehouse, "SELECT source_path FROM ingest_log")) == on_disk
    assert counts["pipeline_runs"] == 1
    assert procs.summary_count(out, "already in ledger (skipped)") == committed
    assert procs.summary_count(out, "loaded") == FILES - committed


def test_pause_points_are_inert_without_the_variable(monkeypatch):
    from presswatch import faults

    monkeypatch.delenv(faults.PAUSE_ENV, raising=False)
    for stage in faults.STAGES:
        faults.checkpoint(stage)  # returns at once
