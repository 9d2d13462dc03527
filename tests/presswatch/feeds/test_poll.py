"""poll_feeds over a loopback server, with an in-memory memory: what lands, what fails, what is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presswatch.feeds import poll as poll_module
from presswatch.feeds.config import FeedConfig
from presswatch.feeds.fetch import FetchLimits
from presswatch.feeds.poll import FeedState, poll_feeds
from tests.presswatch.feeds.server import Route, feed_server

LIMITS = FetchLimits(timeout=5.0, max_bytes=1024 * 1024, host_interval=0.0)


class Memory:
    """What warehouse/feeds.py keeps, kept in a dict: state per feed, written item keys."""

    def __init__(self) -> None:
        self.state: dict[str, FeedState] = {}
        self.written: set[tuple[str, str]] = set()
        self.asked: list[list[tuple[str, str]]] = []

    def seen(self, pairs):
        self.asked.append(pairs)
        return {p for p in pairs if p in self.written}

    def poll(self, feeds, drop):
        result = poll_feeds(feeds, dict(self.state), drop, LIMITS, seen=self.seen)
        for feed in result.feeds:
            self.state[feed.feed] = feed.state
        self.written |= {(i.feed, i.key) for i in result.items if i.status == "written"}
        return result


@pytest.fixture
def server():
    with feed_server() as s:
        yield s


def _files(drop: Path) -> list[str]:
    return sorted(p.name for p in (drop / "feeds").iterdir()) if (drop / "feeds").exists() else []


def test_a_failing_feed_never_stops_the_others_and_is_fetched_again(server, tmp_path):
    server.routes["/world"] = Route.file("world.rss", etag='"w1"')
    server.routes["/tech"] = Route.file("tech.atom", content_type="application/atom+xml", fail_first=1)
    server.routes["/page"] = Route.file("not-a-feed.html", content_type="text/html")
    feeds = [FeedConfig("World", server.url("/world")), FeedConfig("Tech", server.url("/tech")),
             FeedConfig("Home", server.url("/page")), FeedConfig("Gone", server.url("/404"))]
    memory = Memory()

    first = memory.poll(feeds, tmp_path)
    status = {f.feed: f for f in first.feeds}
    assert [f.feed for f in first.feeds] == ["World", "Tech", "Home", "Gone"]
    assert status["World"].status == "ok" and status["World"].count("written") == 3
    assert status["Tech"].status == "failed" and "HTTP 500" in status["Tech"].error
    assert status["Home"].status == "failed" and "not an RSS or Atom feed" in status["Home"].error
    assert status["Gone"].status == "failed" and "HTTP 404" in status["Gone"].error
    assert memory.state["Tech"].consecutive_failures == 1 and memory.state["World"].etag == '"w1"'
    assert len(_files(tmp_path)) == 3

    second = memory.poll(feeds, tmp_path)
    status = {f.feed: f for f in second.feeds}
    assert status["World"].status == "not-modified"
    assert server.requests_to("/world")[1].headers["if-none-match"] == '"w1"'
    assert status["Tech"].status == "ok" and status["Tech"].count("written") == 2
    assert memory.state["Tech"].consecutive_failures == 0
    assert memory.state["Gone"].consecutive_failures == 2
    assert len(_files(tmp_path)) == 5
    assert "Gone: FAILED (HTTP 404" in second.render() and "fetched again next poll" in second.render()


def test_items_written_before_are_not_written_again(server, tmp_path):
    server.routes["/world"] = Route.file("world.rss")  # no validators: the whole feed every time
    feeds = [FeedConfig("World", server.url("/world"))]
    memory = Memory()
    memory.poll(feeds, tmp_path)
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "feeds").iterdir()}
    server.routes["/world"] = Route.file("world-updated.rss")
    result = memory.poll(feeds, tmp_path)
    [feed] = result.feeds
    assert feed.items_in_feed == 4 and len(feed.seen_again) == 3
    [new] = feed.items
    assert new.title == "Rotterdam dockers end strike after overnight talks" and new.status == "written"
    assert all(p.stat().st_mtime_ns == m for p, m in mtimes.items())
    assert len(_files(tmp_path)) == 4


def test_a_new_url_drops_the_old_validators(server, tmp_path):
    server.routes["/v2"] = Route.file("world.rss", etag='"w1"')
    memory = Memory()
    memory.state["World"] = FeedState("http://old.example/feed", etag='"w1"', last_modified="x")
    [feed] = memory.poll([FeedConfig("World", server.url("/v2"))], tmp_path).feeds
    assert feed.status == "ok"
    assert "if-none-match" not in server.requests[0].headers and "if-modified-since" not in server.requests[0].headers


def test_item_files_carry_the_feed_name_and_summary_flag(server, tmp_path):
    server.routes["/world"] = Route.file("world.rss")
    memory = Memory()
    [feed] = memory.poll([FeedConfig("World Desk", server.url("/world"))], tmp_path).feeds
    records = {json.loads(Path(i.drop_path).read_text())["title"]: json.loads(Path(i.drop_path).read_text())
               for i in feed.items}
    chile = records["Central bank of Chile raises rates by half a point"]
    assert chile["source"] == "World Desk" and chile["body_is_summary"] is True
    assert chile["published_at"] == "2026-11-30T07:40:00+00:00"
    assert "body_is_summary" not in records["Floods displace thousands in northern Kenya"]


def test_fetch_pages_drops_the_linked_page_beside_the_item(server, tmp_path):
    atom = Route.file("tech.atom").body.replace(b"https://ledger.example.net/2026/11/30/nordsemi-dresden",
                                               server.url("/articles/nordsemi").encode())
    server.routes["/tech"] = Route(atom, content_type="application/atom+xml")
    server.routes["/articles/nordsemi"] = Route.file("page.html", content_type="text/html; charset=utf-8")
    memory = Memory()
    [feed] = memory.poll([FeedConfig("Tech", server.url("/tech"), fetch_pages=True)], tmp_path).feeds
    plant, inquiry = feed.items
    assert plant.status == "written" and Path(plant.page_path).read_bytes() == Route.file("page.html").body
    assert Path(plant.drop_path).suffix == ".json" and Path(plant.page_path).stem == Path(plant.drop_path).stem
    # the second entry's link resolves to the server's /2026/... which answers 404: the item is failed,
    # its JSON already written, and it is tried again next poll
    assert inquiry.status == "failed" and inquiry.error.startswith("page: HTTP 404")
    assert Path(inquiry.drop_path).exists() and inquiry.page_path is None
    again = memory.poll([FeedConfig("Tech", server.url("/tech"), fetch_pages=True)], tmp_path)
    assert [i.key for i in again.items] == [inquiry.key]  # only the failed one is retried


def test_pages_must_be_http_and_html(server, tmp_path):
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           b'<item><title>a</title><guid>a</guid><link>file:///etc/passwd</link></item>'
           b'<item><title>b</title><guid>b</guid><link>' + server.url("/pdf").encode() + b'</link></item>'
           b'</channel></rss>')
    server.routes["/f"] = Route(rss)
    server.routes["/pdf"] = Route(b"%PDF-1.4", content_type="application/pdf")
    [feed] = Memory().poll([FeedConfig("T", server.url("/f"), fetch_pages=True)], tmp_path).feeds
    a, b = feed.items
    assert a.status == "failed" and "not an http(s) link" in a.error
    assert b.status == "failed" and "not an HTML page (Content-Type 'application/pdf')" in b.error
    assert _files(tmp_path) == []
    assert len(server.requests_to("/pdf")) == 1 and all(r.path in ("/f", "/pdf") for r in server.requests)


def test_hostile_feed_items_each_get_one_outcome(server, tmp_path):
    server.routes["/h"] = Route.file("hostile.rss")
    [feed] = Memory().poll([FeedConfig("Hostile", server.url("/h"))], tmp_path).feeds
    assert feed.items_in_feed == 5
    by_title = {i.title: i for i in feed.items}
    assert [i.status for i in feed.items] == ["written", "written", "skipped", "written"]  # the repeat: once
    assert by_title["Only a title"].error.startswith("no content or summary to write")
    twice = json.loads(Path(by_title["Listed twice"].drop_path).read_text())
    assert twice["body"] == "First copy."
    written = [json.loads(Path(i.drop_path).read_text()) for i in feed.items if i.drop_path]
    assert not any("<script" in r["body"] for r in written)


def test_an_unexpected_error_in_one_feed_is_recorded_and_the_poll_goes_on(server, tmp_path, monkeypatch):
    server.routes["/a"] = Route.file("world.rss")
    server.routes["/b"] = Route.file("tech.atom")
    real = poll_module.parse_feed

    def fragile(data, url, content_type=""):
        if url.endswith("/a"):
            raise KeyError("surprise")
        return real(data, url, content_type)

    monkeypatch.setattr(poll_module, "parse_feed", fragile)
    result = Memory().poll([FeedConfig("A", server.url("/a")), FeedConfig("B", server.url("/b"))], tmp_path)
    a, b = result.feeds
    assert a.status == "failed" and a.error == "unexpected KeyError: 'surprise'"
    assert b.status == "ok" and b.count("written") == 2


def test_an_unwritable_drop_folder_fails_items_not_the_poll(server, tmp_path):
    server.routes["/w"] = Route.file("world.rss")
    (tmp_path / "feeds").write_text("a file where the folder should be")
    [feed] = Memory().poll([FeedConfig("W", server.url("/w"))], tmp_path).feeds
    assert feed.status == "ok" and [i.status for i in feed.items] == ["failed"] * 3
    assert all(i.error.startswith("cannot write ") for i in feed.items)


def test_a_feed_outcome_line_escapes_what_servers_and_feeds_said():
    from presswatch.feeds.poll import FeedOutcome

    line = FeedOutcome("World", "u", "failed", FeedState("u"), 500,
                       "HTTP 500 \x1b[2J\nFAKE: all good\u202e").describe()
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert line == "World: FAILED (HTTP 500 \\x1b[2J\\nFAKE: all good\\u202e); fetched again next poll"


def test_an_unexpected_error_on_one_item_fails_that_item_only(server, tmp_path, monkeypatch):
    server.routes["/w"] = Route.file("world.rss")

    def fragile(fetcher, url):
        if url.endswith("/chile-rates"):
            raise RuntimeError("surprise")
        return b"<html><body><p>page</p></body></html>"

    monkeypatch.setattr(poll_module, "fetch_page", fragile)
    [feed] = Memory().poll([FeedConfig("W", server.url("/w"), fetch_pages=True)], tmp_path).feeds
    assert [i.status for i in feed.items] == ["written", "failed", "written"]
    assert feed.items[1].error == "unexpected RuntimeError: surprise"


def test_a_failed_item_makes_the_next_fetch_unconditional_until_it_is_written(server, tmp_path):
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           b'<item><title>a</title><guid>a</guid><link>' + server.url("/page").encode() + b'</link></item>'
           b'</channel></rss>')
    server.routes["/f"] = Route(rss, etag='"f1"')
    server.routes["/page"] = Route.file("page.html", content_type="text/html", fail_first=1, fail_status=503)
    feeds = [FeedConfig("T", server.url("/f"), fetch_pages=True)]
    memory = Memory()
    [first] = memory.poll(feeds, tmp_path).feeds
    assert first.items[0].status == "failed" and "HTTP 503" in first.items[0].error
    assert memory.state["T"].failed_items == 1
    [second] = memory.poll(feeds, tmp_path).feeds  # the document again, not a 304: the item is retried
    assert second.status == "ok" and second.items[0].status == "written"
    [third] = memory.poll(feeds, tmp_path).feeds  # nothing pending: conditional again
    assert third.status == "not-modified"
    sent = [r.headers.get("if-none-match") for r in server.requests_to("/f")]
    assert sent == [None, None, '"f1"']
