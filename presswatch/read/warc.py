"""WARC files from crawls: each HTML response an article, with its URL and crawl date.

Every record is counted (records_found); the ones that are not HTML pages (images, PDFs,
requests, crawl metadata) are skipped with a note saying how many of each, never silently.
"""

from __future__ import annotations

import io
from collections import Counter

from presswatch.read.encoding import decode_text, html_charset
from presswatch.read.found import Found
from presswatch.read.webpage import read_html
from presswatch.records import Article, ArticleError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CONTENT_RECORDS = ("response", "resource")


def read_warc(data: bytes, problems: list[str], *, max_bytes: int) -> Found:
    from warcio.archiveiterator import ArchiveIterator  # imported here: only WARC files need it
    from warcio.exceptions import ArchiveLoadFailed

    if not data.lstrip()[:5] == b"WARC/":  # warcio would take some text for an old ARC file
        raise ArticleError("not a WARC file (it does not start with a WARC/1.x record header)")
    articles: list[Article] = []
    skipped: Counter[str] = Counter()
    failed: list[str] = []
    n = 0
    records = ArchiveIterator(io.BytesIO(data))
    try:
        for record in records:
            n += 1
            where = f"record {n}: "
            kind = _html_kind(record)
            uri = record.rec_headers.get_header("WARC-Target-URI")
            stream = record.content_stream() if kind is None else None
            page = stream.read(max_bytes + 1) if stream is not None else b""
            if missing := _missing_bytes(record):  # warcio hands a cut record over short, silently
                failed.append(f"{where}{uri or record.rec_type}: truncated record: the file ends "
                              f"{missing:,} bytes short of its Content-Length")
                continue
            if kind is not None:
                skipped[kind] += 1
                continue
            if len(page) > max_bytes:
                failed.append(f"{where}page larger than {max_bytes:,} bytes (PRESSWATCH_MAX_FILE_BYTES)")
                continue
            if cut := _partial_page(record, stream):  # part of a page would load as if whole
                failed.append(f"{where}{uri}: {cut}")
                continue
            crawled = record.rec_headers.get_header("WARC-Date")
            try:
                text = _decode(page, record)
                (article,) = read_html(text, problems, url=uri, crawled=crawled)
            except ArticleError as e:
                failed.append(f"{where}{uri}: {e}")
                continue
            article.record_idx = n - 1
            articles.append(article)
    except ArchiveLoadFailed as e:
        if n == 0:
            raise ArticleError(f"not a WARC file: {str(e).strip()[:160]}") from None
        failed.append(f"record {n + 1}: unreadable, the rest of the archive is lost: {str(e).strip()[:160]}")
    else:
        # A file cut inside a record's header block: warcio just stops, the partial record unseen.
        tail = data[getattr(records, "offset", 0):].strip(b" \t\r\n\0")
        if tail:
            n += 1
            failed.append(f"record {n}: truncated record: the file ends inside it ({len(tail):,} bytes "
                          "of an incomplete record header)")
    problems.extend(failed)
    if skipped:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
        problems.append(f"skipped {sum(skipped.values())} records that are not HTML pages: {kinds}")
    if not articles:
        why = failed[0] if failed else f"no HTML response among {n} records"
        raise ArticleError(f"no usable article in the WARC file: {why}", records_found=n)
    return Found(articles, n)


def _missing_bytes(record) -> int:
    """Bytes of the record's declared Content-Length the file does not hold (0: whole)."""
    while record.raw_stream.read(1 << 16):  # the rest of the record, unread: skipped or past the limit
        pass
    return max(getattr(record.raw_stream, "limit", 0), 0)


def _partial_page(record, stream) -> str | None:
    """Why a whole record holds only part of its page, or None: the crawler marked it cut
    (WARC-Truncated: a size or time limit, a dropped connection), or its compressed body
    (Content-Encoding) ends before the compressed stream does (warcio returns what inflated)."""
    if reason := record.rec_headers.get_header("WARC-Truncated"):
        return f"truncated by the crawler (WARC-Truncated: {reason.strip()[:40]}): only part of the page was recorded"
    inflating = getattr(stream, "decompressor", None)
    if inflating is not None and getattr(inflating, "eof", True) is False:
        encoding = record.http_headers.get_header("Content-Encoding") or "compressed"
        return f"truncated {encoding.strip()[:20]} body: the page's compressed data ends before its end"
    return None


def _html_kind(record) -> str | None:
    """None for an HTML page; else what the record is, for the note ("image/png", "request")."""
    if record.rec_type not in _CONTENT_RECORDS:
        return f"{record.rec_type} record"
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return f"HTTP {status}"
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    media = ctype.split(";")[0].strip().lower()
    return None if media in _HTML_TYPES else (media or "untyped")


def _decode(page: bytes, record) -> str:
    headers = record.http_headers or record.rec_headers
    ctype = headers.get_header("Content-Type") or ""
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in ctype.split(";") if "charset=" in p.lower()), None)
    if charset:
        try:
            return page.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a declared charset that is wrong: guessed like any file
    return decode_text(page, declared=html_charset(page))
