"""Exactly-once across machines: two `presswatch run` processes standing in for two machines
(each its own working directory and PREFECT_HOME, one on the local pool and one on a Dask
LocalCluster) over one shared drop folder and one warehouse, against one Prefect server.

What serializes them is the server-side global concurrency limit (flows/limits.py), the only
lock two machines share; the ledger then makes the second loader skip what the first loaded.
"""

from __future__ import annotations

import pytest

from tests.flows import procs
from tests.flows.corpus import write_corpus

pytestmark = pytest.mark.slow

STORIES = 40
LIMIT = "presswatch-test-two-machines"


def test_two_machines_one_drop_folder_load_each_article_once(tmp_path, prefect_api_url):
    from flows.limits import ensure_writer_limit

    ensure_writer_limit(LIMIT)  # on the session server, as `presswatch serve` creates its own
    drop, warehouse = tmp_path / "shared" / "drop", tmp_path / "shared" / "w.duckdb"
    articles = write_corpus(drop, STORIES)
    files = STORIES + 1
    runs = []
    for name, executor in (("machine-a", "local"), ("machine-b", "dask")):
        home = tmp_path / name
        home.mkdir()
        environ = procs.env(prefect_api_url, home / "prefect", PRESSWATCH_WRITER_LIMIT=LIMIT,
                            PRESSWATCH_EXECUTOR=executor, PRESSWATCH_SENTIMENT_METHOD="lexicon",
                            OMP_NUM_THREADS="1")
        runs.append(start_in(home, drop, warehouse, environ))
    outs = [procs.finish(run) for run in runs]
    for _out, err in outs:
        assert "Traceback" not in err and not procs.lock_error(err), err[-3000:]
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == articles and counts["ingest_log"] == files
    loaded = [procs.summary_count(out, "loaded") for out, _ in outs]
    skipped = [procs.summary_count(out, "already in ledger (skipped)") for out, _ in outs]
    assert sum(loaded) == files and [lo + sk for lo, sk in zip(loaded, skipped)] == [files, files]
    assert sum(procs.summary_count(out, "articles loaded") for out, _ in outs) == articles

    # A rerun from either machine finds everything in the ledger and loads nothing.
    out, _ = procs.finish(start_in(tmp_path / "machine-b", drop, warehouse, environ))
    assert procs.summary_count(out, "loaded") == 0
    assert procs.check_invariants(warehouse)["articles"] == articles


def start_in(cwd, drop, warehouse, environ):
    import subprocess

    return subprocess.Popen([procs.PRESSWATCH, "run", str(drop), "--warehouse", str(warehouse)],
                            cwd=cwd, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
