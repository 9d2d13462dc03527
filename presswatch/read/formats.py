"""Readers: a file in, Articles out. The public entry point; formats live beside it in presswatch.read.

    result = read_file(Path("drop/story.txt"))
    result.articles   # [Article(title=..., body=..., published_at=..., source=..., language=...)]
    result.problems   # non-fatal notes, e.g. "line 3: invalid JSON: Expecting value (char 0)"

A file that cannot give a single article raises ArticleError with a message meant for
ingest_log.error. Nothing else escapes for bad content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.records import Article, ArticleError
from presswatch.read.encoding import decode_text
from presswatch.read.jsonfeed import read_json, read_jsonl
from presswatch.read.markdown import read_markdown
from presswatch.read.plaintext import read_plain_text
from presswatch.read.webpage import read_html

__all__ = ["SUPPORTED_SUFFIXES", "ReadResult", "decode_text", "read_file"]


@dataclass
class ReadResult:
    articles: list[Article]
    problems: list[str] = field(default_factory=list)  # non-fatal, one line each


_READERS: dict[str, Callable[[str, list[str]], list[Article]]] = {
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
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)


def read_file(path: Path, data: bytes | None = None, *, sha256: str | None = None) -> ReadResult:
    """Read one file into Articles, choosing the reader by suffix (case-insensitive).

    data: the file's bytes when the caller has already read them; else the file is read.
    sha256: their hash as the caller computed it; computed here when not given.
    Each Article gets source_path, file_sha256 and record_idx (its position in a JSON Lines
    file or JSON list, counting unusable records, so it does not shift when a neighbour breaks).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise ArticleError(f"unsupported file type {suffix!r}" if suffix else "unsupported file type (no suffix)")
    if data is None:
        data = _read_bytes(path)
    if not data:
        raise ArticleError("empty file")
    text = decode_text(data)
    if not text.strip():
        raise ArticleError("no article text found (whitespace only)")
    problems: list[str] = []
    articles = reader(text, problems)
    digest = sha256 or hashlib.sha256(data).hexdigest()
    for article in articles:
        article.source_path = str(path)
        article.file_sha256 = digest
    return ReadResult(articles, problems)


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
