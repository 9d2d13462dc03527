"""JSON and JSON Lines: article objects as news APIs, feeds and schema.org name their fields."""

from __future__ import annotations

import json
import re

from presswatch.records import Article, ArticleError
from presswatch.read.fields import (
    BODY_KEYS,
    DATE_KEYS,
    LANGUAGE_KEYS,
    SOURCE_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    make_article,
    split_paragraphs,
    strip_html,
)

NO_BODY = "JSON has no article body (looked for body/text/content/articleBody/description)"
_ENVELOPE_KEYS = ("articles", "items")  # NewsAPI; JSON Feed
# NewsAPI cuts `content` to 200 characters and appends "… [+1234 chars]".
_TRUNCATION = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")


def read_json(text: str, problems: list[str]) -> list[Article]:
    """One article object, a list of them, or an {"articles": [...]} envelope."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # one object per line: JSON Lines under a .json name
            return read_jsonl(text, problems)
        msg = e.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise ArticleError(f"invalid JSON: {msg} at line {e.lineno} column {e.colno}") from None
    except (ValueError, RecursionError) as e:  # a 5,000-digit number, nesting too deep
        raise ArticleError(f"invalid JSON: {e}") from None
    if isinstance(data, dict) and not _has_body(data):
        records = next((data[k] for k in _ENVELOPE_KEYS if isinstance(data.get(k), list)), None)
        if records is None:
            raise ArticleError(NO_BODY)
        data = records
    if isinstance(data, dict):
        return [record_to_article(data, problems=problems)]
    if not isinstance(data, list):
        raise ArticleError(f"JSON top level is {_kind(data)}, not an article object or a list of them")
    if not data:
        raise ArticleError("JSON holds an empty list of articles")
    return _read_records(((f"article {i + 1}: ", record) for i, record in enumerate(data)), problems, "JSON records")


def read_jsonl(text: str, problems: list[str]) -> list[Article]:
    """One article object per line; blank lines ignored; bad lines become problems."""

    def records():
        # split("\n"), not splitlines(): U+2028 may stand raw inside a JSON string.
        for lineno, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    yield f"line {lineno}: ", json.loads(line)
                except json.JSONDecodeError as e:
                    yield f"line {lineno}: ", ArticleError(f"invalid JSON: {e.msg} (char {e.pos})")
                except (ValueError, RecursionError) as e:
                    yield f"line {lineno}: ", ArticleError(f"invalid JSON: {e}")

    found: list[str] = []  # kept apart until the lines are known to be JSON Lines
    try:
        articles = _read_records(records(), found, "JSON Lines records")
    except ArticleError:
        if not _is_one_document(text):
            raise
        return read_json(text, problems)  # one pretty-printed document under a .jsonl name
    problems.extend(found)
    return articles


def _is_one_document(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _read_records(records, problems: list[str], what: str) -> list[Article]:
    """Articles from (where, record) pairs; record_idx is the record's position, bad ones counted."""
    articles, bad = [], []
    for idx, (where, record) in enumerate(records):
        try:
            if isinstance(record, ArticleError):
                raise record
            articles.append(record_to_article(record, record_idx=idx, problems=problems, where=where))
        except ArticleError as e:
            bad.append(f"{where}{e}")
            problems.append(f"{where}{e}")
    if not articles:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise ArticleError(f"no usable article in {len(bad)} {what}: {bad[0] if bad else 'none'}{more}")
    return articles


def record_to_article(record: object, *, record_idx: int = 0, problems: list[str], where: str = "") -> Article:
    if not isinstance(record, dict):
        raise ArticleError(f"expected a JSON object, got {_kind(record)}")
    fields = {str(k).lower(): v for k, v in record.items()}
    body = body_text(fields)
    if body is None:
        raise ArticleError(NO_BODY)
    title = _text(_first(fields, TITLE_KEYS))
    return make_article(
        split_paragraphs(body, lines_are_paragraphs=True),
        title=strip_html(title) if title else None,
        published=_first(fields, DATE_KEYS),
        source=_name(_first(fields, SOURCE_KEYS)),
        url=_name(_first(fields, URL_KEYS)),
        language=_first(fields, LANGUAGE_KEYS),
        record_idx=record_idx,
        problems=problems,
        where=where,
    )


def body_text(fields: dict) -> str | None:
    """The longest real body among the body fields: NewsAPI's `content` is cut short and its
    `description` is a summary, so neither is trusted by name alone."""
    candidates = []
    for key in BODY_KEYS:
        if text := _text(fields.get(key)):
            text = _TRUNCATION.sub("", strip_html(text))
            if text.strip():
                candidates.append(text)
    return max(candidates, key=lambda t: len(t.strip()), default=None)


def _has_body(fields: dict) -> bool:
    return body_text({str(k).lower(): v for k, v in fields.items()}) is not None


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


def _name(value: object) -> str | None:
    """A source or link: a string, or an object with a name/url (NewsAPI, schema.org)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("href")
    elif isinstance(value, list) and value:
        return _name(value[0])
    return value if isinstance(value, str) else None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), "null"
    )
