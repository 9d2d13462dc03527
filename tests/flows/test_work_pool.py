"""The ingest deployment on a `process` work pool (flows/work_pool.py): two `prefect worker
start` processes on loopback, one Prefect server, one shared drop folder; two runs of the
deployment at once load each file's articles once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.flows import procs
from tests.flows.corpus import write_corpus

pytestmark = pytest.mark.slow

STORIES = 30
POOL = "presswatch-test-pool"
LIMIT = "presswatch-test-work-pool"
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def start_worker(home: Path, api_url: str, name: str) -> subprocess.Popen:
    home.mkdir(parents=True)
    environ = procs.env(api_url, home / "prefect", PREFECT_WORKER_QUERY_SECONDS="1",
                        PRESSWATCH_SENTIMENT_METHOD="lexicon", OMP_NUM_THREADS="1")
    log = (home / "worker.log").open("w")
    return subprocess.Popen([str(procs.BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process",
                             "--name", name, "--limit", "1"],
                            cwd=home, env=environ, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(worker: subprocess.Popen) -> None:
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


def wait_final(run_ids, timeout: float = 600) -> dict:
    from prefect import get_client

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            runs = {i: client.read_flow_run(i) for i in run_ids}
            if all(r.state and r.state.type.value in FINAL for r in runs.values()):
                return runs
            assert time.monotonic() < deadline, {i: r.state_name for i, r in runs.items()}
            time.sleep(1)


def test_two_workers_on_a_process_pool_load_each_article_once(tmp_path, prefect_api_url):
    from prefect.deployments import run_deployment

    from flows.params import ServeOptions
    from flows.work_pool import deploy_ingest

    drop, warehouse = tmp_path / "shared" / "drop", tmp_path / "shared" / "w.duckdb"
    articles = write_corpus(drop, STORIES)
    opts = ServeOptions(drop=drop, warehouse=warehouse, name="work-pool-test", writer_limit=LIMIT,
                        sentiment_method="lexicon", batch_size=10)
    deployment_id = deploy_ingest(POOL, opts)
    workers = [start_worker(tmp_path / f"machine-{i}", prefect_api_url, f"machine-{i}") for i in range(2)]
    try:
        runs = [run_deployment(deployment_id, timeout=0) for _ in range(2)]
        final = wait_final([r.id for r in runs])
    finally:
        for worker in workers:
            stop(worker)
    logs = "\n".join((tmp_path / f"machine-{i}" / "worker.log").read_text()[-3000:] for i in range(2))
    assert {r.state_name for r in final.values()} == {"Completed"}, logs
    counts = procs.check_invariants(warehouse)
    assert counts["articles"] == articles and counts["ingest_log"] == STORIES + 1
    assert counts["pipeline_runs"] == 2  # both runs ran to the end; the second found all in the ledger
    loaded = procs.rows(warehouse, "SELECT flow_run_id, count(*) FROM ingest_log WHERE status = 'loaded' "
                                   "GROUP BY ALL")
    assert sum(n for _, n in loaded) == STORIES + 1 and {str(i) for i, _ in loaded} <= {str(r.id) for r in runs}
