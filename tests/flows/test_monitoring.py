"""Monitoring end to end on loopback: a real Prefect server, the ingest and digest flows, the
shipped automation example, a tiny HTTP server standing in for the webhook's receiver, and
headless chromium looking at the HTML report and the digest's artifact.

- An organisation in ~2 articles a day for 16 days, then in 25 on one day: exactly one
  `presswatch.alert.spike` event reaches the server, and the automation POSTs it to the webhook.
- One of those articles carries markup, a script link and table pipes in its title, quote and
  link: the digest artifact, the HTML report, the chart SVGs and the event payloads show them
  as text.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from flows.localserver import LocalPrefectServer
from tests.flows.alerts_corpus import BASELINE, HOSTILE_QUOTE, HOSTILE_TITLE, HOSTILE_URL, SPIKE, write_article

pytestmark = pytest.mark.slow

TODAY = datetime.now(timezone.utc).date()


def _fresh_events_worker() -> None:
    """Prefect keeps one events worker per process, bound to the API of its first use: in the
    whole suite that is the session's server, so this module's events would go there. Drain it
    and let the next event start a worker for the API in force."""
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all()
    EventsWorker.reset_instances_for_fork()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = LocalPrefectServer(tmp_path_factory.mktemp("prefect-alerts"))
    try:
        s.start()
    except (RuntimeError, TimeoutError) as exc:
        pytest.fail(f"could not start a Prefect server: {exc}")
    _fresh_events_worker()
    yield s
    _fresh_events_worker()  # later modules' events go to their own server again
    s.stop()


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every POST body it gets."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                received.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def wait_for(self, count: int, timeout: float) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return list(self.received)


@pytest.fixture()
def webhook():
    r = Receiver()
    r.thread.start()
    yield r
    r.httpd.shutdown()
    r.httpd.server_close()


def alert_events(client, since: datetime, name: str = "presswatch.alert.spike") -> list:
    from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter

    page = client.read_events(filter=EventFilter(
        event=EventNameFilter(prefix=[name]), occurred=EventOccurredFilter(since=since)), limit=50)
    return page.events


def wait_for_events(client, since: datetime, count: int, timeout: float,
                    name: str = "presswatch.alert.spike") -> list:
    deadline = time.monotonic() + timeout
    events = alert_events(client, since, name)
    while len(events) < count and time.monotonic() < deadline:
        time.sleep(0.5)
        events = alert_events(client, since, name)
    return events


def test_a_jump_to_25_articles_emits_one_spike_event_and_the_webhook_gets_it(server, webhook, tmp_path):
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from examples.automations.spike_webhook import create_spike_webhook_automation
    from flows.ingest import IngestParams, ingest

    drop, warehouse = tmp_path / "drop", tmp_path / "w.duckdb"
    drop.mkdir()
    params = IngestParams(drop=drop, warehouse=warehouse, nlp_workers=0, batch_size=100)
    since = datetime.now(timezone.utc)
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        automation = create_spike_webhook_automation(webhook.url)
        n = 0
        for back, count in zip(range(len(BASELINE), 0, -1), BASELINE):
            for _ in range(count):
                n += 1
                write_article(drop, f"base-{n}", TODAY - timedelta(days=back), n)
        ingest(params)  # the baseline: no spike
        for _ in range(SPIKE):
            n += 1
            write_article(drop, f"spike-{n}", TODAY, n)
        ingest(params)  # the jump
        n += 1
        write_article(drop, f"late-{n}", TODAY, n)
        ingest(params)  # one more that day: the spike is already alerted

        with get_client(sync_client=True) as client:
            events = wait_for_events(client, since, 1, timeout=60)
            time.sleep(3)  # anything emitted twice would have arrived by now
            events = alert_events(client, since)
        received = webhook.wait_for(1, timeout=90)

    assert len(events) == 1, [e.payload.get("summary") for e in events]
    [event] = events
    assert event.resource["prefect.resource.name"] == "Bank of England"
    assert event.payload["day"] == TODAY.isoformat()
    assert event.payload["figures"]["articles"] == SPIKE
    assert event.payload["figures"]["baseline_mean"] == pytest.approx(sum(BASELINE[-14:]) / 14, abs=0.01)
    assert {o["source"] for o in event.payload["why"]["outlets"]} == {"Ledger Wire", "City Desk"}
    assert event.payload["links"]["flow_run"].startswith(f"{server.url}/runs/flow-run/")

    assert len(received) == 1, received
    body = json.loads(received[0])
    assert body["event"] == "presswatch.alert.spike" and body["entity"] == "Bank of England"
    assert body["articles"] == SPIKE and body["event_id"] == str(event.id)
    assert automation.name == "presswatch spike alert"

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("SELECT kind, emitted_at IS NOT NULL, event_id FROM alerts").fetchall()
    finally:
        con.close()
    assert rows == [("spike", True, event.id)]


# --- untrusted text through ingest, alerts, digest and report --------------------------------


def _svg_ok(svg: str) -> None:
    """Well-formed XML with no script, foreign HTML or event handler anywhere."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    tags = {e.tag.rsplit("}", 1)[-1].lower() for e in root.iter()}
    assert not tags & {"script", "foreignobject", "iframe"}, tags
    assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]


