"""A fetched feed document (RSS 2.0, RSS 1.0/RDF, Atom) to items: the one place feedparser is used.

feedparser never expands entities declared in the document (billion laughs, external
entities) and sanitizes the HTML of titles, summaries and contents; tests hold it to both.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser


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
    published_at: str | None  # ISO 8601, UTC
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    problem: str | None = None  # the parser's complaint when it recovered (loose parse)


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Items in document order. Raises FeedParseError when no feed can be made of `data`."""
    headers = {"content-location": url}  # relative links resolve against the feed's URL
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes: feedparser would treat a document that looks like a URL or a path
    # as one and open it.
    doc = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    problem = _problem(doc)
    if not doc.entries and not doc.get("version"):
        raise FeedParseError(f"not an RSS or Atom feed ({problem or 'no feed elements found'})")
    items = [_item(entry) for entry in doc.entries]
    return ParsedFeed(_str(doc.feed.get("title")), items, problem)


def _item(entry) -> FeedItem:
    guid = _str(entry.get("id"))
    link = _str(entry.get("link"))
    title = _str(entry.get("title"))
    contents = [c.get("value") for c in entry.get("content") or [] if _str(c.get("value"))]
    summary = _str(entry.get("summary"))
    body = max(contents, key=len) if contents else summary
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return FeedItem(
        key=guid or link or "sha256:" + hashlib.sha256(
            "\0".join(v or "" for v in (title, body, _str(entry.get("published")))).encode()).hexdigest(),
        guid=guid, url=link, title=title, body=body,
        body_is_summary=not contents and summary is not None,
        published_at=datetime(*published[:6], tzinfo=timezone.utc).isoformat() if published else None,
        authors=_authors(entry))


def _authors(entry) -> tuple[str, ...]:
    names = [_str(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and _str(entry.get("author")):
        names = [entry["author"].strip()]
    return tuple(dict.fromkeys(names))


# Notes, not damage: a missing or non-XML Content-Type, an encoding the document corrects.
_BENIGN = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


def _problem(doc) -> str | None:
    exc = doc.get("bozo_exception")
    if not doc.get("bozo") or isinstance(exc, _BENIGN):
        return None
    return f"{type(exc).__name__}: {exc}" if exc is not None else "malformed"


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
