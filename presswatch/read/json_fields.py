"""One JSON record's fields mapped to an Article, by the names news APIs and feeds use.

NewsAPI, the Guardian content API (its `fields` object merged in), NYT Article Search and Most
Popular, Event Registry, GDELT DOC, Media Cloud, Bing and Google News results, JSON Feed 1.0/1.1,
schema.org and WordPress. Keys are compared lower-cased; the first present name wins, except
for the body: the longest full text wins, and a record with only a summary (an abstract, a
description, NewsAPI's cut `content`) loads flagged body_is_summary.
"""

from __future__ import annotations

import re

from presswatch.read.fields import make_article, split_paragraphs, strip_html
from presswatch.read.webpage import fragment_text, looks_like_html
from presswatch.records import Article, ArticleError

TITLE_KEYS = ("title", "headline", "webtitle")
TITLE_FALLBACK_KEYS = ("name",)  # Bing News names its headline `name`; too common to detect by
FULL_BODY_KEYS = ("body", "text", "content", "articlebody", "content_html", "content_text", "bodytext",
                  "full_text", "fulltext")
SUMMARY_KEYS = ("description", "summary", "abstract", "lead_paragraph", "snippet", "trailtext", "excerpt",
                "standfirst")
DATE_KEYS = ("published_at", "publishedat", "date_published", "datepublished", "webpublicationdate", "pub_date",
             "published_date", "publish_date", "pubdate", "published", "datetimepub", "datetime", "date",
             "seendate")
SOURCE_KEYS = ("source", "outlet", "publisher", "site_name", "sitename", "media_name", "publication", "provider",
               "domain")
URL_KEYS = ("url", "link", "weburl", "web_url", "external_url", "canonical_url")
AUTHOR_KEYS = ("authors", "author", "byline", "creator", "by")
LANGUAGE_KEYS = ("language", "lang", "inlanguage")
# Objects whose keys are the record's own: the Guardian's `fields`, JSON:API's `attributes`.
_MERGED = ("fields", "attributes")

NO_BODY = "JSON has no article body (no body, text, content, description, abstract or summary field)"
# NewsAPI cuts `content` to 200 characters and appends "… [+1234 chars]".
_TRUNCATION = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")
_BY = re.compile(r"^\s*by\s+", re.I)


def flatten(record: dict) -> dict:
    """Lower-cased keys, with the keys of a nested `fields`/`attributes` object as fallbacks."""
    out: dict = {}
    for key, value in record.items():
        out.setdefault(str(key).lower(), value)
    for inner in _MERGED:
        if isinstance(out.get(inner), dict):
            for key, value in out[inner].items():
                out.setdefault(str(key).lower(), value)
    return out


def body_fields(record: dict) -> dict[str, str]:
    """Every non-empty body or summary field of a record, as text (markup still in)."""
    fields = flatten(record)
    return {k: t for k in (*FULL_BODY_KEYS, *SUMMARY_KEYS) if (t := _text(fields.get(k))) and t.strip()}


def looks_like_article(obj: dict) -> bool:
    """Text with a title, date or link; or a title with a date (GDELT lists carry no text)."""
    fields = flatten(obj)
    title = _title(fields) is not None
    dated = _first(fields, DATE_KEYS) is not None
    linked = isinstance(_first(fields, URL_KEYS), str)
    has_text = bool(body_fields(obj))
    return (has_text and (title or dated or linked)) or (title and dated)


def record_to_article(record: object, *, record_idx: int = 0, problems: list[str], where: str = "") -> Article:
    if not isinstance(record, dict):
        raise ArticleError(f"expected a JSON object, got {kind(record)}")
    fields = flatten(record)
    body, is_summary, markup = _body(record)
    title = _title(fields) or _text(_first(fields, TITLE_FALLBACK_KEYS))
    if body is None:
        raise ArticleError(f"{NO_BODY}; title {clean_title(title)!r}" if title else NO_BODY)
    article = make_article(
        split_paragraphs(body, lines_are_paragraphs=True),
        title=clean_title(title),
        published=_first(fields, DATE_KEYS),
        source=name_of(_first(fields, SOURCE_KEYS)),
        url=name_of(_first(fields, URL_KEYS)),
        language=_first(fields, LANGUAGE_KEYS),
        authors=authors_of(_first(fields, AUTHOR_KEYS)),
        record_idx=record_idx,
        problems=problems,
        where=where,
    )
    # The feed poller writes a teaser's item with body_is_summary: true (README, Feeds).
    article.body_is_summary = is_summary or fields.get("body_is_summary") is True
    article.date_source = "json" if article.published_at else "none"
    article.extraction_mode = "fragment" if markup else "plain"
    return article


def _body(record: dict) -> tuple[str | None, bool, bool]:
    """(text, only a summary?, was HTML?): the longest full body, else the longest summary."""
    best: tuple[int, int, str, bool, bool] | None = None
    for key, raw in body_fields(record).items():
        truncated = bool(_TRUNCATION.search(raw))
        markup = looks_like_html(raw)
        text = fragment_text(raw) if markup else strip_html(_TRUNCATION.sub("", raw))
        if not text.strip():
            continue
        summary = key in SUMMARY_KEYS or truncated
        rank = (len(text.strip()), not summary)
        if best is None or rank > best[:2]:
            best = (*rank, text, summary, markup)
    return (best[2], best[3], best[4]) if best else (None, False, False)


def _title(fields: dict) -> str | None:
    value = _first(fields, TITLE_KEYS)
    if isinstance(value, dict):  # NYT: {"main": ..., "kicker": ..., "print_headline": ...}
        value = value.get("main") or value.get("print_headline") or value.get("rendered")
    return _text(value)


def clean_title(title: str | None) -> str | None:
    return strip_html(title) if title else None


def authors_of(value: object) -> str | None:
    """Bylines: "By Jo Bloggs", ["A", "B"], [{"name": ...}], NYT's {"original": "By A and B"}."""
    if isinstance(value, dict):
        value = value.get("original") or value.get("name") or " ".join(
            str(value[k]) for k in ("firstname", "lastname") if value.get(k))
    if isinstance(value, list):
        names = [authors_of(v) for v in value]
        value = "; ".join(n for n in names if n)
    if not isinstance(value, str) or not value.strip():
        return None
    return _BY.sub("", " ".join(value.split()))


def _first(fields: dict, keys: tuple[str, ...]) -> object:
    return next((fields[k] for k in keys if fields.get(k) not in (None, "", [], {})), None)


def _text(value: object) -> str | None:
    """A text field: a string, a list of paragraphs, or WordPress's {"rendered": "..."}."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    if isinstance(value, dict) and isinstance(value.get("rendered"), str):
        return value["rendered"]
    return None


def name_of(value: object) -> str | None:
    """A source or link: a string, or an object with a name/title/url (NewsAPI, Event Registry)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("url") or value.get("href")
    elif isinstance(value, list) and value:
        return name_of(value[0])
    return value if isinstance(value, str) else None


def kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), "null"
    )
