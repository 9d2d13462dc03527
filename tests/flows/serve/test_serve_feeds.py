"""`presswatch serve` with a feeds file: `feeds/poll` is served, a run of it drops the feed's
items, and the watcher's ingest run loads them, all against the session's real Prefect server."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.flows.serve.conftest import WAIT, Served
from tests.presswatch.feeds.server import Route, feed_server

# Real processes and servers: minutes, not seconds; `make check` leaves them to `make test`.
pytestmark = pytest.mark.slow


def _count(warehouse, sql: str) -> int:
    from warehouse.db import open_db

    if not warehouse.exists():
        return 0
    con = open_db(warehouse, read_only=True, timeout=60)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_served_feed_poll_feeds_the_ingest_deployment(prefect_server_process, tmp_path):
    from prefect.deployments import run_deployment

    drop, warehouse, log_path = tmp_path / "drop", tmp_path / "w.duckdb", tmp_path / "serve.log"
    drop.mkdir()
    with feed_server() as site:
        site.routes["/world.rss"] = Route.file("world.rss", etag='"w1"')
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "World Desk"\nurl = "{site.url("/world.rss")}"\n')
        env = prefect_server_process.env() | {"PRESSWATCH_FEEDS": str(feeds), "PRESSWATCH_FEED_INTERVAL": "3600",
                                              "PRESSWATCH_FEED_HOST_INTERVAL": "0"}
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "presswatch.cli", "serve", str(drop), "--warehouse", str(warehouse),
                 "--interval", "3600", "--settle", "0.5", "--poll", "1", "--name", "feeds-e2e"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        served = Served(prefect_server_process, drop, warehouse, log_path, proc)
        try:
            served.wait_for_log(["serving feeds/poll every 3600 s", "watching"], timeout=90)
            with served.client() as client:
                run = run_deployment("feeds/poll", timeout=WAIT, poll_interval=1, as_subflow=False, client=client)
            assert run.state_type.value == "COMPLETED", served.log()[-4000:]
            assert run.parameters["params"]["feeds"] == str(feeds.resolve())
            deadline = time.monotonic() + WAIT
            while _count(warehouse, "SELECT count(*) FROM articles WHERE source = 'World Desk'") < 3:
                assert time.monotonic() < deadline, f"the feed's items were not ingested:\n{served.log()[-4000:]}"
                time.sleep(1)
            assert _count(warehouse, "SELECT count(*) FROM feed_items WHERE status = 'written'") == 3
            assert len(list((drop / "feeds").glob("*.json"))) == 3
        finally:
            assert served.stop() == 0, served.log()[-3000:]
    assert "Traceback" not in served.log(), served.log()[-3000:]
