"""One feed entry (a feedparser item) to its fields: shared by the reader of dropped feed files
(`read/feeds.py`) and the poller (`feeds/parse.py`), so both choose the body, date and authors alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from presswatch.read.fields import parse_date


@dataclass(frozen=True)
class EntryFields:
    guid: str | None
    url: str | None
    title: str | None  # as the feed gives it (HTML possible)
    body: str | None  # the longest full content (content:encoded, Atom <content>), else the summary
    body_is_summary: bool  # no full content was given: the body is a teaser
    published_at: str | None  # ISO 8601 in the writer's own offset (its day), else the parsed UTC form
    authors: tuple[str, ...] = ()


def entry_fields(entry) -> EntryFields:
    contents = [c.get("value") for c in entry.get("content") or [] if _str(c.get("value"))]
    summary = _str(entry.get("summary"))
    return EntryFields(
        guid=_str(entry.get("id")),
        url=_str(entry.get("link")),
        title=_str(entry.get("title")),
        body=max(contents, key=len) if contents else summary,
        body_is_summary=not contents and summary is not None,
        published_at=_published(entry),
        authors=_authors(entry))


def _published(entry) -> str | None:
    """The date as written keeps the writer's day; feedparser's parsed form is in UTC and can move
    an evening item at UTC+x to the previous day, so it is only the fallback."""
    for key in ("published", "updated"):
        written = _as_written(_str(entry.get(key)))
        if written:
            return written
    for key in ("published", "updated"):
        # The readers' parse keeps the writer's day where feedparser's moved it to UTC or misread
        # it ("2026/03/15 10:00 -0500" parsed as 2026-12-01).
        text = _str(entry.get(key))
        if text and parse_date(text) is not None:
            return text
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat() if parsed else None


def _as_written(text: str | None) -> str | None:
    if not text:
        return None
    for parse in (parsedate_to_datetime, datetime.fromisoformat):  # RSS's RFC 2822, Atom's RFC 3339
        try:
            found = parse(text.replace("Z", "+00:00") if parse is datetime.fromisoformat else text)
        except (TypeError, ValueError, IndexError):
            continue
        if 1900 <= found.year <= 2100:
            return found.isoformat()
    return None


def _authors(entry) -> tuple[str, ...]:
    names = [_str(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and _str(entry.get("author")):
        names = [entry["author"].strip()]
    return tuple(dict.fromkeys(names))


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
