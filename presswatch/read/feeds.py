"""RSS 2.0, RSS 1.0 (RDF) and Atom files: each item an article, the channel its source.

The XML is untrusted: a document declaring its own entities is refused before any parser sees
it (entity expansion is the billion-laughs attack), and the parser is given bytes in a stream,
never a string it could take for a URL or a file name.
"""

from __future__ import annotations

import io
import re
from presswatch.read.encoding import BOMS, refuse_binary
from presswatch.read.feed_entry import entry_fields
from presswatch.read.fields import make_article, split_paragraphs, strip_html
from presswatch.read.found import Found, gather
from presswatch.read.json_fields import authors_of
from presswatch.read.webpage import fragment_text, looks_like_html
from presswatch.records import Article, ArticleError

# An entity declaration anywhere: a subset-shaped search (the DOCTYPE's [...] in the first MiB) was
# fooled by a "]>" inside a DTD comment or a long comment first. Feeds never declare entities.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|RDF|feed)\b")
NOT_A_FEED = "XML is not an RSS, RDF or Atom feed (no <rss>, <rdf:RDF> or <feed> element)"


def refuse_entities(data: bytes) -> None:
    """Raise ArticleError when the document declares entities (UTF-16/32 read as its text)."""
    if _ENTITY_DECLARATION.search(_as_utf8(data)):
        raise ArticleError("XML declares its own entities (refused: entity expansion is the "
                           "billion-laughs attack; feeds never need them)")


# feedparser's lenient parser crashes on a reference to no character ("&#xD800;", past U+10FFFF):
# each becomes U+FFFD, as such escapes do in JSON and HTML.
_NUMERIC_REF = re.compile(rb"&#([xX][0-9A-Fa-f]+|[0-9]+);")


def parser_input(data: bytes) -> io.BytesIO:
    """What feedparser is given: a stream, never bytes it could take for a URL or a path, with
    references to no character made U+FFFD (its lenient parser crashes on them)."""
    return io.BytesIO(_NUMERIC_REF.sub(_valid_ref, data))


def _valid_ref(m: re.Match) -> bytes:
    hexa = m[1][:1] in (b"x", b"X")
    digits = (m[1][1:] if hexa else m[1]).lstrip(b"0") or b"0"
    code = int(digits, 16 if hexa else 10) if len(digits) <= 8 else -1
    return m[0] if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"


# A UTF-16/32 document's markup is not ASCII bytes: the byte checks below read it as UTF-8.
# Its byte-order marks (the decoder's table, UTF-32 first), then the XML declaration without one.
_WIDE = [(mark, codec) for mark, codec in BOMS if codec != "utf-8"] + [(b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le")]


def _as_utf8(data: bytes) -> bytes:
    for mark, codec in _WIDE:
        if data.startswith(mark):
            return data.decode(codec, errors="replace").encode("utf-8")
    return data


def read_feed(data: bytes, problems: list[str]) -> Found:
    refuse_binary(data)
    refuse_entities(data)
    # A UTF-16 feed was refused as "not a feed": its markup is not ASCII bytes.
    if not _ROOT.search(_as_utf8(data[: 1 << 17])[: 1 << 16]):
        raise ArticleError(NOT_A_FEED)
    import feedparser  # imported here: only feeds need it

    try:
        parsed = feedparser.parse(parser_input(data), sanitize_html=True, resolve_relative_uris=True)
    except Exception as e:  # a parser bug on odd input fails this file, never its batch
        raise ArticleError(f"feed could not be parsed: {type(e).__name__}: {e}"[:240]) from None
    if parsed.bozo and not parsed.entries:
        raise ArticleError(f"feed could not be parsed: {_bozo(parsed)}")
    if parsed.bozo:
        problems.append(f"feed is not well-formed ({_bozo(parsed)}); its items were read leniently")
    if not parsed.entries:
        raise ArticleError("feed has no items")
    channel = parsed.feed
    source = strip_html(channel.get("title") or "") or None
    language = channel.get("language")
    records = ((f"item {i + 1}: ", entry) for i, entry in enumerate(parsed.entries))

    def to_article(entry, *, record_idx: int, problems: list[str], where: str) -> Article:
        return item_article(entry, source=source, language=language, record_idx=record_idx,
                            problems=problems, where=where)

    return gather(records, to_article, problems, "feed items")


def item_article(entry, *, source: str | None, language: object, record_idx: int, problems: list[str],
                 where: str) -> Article:
    """content:encoded / Atom <content> when present; else the summary, flagged as a teaser."""
    fields = entry_fields(entry)
    raw = fields.body or ""
    markup = looks_like_html(raw)
    text = fragment_text(raw) if markup else strip_html(raw)
    # The date as written when none parses: make_article notes it instead of dropping it unseen.
    published = fields.published_at or _written(entry, "published") or _written(entry, "updated")
    article = make_article(
        split_paragraphs(text, lines_are_paragraphs=True),
        title=strip_html(fields.title or "") or None,
        published=published,
        source=source,
        url=fields.url,
        language=language,
        authors=authors_of(list(fields.authors)),
        record_idx=record_idx,
        problems=problems,
        where=where,
    )
    article.body_is_summary = fields.body_is_summary
    article.date_source = "feed" if article.published_at else "none"
    article.extraction_mode = "fragment" if markup else "plain"
    return article


def _written(entry, key: str) -> str | None:
    value = entry.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _bozo(parsed) -> str:
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}"[:200] if exc else "malformed"
