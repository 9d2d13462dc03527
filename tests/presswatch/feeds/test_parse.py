"""parse_feed: RSS 2.0, RSS 1.0/RDF and Atom items; hostile documents neither expand nor run."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from presswatch.feeds.drop import item_json
from presswatch.feeds.parse import FeedParseError, parse_feed
from presswatch.read.formats import read_file
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


def test_rss1_rdf_item_keeps_the_writers_offset():
    [comet] = _parse("science.rdf").items
    assert comet.title == "Astronomers track a comet from the Oort cloud"
    assert comet.key == "https://science.example.com/2026/comet"
    assert comet.published_at == "2026-11-28T12:00:00+01:00" and comet.authors == ("Keoni Kahale",)


def test_an_evening_item_east_of_utc_keeps_its_day_through_the_item_file(tmp_path):
    """Poller and dropped feed file agree on the day: the writer's, not UTC's (the day before)."""
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><item>
<title>Late vote</title><link>https://news.example.org/late</link>
<description>The assembly voted late in the evening.</description>
<pubDate>Mon, 30 Nov 2026 23:30:00 +0300</pubDate></item></channel></rss>"""
    [item] = parse_feed(feed, "https://news.example.org/rss").items
    assert item.published_at == "2026-11-30T23:30:00+03:00"
    path = tmp_path / "item.json"
    path.write_bytes(item_json(item, "Desk"))
    [polled] = read_file(path).articles
    dropped = tmp_path / "feed.xml"
    dropped.write_bytes(feed)
    [read] = read_file(dropped).articles
    assert polled.published_at == read.published_at == date(2026, 11, 30)


def test_declared_entities_are_refused_like_a_dropped_feed_file():
    doc = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x">]><rss version="2.0"><channel>
<title>T</title><item><title>&a;</title></item></channel></rss>"""
    with pytest.raises(FeedParseError, match="declares its own entities"):
        parse_feed(doc, "https://news.example.org/rss")


@pytest.mark.parametrize("doc", [
    # a "]>" in a DTD comment ended a subset-shaped search before the declaration
    b'<?xml version="1.0"?><!DOCTYPE rss [<!-- ]> --><!ENTITY a "LATE">]><rss version="2.0"><channel>'
    b"<title>T</title><item><title>&a;</title></item></channel></rss>",
    # a UTF-16 document: its markup is not ASCII bytes
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE rss [<!ENTITY a "x">]><rss version="2.0"><channel>'
    "<title>T</title><item><title>&a;</title></item></channel></rss>".encode("utf-16"),
], ids=["comment", "utf-16"])
def test_declared_entities_are_refused_however_the_document_hides_them(doc):
    with pytest.raises(FeedParseError, match="declares its own entities"):
        parse_feed(doc, "https://news.example.org/rss")


def test_a_reference_to_no_character_is_replaced_not_a_failure_of_the_feed():
    doc = (b'<rss version="2.0"><channel><title>T</title><item><title>Bridge &#xD800;opens &#x110000;</title>'
           b"<link>https://news.example.org/a</link></item></channel></rss>")
    [item] = parse_feed(doc, "https://news.example.org/rss").items
    assert item.title == "Bridge \ufffdopens \ufffd"


@pytest.mark.parametrize("name", ["billion-laughs.rss", "xxe.rss"])
def test_entity_attacks_are_refused_before_feedparser_sees_them(name):
    started = time.monotonic()
    with pytest.raises(FeedParseError, match="declares its own entities"):
        _parse(name)
    assert time.monotonic() - started < 5  # refused on sight, never expanded


def test_feedparser_alone_would_not_expand_them_either():
    """The second wall, should the refusal ever miss a form: feedparser does not expand."""
    import feedparser
    import io
    doc = feedparser.parse(io.BytesIO((FIXTURES / "billion-laughs.rss").read_bytes()), sanitize_html=True)
    assert all("lollol" not in (e.get("title", "") + e.get("summary", "")) for e in doc.entries)
    xxe = feedparser.parse(io.BytesIO((FIXTURES / "xxe.rss").read_bytes()), sanitize_html=True)
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert all(hostname.read_text().strip() not in e.get("title", "") for e in xxe.entries)


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
