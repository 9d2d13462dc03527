"""The feeds flow over two loopback feeds, then the ingest flow over the drop folder it fed.

One feed answers 304 on the second poll (it honours If-None-Match); the other fails with 500
on the first and recovers: each new item lands once, the failing feed is fetched again, the
ledger shows every item, and ingest loads every one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.flows import procs
from tests.presswatch.feeds.server import Route, feed_server

pytestmark = pytest.mark.usefixtures("prefect_server")



def _drop_files(drop: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted((drop / "feeds").iterdir())}


@pytest.fixture(scope="module")
def polled(tmp_path_factory):
    """Three polls (first: tech 500; second: world 304, tech ok; third: world has one more item,
    tech 304 by Last-Modified), the drop folder after each, then one ingest run."""
    from flows.feeds import FeedParams, feed_poll
    from flows.ingest import IngestParams, ingest

    root = tmp_path_factory.mktemp("feeds")
    drop, warehouse = root / "drop", root / "w.duckdb"
    drop.mkdir()
    with feed_server() as server:
        server.routes["/world.rss"] = Route.file("world.rss", etag='"world-1"')
        server.routes["/tech.atom"] = Route.file("tech.atom", content_type="application/atom+xml",
                                                 last_modified="Mon, 30 Nov 2026 10:00:00 GMT", fail_first=1)
        feeds = root / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "World Desk"\nurl = "{server.url("/world.rss")}"\n\n'
                         f'[[feed]]\nname = "Tech Ledger"\nurl = "{server.url("/tech.atom")}"\n')
        params = FeedParams(feeds=feeds, drop=drop, warehouse=warehouse, feed_host_interval=0.0, feed_timeout=5.0)
        runs, files, states = [], [], []
        for poll in range(3):
            if poll == 2:
                server.routes["/world.rss"] = Route.file("world-updated.rss", etag='"world-2"')
            runs.append(feed_poll(params))
            files.append(_drop_files(drop))
            states.append(procs.rows(warehouse, "SELECT feed, last_status, consecutive_failures FROM feed_state "
                                          "ORDER BY feed"))
        requests = list(server.requests)
    summary = ingest(IngestParams(drop=drop, warehouse=warehouse, batch_size=4))
    return SimpleNamespace(warehouse=warehouse, drop=drop, runs=runs, files=files, states=states,
                           requests=requests, summary=summary)


def test_first_poll_writes_one_feed_and_records_the_failure(polled):
    runs, files = polled.runs, polled.files
    first = {f.feed: f for f in runs[0].feeds}
    assert first["World Desk"].status == "ok" and first["World Desk"].count("written") == 3
    assert first["Tech Ledger"].status == "failed" and "HTTP 500" in first["Tech Ledger"].error
    assert len(files[0]) == 3
    assert polled.states[0] == [("Tech Ledger", "failed", 1), ("World Desk", "ok", 0)]


def test_second_poll_gets_304_and_retries_the_failed_feed(polled):
    runs, files, requests = polled.runs, polled.files, polled.requests
    second = {f.feed: f for f in runs[1].feeds}
    assert second["World Desk"].status == "not-modified" and second["World Desk"].http_status == 304
    world = [r for r in requests if r.path == "/world.rss"]
    assert "if-none-match" not in world[0].headers and world[1].headers["if-none-match"] == '"world-1"'
    assert second["Tech Ledger"].status == "ok" and second["Tech Ledger"].count("written") == 2
    assert [r.status for r in requests if r.path == "/tech.atom"] == [500, 200, 304]
    assert polled.states[1] == [("Tech Ledger", "ok", 0), ("World Desk", "not-modified", 0)]
    assert len(files[1]) == 5


def test_each_new_item_lands_once(polled):
    drop, runs, files = polled.drop, polled.runs, polled.files
    third = {f.feed: f for f in runs[2].feeds}
    assert third["World Desk"].count("written") == 1 and len(third["World Desk"].seen_again) == 3
    assert third["Tech Ledger"].status == "not-modified"
    assert len(files[2]) == 6 and all(name.endswith(".json") for name in files[2])
    for earlier in files[:2]:  # a file, once landed, is never rewritten
        assert {name: files[2][name] for name in earlier} == earlier
    assert not [p for p in (drop / "feeds").iterdir() if p.name.startswith(".")]  # no .part left behind
    written = [i for run in runs for i in run.items]
    assert len(written) == 6 and len({i.drop_path for i in written}) == 6


def test_the_ledger_shows_every_item(polled):
    warehouse, drop = polled.warehouse, polled.drop
    rows = procs.rows(warehouse, "SELECT feed, title, status, drop_path, attempts FROM feed_items ORDER BY feed, title")
    assert [(feed, title) for feed, title, *_ in rows] == [
        ("Tech Ledger", "Chipmaker Nordsemi to build a plant in Dresden"),
        ("Tech Ledger", "Regulators open inquiry into cloud pricing"),
        ("World Desk", "Central bank of Chile raises rates by half a point"),
        ("World Desk", "Floods displace thousands in northern Kenya"),
        ("World Desk", "Port strike halts grain shipments in Rotterdam"),
        ("World Desk", "Rotterdam dockers end strike after overnight talks"),
    ]
    assert all(status == "written" and attempts == 1 for _, _, status, _, attempts in rows)
    assert sorted(Path(p).name for *_, p, _ in rows) == sorted(p.name for p in (drop / "feeds").iterdir())
    seen = procs.rows(warehouse, "SELECT title, first_seen_at < last_seen_at FROM feed_items WHERE feed = 'World Desk' "
                           "ORDER BY title")
    # the three first items were listed again by the third poll's document; the new one only then
    assert [later for _, later in seen] == [True, True, True, False]


def test_ingest_loads_every_item(polled):
    warehouse, drop, summary = polled.warehouse, polled.drop, polled.summary
    logged = procs.rows(warehouse, "SELECT source_path, status, error FROM ingest_log ORDER BY source_path")
    assert len(logged) == 6 and all(status == "loaded" for _, status, _ in logged), logged
    assert summary.files_loaded == 6
    articles = procs.rows(warehouse, "SELECT title, source, published_at, url, body FROM articles ORDER BY title")
    assert len(articles) == 6
    by_title = {title: (source, str(day), url, body) for title, source, day, url, body in articles}
    source, day, url, body = by_title["Port strike halts grain shipments in Rotterdam"]
    assert (source, day, url) == ("World Desk", "2026-11-30", "https://news.example.org/world/2026/11/30/port-strike")
    assert body.startswith("Dock workers in Rotterdam walked out") and "<p>" not in body
    assert by_title["Chipmaker Nordsemi to build a plant in Dresden"][:2] == ("Tech Ledger", "2026-11-30")
    for path in (drop / "feeds").iterdir():  # every file is the JSON article the reader took
        assert json.loads(path.read_text())["title"] in by_title


def test_serve_adds_feeds_poll_only_when_the_feeds_file_exists(tmp_path):
    from flows.params import FeedParams, ServeOptions
    from flows.serve import feed_deployments

    opts = ServeOptions(drop=tmp_path, warehouse=tmp_path / "w.duckdb", feeds=tmp_path / "feeds.toml",
                        feed_interval=300)
    assert feed_deployments(opts) == []
    (tmp_path / "feeds.toml").write_text("")
    [deployment] = feed_deployments(opts)
    assert (deployment.flow_name, deployment.name) == ("feeds", "poll")
    assert deployment.schedules[0].schedule.interval.total_seconds() == 300
    params = FeedParams.model_validate(deployment.parameters["params"])
    assert params.feeds == (tmp_path / "feeds.toml").resolve() and params.drop == tmp_path.resolve()


def test_the_cli_polls_once_and_exits_1_when_a_feed_failed(tmp_path, prefect_api_url):
    import subprocess
    import sys

    from tests.conftest import ROOT

    drop = tmp_path / "drop"
    drop.mkdir()
    with feed_server() as server:
        server.routes["/world.rss"] = Route.file("world.rss")
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "World"\nurl = "{server.url("/world.rss")}"\n\n'
                         f'[[feed]]\nname = "Broken"\nurl = "{server.url("/missing.rss")}"\n')
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect"),
               "PREFECT_API_URL": prefect_api_url, "PRESSWATCH_FEED_HOST_INTERVAL": "0"}
        result = subprocess.run([sys.executable, "-m", "presswatch.cli", "feeds", "poll", str(drop),
                                 "--feeds", str(feeds), "--warehouse", str(tmp_path / "w.duckdb")],
                                capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "polled 2 feed(s): 3 item(s) written, 0 failed, 0 skipped, 1 feed(s) failed" in result.stdout
    assert "Broken: FAILED (HTTP 404 Not Found" in result.stdout
    assert len(list((drop / "feeds").glob("*.json"))) == 3
