"""Readers: a file in, Articles out. The public entry point; formats live beside it in presswatch.read.

    result = read_file(Path("drop/story.txt"))
    result.articles       # [Article(title=..., body=..., published_at=..., source=..., language=...)]
    result.problems       # non-fatal notes, e.g. "line 3: invalid JSON: Expecting value (char 0)"
    result.records_found  # records in the file, the unusable ones included

A file that cannot give a single article raises ArticleError with a message meant for
ingest_log.error (and records_found set when it held records). Nothing else escapes for bad content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.records import Article, ArticleError
from presswatch.read.compressed import gunzip_limited
from presswatch.read.encoding import decode_text, html_charset
from presswatch.read.feeds import read_feed
from presswatch.read.found import Found
from presswatch.read.jsonfeed import read_json, read_jsonl
from presswatch.read.markdown import read_markdown
from presswatch.read.plaintext import read_plain_text
from presswatch.read.warc import read_warc
from presswatch.read.webpage import read_html

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "ReadResult", "decode_text", "read_file"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # Settings.max_file_bytes' default


@dataclass
class ReadResult:
    articles: list[Article]
    problems: list[str] = field(default_factory=list)  # non-fatal, one line each
    records_found: int = 0  # records the file held, the unusable ones included


# Text formats: decoded first. One article per file, or a Found for multi-record formats.
_TEXT_READERS: dict[str, Callable[[str, list[str]], list[Article] | Found]] = {
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}
_ONE_ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})
# Byte formats: XML declares its own encoding; WARC is binary.
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_WARC_SUFFIX = ".warc"
_GZIP_SUFFIX = ".gz"
_PLAIN_SUFFIXES = frozenset({*_TEXT_READERS, *_FEED_SUFFIXES, _WARC_SUFFIX})
SUPPORTED_SUFFIXES: frozenset[str] = frozenset({*_PLAIN_SUFFIXES, *(s + _GZIP_SUFFIX for s in _PLAIN_SUFFIXES)})


def read_file(path: Path, data: bytes | None = None, *, sha256: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file into Articles, choosing the reader by suffix (case-insensitive); `.gz`
    is any format gzipped ("feed.rss.gz", "crawl.warc.gz").

    data: the file's bytes when the caller has already read them; else the file is read.
    sha256: their hash as the caller computed it; computed here when not given.
    max_bytes: the limit on decompressed content (PRESSWATCH_MAX_FILE_BYTES).
    Each Article gets source_path, file_sha256 and record_idx (its position in a multi-record
    file, counting unusable records, so it does not shift when a neighbour breaks).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    gzipped = suffix == _GZIP_SUFFIX
    if gzipped:
        suffix = Path(path.stem).suffix.lower()
        if suffix not in _PLAIN_SUFFIXES:
            inner = f"{suffix!r}" if suffix else "no suffix"
            raise ArticleError(f"unsupported file type inside gzip ({inner}; name it like story.json.gz)")
    elif suffix not in _PLAIN_SUFFIXES:
        raise ArticleError(f"unsupported file type {suffix!r}" if suffix else "unsupported file type (no suffix)")
    if data is None:
        data = _read_bytes(path)
    if not data:
        raise ArticleError("empty file")
    digest = sha256 or hashlib.sha256(data).hexdigest()
    if gzipped:
        data = gunzip_limited(data, max_bytes)
        if not data:
            raise ArticleError("empty file (inside gzip)")
    problems: list[str] = []
    found = _read(suffix, data, problems, max_bytes)
    if not isinstance(found, Found):
        found = Found(found, len(found))
    for article in found.articles:
        article.source_path = str(path)
        article.file_sha256 = digest
        if article.extraction_mode is None:  # text as written (plain text, Markdown)
            article.extraction_mode = "plain"
        if article.date_source is None:  # a wire header or front matter in the text
            article.date_source = "text" if article.published_at else "none"
    return ReadResult(found.articles, problems, found.records)


def _read(suffix: str, data: bytes, problems: list[str], max_bytes: int) -> list[Article] | Found:
    if suffix in _FEED_SUFFIXES:
        return read_feed(data, problems)
    if suffix == _WARC_SUFFIX:
        if data.startswith(b"\x1f\x8b"):  # a gzipped WARC named .warc: inflated under the limit too
            data = gunzip_limited(data, max_bytes)
        return read_warc(data, problems, max_bytes=max_bytes)
    text = decode_text(data, declared=html_charset(data) if suffix in (".html", ".htm") else None)
    if not text.strip():
        raise ArticleError("no article text found (whitespace only)")
    try:
        return _TEXT_READERS[suffix](text, problems)
    except ArticleError as e:
        if suffix in _ONE_ARTICLE_SUFFIXES:
            e.records_found = 1  # a one-article file that failed: its one record
        raise


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ArticleError("file vanished before it could be read") from None
    except PermissionError:
        raise ArticleError("permission denied") from None
    except IsADirectoryError:
        raise ArticleError("is a directory, not a file") from None
    except OSError as e:
        raise ArticleError(f"could not read file: {e.strerror or e}") from None
