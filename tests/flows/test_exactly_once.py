"""Exactly-once, everything at once: two concurrent `presswatch run` processes (two "machines":
own working dirs and PREFECT_HOME, one shared drop folder) extract on one shared 2-worker Dask
cluster and load into one DuckLake whose catalog is a real PostgreSQL; one Dask worker is
SIGKILLed inside an extract chunk; then a rerun. Every article once, every file one ledger row,
and the rerun loads nothing."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.flows import procs
from tests.flows.corpus import write_corpus
from tests.pg import postgres  # noqa: F401 (the session fixture)
from warehouse.db import open_db, writer

pytestmark = pytest.mark.slow  # PostgreSQL, a Dask cluster, three presswatch runs

STORIES = 40
LIMIT = "presswatch-test-exactly-once"


def test_two_runs_on_dask_into_ducklake_with_a_worker_killed_then_a_rerun(
        tmp_path, prefect_api_url, postgres, monkeypatch):  # noqa: F811
    from distributed import Client, LocalCluster

    from flows.limits import ensure_writer_limit
    from presswatch.extract.dask_worker import local_cluster_options

    ensure_writer_limit(LIMIT)  # on the session server, as `presswatch serve` creates its own
    shared = tmp_path / "shared"
    drop = shared / "drop"
    articles, files = write_corpus(drop, STORIES), STORIES + 1
    target = (f"ducklake:postgres:{postgres.libpq(postgres.database('lake_exactly_once'))}"
              f"?data_path={shared / 'lake'}/")
    with writer(target):  # migrated once, before the runs race
        pass

    # Read by presswatch/faults.py in the Dask worker processes, which inherit this environment
    # (the runs do not: procs.env drops PRESSWATCH_TEST_*). Each worker pauses in its first chunk.
    marker, release = tmp_path / "paused", tmp_path / "release"
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_AT", "extract-chunk")
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_MARKER", str(marker))
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_RELEASE", str(release))
    monkeypatch.setenv("PRESSWATCH_TEST_PAUSE_SECONDS", "240")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")

    with LocalCluster(**local_cluster_options(2)) as cluster, Client(cluster) as client:
        worker_pids = set(client.run(os.getpid).values())
        runs, homes = [], []
        for name in ("machine-a", "machine-b"):
            home = tmp_path / name
            home.mkdir()
            environ = procs.env(prefect_api_url, home / "prefect", PRESSWATCH_WRITER_LIMIT=LIMIT,
                                PRESSWATCH_EXECUTOR="dask", PRESSWATCH_DASK_ADDRESS=cluster.scheduler_address,
                                PRESSWATCH_SENTIMENT_METHOD="lexicon", PRESSWATCH_BATCH_SIZE="8",
                                PRESSWATCH_LAKE_SEARCH_DIR=str(home / "search"), OMP_NUM_THREADS="1")
            homes.append((home, environ))
            runs.append(_start_in(home, drop, target, environ))

        # A worker inside an extract chunk of one of the runs: kill it there, then let all go.
        procs.wait_for(marker, runs[0], timeout=600)
        pid = int(marker.read_text().split("pid")[1])
        assert pid in worker_pids, (pid, worker_pids)
        os.kill(pid, signal.SIGKILL)
        release.touch()
        outs = [procs.finish(run, timeout=900) for run in runs]
        assert pid not in set(client.run(os.getpid).values())  # it really died (the nanny restarted it)

        for _out, err in outs:
            assert "Traceback" not in err and not procs.lock_error(err), err[-3000:]
        counts = _check_lake(target)
        assert counts == {"articles": articles, "ingest_log": files}, counts
        loaded = [procs.summary_count(out, "loaded") for out, _ in outs]
        skipped = [procs.summary_count(out, "already in ledger (skipped)") for out, _ in outs]
        assert sum(loaded) == files and [lo + sk for lo, sk in zip(loaded, skipped)] == [files, files]
        assert sum(procs.summary_count(out, "articles loaded") for out, _ in outs) == articles

        # The rerun (machine b, same cluster) finds every file in the ledger and loads nothing.
        home, environ = homes[1]
        out, err = procs.finish(_start_in(home, drop, target, environ), timeout=900)
        assert procs.summary_count(out, "loaded") == 0 and "Traceback" not in err, err[-3000:]
    assert _check_lake(target) == counts


def _start_in(cwd, drop, target: str, environ) -> subprocess.Popen:
    return subprocess.Popen([procs.PRESSWATCH, "run", str(drop), "--warehouse", target], cwd=cwd, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _check_lake(target: str) -> dict[str, int]:
    """procs.check_invariants' rules on a lake (that helper reads a DuckDB file): one ledger row
    per (hash, path), one row per article, each from a loaded ledger row and with its sentences,
    no child row without its article. Returns the counts of articles and ledger rows."""
    con = open_db(target, read_only=True)
    try:
        def none(sql: str) -> None:
            assert con.execute(sql).fetchall() == [], sql

        none("SELECT file_sha256, source_path FROM ingest_log GROUP BY ALL HAVING count(*) > 1")
        none("SELECT article_id FROM articles GROUP BY ALL HAVING count(*) > 1")
        none("SELECT entity_id FROM entities GROUP BY ALL HAVING count(*) > 1")
        none("""SELECT a.article_id FROM articles a WHERE NOT EXISTS (
                    SELECT 1 FROM ingest_log l WHERE l.file_sha256 = a.file_sha256
                    AND l.source_path = a.source_path AND l.status = 'loaded')""")
        none("""SELECT l.source_path FROM ingest_log l WHERE l.status IN ('loaded', 'duplicate')
                AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = l.article_id)""")
        none("""SELECT article_id FROM articles a WHERE (language IS NULL OR language IN ('en', 'und'))
                AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.article_id)""")
        for table in procs.CHILD_TABLES:
            none(f"SELECT article_id FROM {table} WHERE article_id NOT IN (SELECT article_id FROM articles)")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "ingest_log")}
    finally:
        con.close()
