"""End to end: a real Prefect server, `presswatch serve` on a temp drop folder, three articles.

Dropped files start a run of the ingest deployment (visible through the Prefect client with
its artifact), the articles land in DuckDB, and dropping the same files again starts nothing.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from tests.flows.serve.conftest import DEPLOYMENT, THREE, WAIT

pytestmark = pytest.mark.slow


def _count(warehouse, sql: str) -> int:
    from warehouse.db import open_db

    con = open_db(warehouse, read_only=True, timeout=60)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _runs(served):
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.client.schemas.objects import StateType

    with served.client() as client:
        return [r for r in client.read_flow_runs(
                    deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[DEPLOYMENT])))
                if r.state_type != StateType.SCHEDULED]


def test_dropped_articles_are_ingested_by_one_named_run_with_its_artifact(served, ingested):
    run, artifacts, seconds = ingested
    assert seconds < WAIT
    assert run.name.startswith(f"ingest {served.drop.name}: 3 new (")
    assert all(name in run.name for name in THREE)
    assert run.idempotency_key and run.idempotency_key.startswith("presswatch-ingest-")
    assert {"presswatch", "watch"} <= set(run.tags)
    [table] = [a for a in artifacts if a.key == "ingest-summary"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert {"what": "files seen", "count": 3} in rows and {"what": "loaded", "count": 3} in rows
    assert any(str(r["what"]).startswith("top entity: ") for r in rows)
    assert _count(served.warehouse, "SELECT count(*) FROM articles") == 3
    assert _count(served.warehouse, "SELECT count(DISTINCT flow_run_id) FROM ingest_log") == 1


def test_the_same_files_dropped_again_start_no_run_and_add_no_rows(served, ingested):
    run = ingested[0]
    mark = len(served.log())
    served.drop_atomically(THREE)
    served.wait_for_log(["already handled, no new run"] + THREE, after=mark, timeout=60)
    assert [r.id for r in _runs(served)] == [run.id]
    assert _count(served.warehouse, "SELECT count(*) FROM articles") == 3
    assert _count(served.warehouse, "SELECT count(*) FROM ingest_log") == 3


def test_the_server_returns_the_same_run_for_the_same_files(served, ingested):
    """Even a restarted watcher (no memory) cannot start a second run: the key is the contents'."""
    from prefect.deployments import run_deployment

    from presswatch.discover.folder import sha256_file
    from presswatch.discover.watch import idempotency_key

    run = ingested[0]
    key = idempotency_key(sha256_file(served.drop / name) for name in THREE)
    assert key == run.idempotency_key
    with served.client() as client:
        again = run_deployment(f"ingest/{DEPLOYMENT}", idempotency_key=key, timeout=0,
                               as_subflow=False, client=client)
    assert again.id == run.id


def test_global_concurrency_limit_guards_the_writer(served, ingested):
    with served.client() as client:
        limit = client.read_global_concurrency_limit_by_name("presswatch-duckdb-writer")
    assert (limit.limit, limit.active, limit.active_slots) == (1, True, 0)
    assert ingested[0].parameters["params"]["writer_limit"] == "presswatch-duckdb-writer"


def test_digest_deployment_publishes_markdown_and_table(served, ingested):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.deployments import run_deployment

    today = datetime.now(timezone.utc).date().isoformat()
    with served.client() as client:
        run = run_deployment("digest/daily", timeout=WAIT, poll_interval=1, as_subflow=False, client=client,
                             parameters={"params": {"warehouse": str(served.warehouse), "day": today}})
        assert run.state_type.value == "COMPLETED", served.log()[-4000:]
        artifacts = {a.key: a for a in client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))}
    assert run.name == f"digest {today}"
    markdown = artifacts["daily-digest"]
    assert markdown.type == "markdown"
    assert "**3 article(s) in**" in markdown.data
    assert "## Top entities" in markdown.data and "Antony Blinken" in markdown.data
    assert artifacts["daily-digest-table"].type == "table"


def test_a_scheduled_run_settles_finds_everything_known_and_logs_why(served, ingested):
    """What the interval schedule starts (deployment defaults, no handover from the watcher)."""
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.deployments import run_deployment

    with served.client() as client:
        run = run_deployment(f"ingest/{DEPLOYMENT}", timeout=WAIT, poll_interval=1, as_subflow=False,
                             client=client)
        assert run.state_type.value == "COMPLETED", served.log()[-4000:]
        assert run.parameters["params"]["settle_seconds"] == 0.5 and "files" not in run.parameters["params"]
        run = client.read_flow_run(run.id)
        deadline = time.monotonic() + 30
        while True:  # logs reach the API in batches
            logs = [entry.message for entry in client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))]
            if any(m.startswith("skipped: 3 file(s)") for m in logs) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert run.name == f"ingest {served.drop.name}: nothing new (3 known)"
    assert any(m.startswith("skipped: 3 file(s), already in the ledger") for m in logs), logs
    assert _count(served.warehouse, "SELECT count(*) FROM articles") == 3


def test_sigterm_stops_the_runner_and_the_watcher(served, ingested):
    assert served.stop() == 0, served.log()[-3000:]
    log = served.log()
    assert "watcher stopped" in log
    assert "Traceback" not in log, log[-3000:]
