"""parse_feed: RSS 2.0, RSS 1.0/RDF and Atom items; hostile documents neither expand nor run."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from presswatch.feeds.parse import FeedParseError, parse_feed
from tests.presswatch.feeds.server import FIXTURES

URL = "https://feeds.example.org/feed"


def _parse(name: str):
    return parse_feed((FIXTURES / name).read_bytes(), URL)


def test_rss2_items_content_summary_dates_authors():
    feed = _parse("world.rss")
    assert feed.title == "World Desk" and feed.problem is None
    strike, chile, kenya = feed.items
    assert strike.key == strike.guid == strike.url == "https://news.example.org/world/2026/11/30/port-strike"
    assert strike.title == "Port strike halts grain shipments in Rotterdam"
    assert "Pieter Jansen" in strike.body and not strike.body_is_summary  # content:encoded, not the teaser
    assert strike.published_at == "2026-11-30T08:15:00+00:00" and strike.authors == ("Anna de Vries",)
    assert chile.key == "tribune-world-88412" and chile.url.endswith("/chile-rates")
    assert chile.body.startswith("Chile's central bank") and chile.body_is_summary  # description only
    assert kenya.authors == ("James Otieno",)


def test_atom_entries_and_relative_links():
    plant, inquiry = _parse("tech.atom").items
    assert plant.key == "tag:ledger.example.net,2026:entry-5521"
    assert plant.authors == ("Lena Hartmann", "Tomas Berg")
    assert plant.published_at == "2026-11-30T09:20:00+00:00" and not plant.body_is_summary
    assert inquiry.body_is_summary and inquiry.published_at == "2026-11-29T16:00:00+00:00"  # updated only
    assert inquiry.url == "https://feeds.example.org/2026/11/29/cloud-inquiry"  # against the feed's URL


def test_rss1_rdf_item_with_its_date_in_utc():
    [comet] = _parse("science.rdf").items
    assert comet.title == "Astronomers track a comet from the Oort cloud"
    assert comet.key == "https://science.example.com/2026/comet"
    assert comet.published_at == "2026-11-28T11:00:00+00:00" and comet.authors == ("Keoni Kahale",)


def test_billion_laughs_is_not_expanded():
    started = time.monotonic()
    feed = _parse("billion-laughs.rss")
    assert time.monotonic() - started < 5
    [item] = feed.items
    assert item.key == "laughs-1"
    assert "lollol" not in (item.title + item.body + (feed.title or ""))
    assert len(item.title) < 100 and len(item.body) < 100


def test_external_entities_are_not_resolved():
    [item] = _parse("xxe.rss").items
    assert re.fullmatch(r"Secret: \[(&secret;)?\]", item.title), item.title  # the file's text never comes in
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in item.title + item.body


def test_hostile_markup_is_sanitized_and_items_keyed_without_guid_or_link():
    marked, textual, title_only, first, second = _parse("hostile.rss").items
    assert "<script" not in marked.body and "onclick" not in marked.body and "<iframe" not in marked.body
    assert "Shares rose on Monday." in marked.body and "Bonds were flat." in marked.body
    assert marked.key == "https://hostile.example.com/markets"  # no guid: the link
    assert textual.key.startswith("sha256:") and len(textual.key) == 7 + 64  # neither: its text
    assert textual.key == _parse("hostile.rss").items[1].key  # stable across parses
    assert title_only.body is None and not title_only.body_is_summary
    assert first.key == second.key == "hostile-twice"  # both listed: poll_feeds keeps the first


def test_a_page_that_is_not_a_feed_is_refused():
    with pytest.raises(FeedParseError, match="not an RSS or Atom feed"):
        _parse("not-a-feed.html")


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02garbage", b"/etc/passwd", b"https://example.com/feed"])
def test_junk_is_refused_and_never_opened_as_a_path_or_url(data):
    with pytest.raises(FeedParseError):
        parse_feed(data, URL)