@pytest.fixture(scope="module")
def hostile(server, tmp_path_factory):
    """The alert corpus with one spike article carrying untrusted title, quote and link; ingested
    in two runs, a saved-search hit on that article alerted, the digest flow and the report."""
    from types import SimpleNamespace

    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.digest import DigestParams, digest
    from flows.ingest import IngestParams, ingest
    from presswatch.cli import main
    from presswatch.monitor.rules import SpikeRules
    from tasks.alerts import raise_alerts

    root = tmp_path_factory.mktemp("hostile")
    drop, warehouse = root / "drop", root / "w.duckdb"
    drop.mkdir()
    params = IngestParams(drop=drop, warehouse=warehouse, nlp_workers=0, batch_size=100)
    since = datetime.now(timezone.utc)
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        n = 0
        for back, count in zip(range(len(BASELINE), 0, -1), BASELINE):
            for _ in range(count):
                n += 1
                write_article(drop, f"base-{n}", TODAY - timedelta(days=back), n)
        # In the first run too, so the digest's first titles (in order of arrival) show it.
        write_article(drop, "hostile-early", TODAY - timedelta(days=3), 999, title=HOSTILE_TITLE)
        ingest(params)
        for i in range(SPIKE):
            n += 1
            if i == 0:
                write_article(drop, "hostile", TODAY, n, title=HOSTILE_TITLE, extra=" " + HOSTILE_QUOTE,
                              url=HOSTILE_URL)
            else:
                write_article(drop, f"spike-{n}", TODAY, n)
        ingest(params)
        con = duckdb.connect(str(warehouse))
        try:  # a saved search matched the hostile article (the search step's table, by contract)
            [(article_id, ingest_day)] = con.execute("SELECT article_id, CAST(ingested_at AS DATE) FROM articles "
                                                     "WHERE url = ?", [HOSTILE_URL]).fetchall()
            con.execute("INSERT INTO search_hits (search_name, article_id, score, matched_at, flow_run_id) "
                        "VALUES ('rates <b>watch</b>', ?, 1.5, now(), 'search-run')", [article_id])
        finally:
            con.close()
        raise_alerts.fn(warehouse, "search-run", SpikeRules())
        # the day it arrived, not TODAY (fixed at import): a suite running past midnight UTC moves it
        digest(DigestParams(warehouse=warehouse, day=ingest_day))
        report = root / "report.html"
        assert main(["report", "--from", str(TODAY - timedelta(days=20)), "--to", str(TODAY), "-o", str(report),
                     "--warehouse", str(warehouse), "--charts", str(root / "charts")]) == 0
        with get_client(sync_client=True) as client:
            spikes = wait_for_events(client, since, 1, timeout=60)
            matches = wait_for_events(client, since, 1, timeout=30, name="presswatch.alert.match")
            [artifact] = client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["daily-digest"])), limit=1)
    (root / "digest.md").write_text(artifact.data)  # to read when a check fails
    return SimpleNamespace(root=root, warehouse=warehouse, report=report, charts=root / "charts",
                           spikes=spikes, matches=matches, artifact=artifact)


