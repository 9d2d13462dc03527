"""A fetched feed document (RSS 2.0, RSS 1.0/RDF, Atom) to items: the one place feedparser is used.

A document declaring its own entities (billion laughs, external entities) is refused before
feedparser sees it, as a dropped feed file is; feedparser would not expand them either, and it
sanitizes the HTML of titles, summaries and contents; tests hold it to all three.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
import feedparser

from presswatch.read.feed_entry import entry_fields
from presswatch.read.feeds import parser_input, refuse_entities
from presswatch.records import ArticleError


class FeedParseError(Exception):
    """The document is not a feed (or too broken to give one); the message says what was found."""


@dataclass(frozen=True)
class FeedItem:
    key: str  # the item's identity in its feed: guid, else link, else a hash of its text
    guid: str | None
    url: str | None
    title: str | None
    body: str | None  # full content, else the summary (HTML as the feed gives it)
    body_is_summary: bool  # only a summary/description was given
    published_at: str | None  # ISO 8601, in the writer's offset (see read/feed_entry.py)
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    problem: str | None = None  # the parser's complaint when it recovered (loose parse)


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Items in document order. Raises FeedParseError when no feed can be made of `data`."""
    try:
        refuse_entities(data)  # the same refusal as a feed file dropped in the folder
    except ArticleError as e:
        raise FeedParseError(str(e)) from None
    headers = {"content-location": url}  # relative links resolve against the feed's URL
    if content_type:
        headers["content-type"] = content_type
    # parser_input: a stream, never bytes feedparser could take for a URL or a path and open, with
    # "&#xD800;"-style references (which crash its lenient parser) made U+FFFD.
    doc = feedparser.parse(parser_input(data), response_headers=headers, sanitize_html=True,
                           resolve_relative_uris=True)
    problem = _problem(doc)
    if not doc.entries and not doc.get("version"):
        raise FeedParseError(f"not an RSS or Atom feed ({problem or 'no feed elements found'})")
    items = [_item(entry) for entry in doc.entries]
    return ParsedFeed(_str(doc.feed.get("title")), items, problem)


def _item(entry) -> FeedItem:
    f = entry_fields(entry)
    return FeedItem(
        key=f.guid or f.url or "sha256:" + hashlib.sha256(
            "\0".join(v or "" for v in (f.title, f.body, _str(entry.get("published")))).encode()).hexdigest(),
        guid=f.guid, url=f.url, title=f.title, body=f.body, body_is_summary=f.body_is_summary,
        published_at=f.published_at, authors=f.authors)


# Notes, not damage: a missing or non-XML Content-Type, an encoding the document corrects.
_BENIGN = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


def _problem(doc) -> str | None:
    exc = doc.get("bozo_exception")
    if not doc.get("bozo") or isinstance(exc, _BENIGN):
        return None
    return f"{type(exc).__name__}: {exc}" if exc is not None else "malformed"


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