def test_untrusted_text_stays_text_everywhere(hostile):
    import base64
    import re
    from html.parser import HTMLParser

    # 1. the digest's markdown artifact: markup escaped, no live link, the table's columns intact
    md = hostile.artifact.data
    assert "<script" not in md and "<img" not in md and "](javascript:" not in md
    [row] = [line for line in md.splitlines() if line.startswith("| Rates &lt;script&gt;")]  # Articles table
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in row and "javascript&#58;alert" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 5, row  # 4 cells: the title's pipes are escaped
    charts = re.findall(r"\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", md)
    assert len(charts) >= 3
    for data in charts:
        _svg_ok(base64.b64decode(data).decode())

    # 2. the HTML report: no element or attribute from the text, the title shown as written
    class Page(HTMLParser):
        tags: list = []
        text: list = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            self.text.append(data)

    page = Page()
    page.tags, page.text = [], []
    page.feed(hostile.report.read_text())
    assert "script" not in [t for t, _ in page.tags]
    assert all(a["src"].startswith("data:image/svg+xml;base64,") for t, a in page.tags if t == "img")
    assert not [k for _, a in page.tags for k in a if k.startswith("on")]
    assert all(a["href"].startswith("https://news.example/") for t, a in page.tags if t == "a")
    assert HOSTILE_TITLE in "".join(page.text)

    # 3. the chart files
    svgs = sorted(hostile.charts.glob("*.svg"))
    assert len(svgs) >= 3 and len(list(hostile.charts.glob("*.png"))) == len(svgs)
    for svg in svgs:
        _svg_ok(svg.read_text())

    # 4. the events: the text is a JSON string, the script link dropped
    [match] = hostile.matches
    assert match.payload["article"]["title"] == HOSTILE_TITLE and match.payload["article"]["url"] is None
    assert match.payload["search"] == "rates <b>watch</b>"
    [spike] = hostile.spikes
    why = spike.payload["why"]
    assert why["articles"][0]["title"] == HOSTILE_TITLE  # the article most about the entity leads
    assert why["articles"][0]["url"] is None  # its javascript: link dropped
    assert any(q["text"].startswith("Prices <script>alert(3)</script>") for q in why["quotes"])
    assert all(a["url"] is None or a["url"].startswith("https://") for a in why["articles"])
    assert HOSTILE_URL not in json.dumps(spike.payload) + json.dumps(match.payload)


def test_report_and_digest_artifact_in_chromium(hostile, server, tmp_path):
    from tests.flows.serve.cdp import Browser, find_chromium

    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium not installed (Debian: `apt-get install -y chromium`; CI installs it)")
    images = ("[...document.images].filter(i => i.src.startsWith('data:image/svg+xml') && i.complete "
              "&& i.naturalWidth > 0).length")
    with Browser(exe, tmp_path / "chromium-profile") as page:
        page.goto(hostile.report.as_uri())
        page.wait_for_text("presswatch report", timeout=30)
        page.wait_for_text(HOSTILE_TITLE, timeout=30)  # shown as text, not parsed as markup
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate(images) >= 3
        report_shot = page.screenshot(tmp_path / "report.png")
        assert page.scroll_to_text("col | umn")  # the articles' table, the untrusted title in it
        time.sleep(0.3)
        table_shot = page.screenshot(tmp_path / "report-articles.png")

        page.goto(f"{server.url}/artifacts/artifact/{hostile.artifact.id}")
        page.wait_for_text("presswatch digest for", timeout=60)
        deadline = time.monotonic() + 30
        while page.evaluate(images) < 3 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert page.evaluate(images) >= 3, "the artifact page does not show the digest's charts"
        assert page.evaluate("[...document.querySelectorAll('img')].filter(i => i.getAttribute('onerror')).length") == 0
        artifact_shot = page.screenshot(tmp_path / "artifact.png")
        page.evaluate("document.querySelector('img[src^=\"data:image/svg\"]').scrollIntoView({block: 'start'})")
        time.sleep(0.5)
        charts_shot = page.screenshot(tmp_path / "artifact-charts.png")
    for shot in (report_shot, table_shot, artifact_shot, charts_shot):
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    print(f"screenshots: {report_shot} {table_shot} {artifact_shot} {charts_shot}")
