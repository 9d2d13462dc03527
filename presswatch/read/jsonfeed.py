"""JSON and JSON Lines: article records found by structure (json_records), mapped by the names
news APIs and feeds use (json_fields)."""

from __future__ import annotations

import json
import re

from presswatch.read.found import Found, gather
from presswatch.read.json_fields import NO_BODY, kind, record_to_article
from presswatch.read.json_records import find_records
from presswatch.records import ArticleError

__all__ = ["NO_BODY", "read_json", "read_jsonl"]


def read_json(text: str, problems: list[str]) -> Found:
    """One article object, a list of them, or any envelope holding them (json_records)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # one object per line: JSON Lines under a .json name
            return read_jsonl(text, problems)
        msg = e.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise ArticleError(f"invalid JSON: {msg} at line {e.lineno} column {e.colno}") from None
    except (ValueError, RecursionError) as e:  # a 5,000-digit number, nesting too deep
        raise ArticleError(f"invalid JSON: {e}") from None
    return _read_document(data, problems)


def _read_document(data: object, problems: list[str]) -> Found:
    if not isinstance(data, (dict, list)):
        raise ArticleError(f"JSON top level is {kind(data)}, not an article object or a list of them")
    if isinstance(data, list) and not data:
        raise ArticleError("JSON holds an empty list of articles")
    records, listed = find_records(data)
    if not listed:  # one object: its own error, not "no usable article in 1 record"
        where, record = records[0]
        try:
            return Found([record_to_article(record, problems=problems, where=where)], 1)
        except ArticleError as e:
            e.records_found = 1
            raise
    return gather(records, record_to_article, problems, "JSON records")


def read_jsonl(text: str, problems: list[str]) -> Found:
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
        result = gather(records(), record_to_article, found, "JSON Lines records")
    except ArticleError:
        if _is_one_document(text):
            return read_json(text, problems)  # one pretty-printed document under a .jsonl name
        # Pretty-printed objects back to back (`jq '.articles[]'`), or one list per line: every line
        # failed, and the whole file was quarantined as that many bad "lines".
        values = _concatenated(text)
        lines = sum(1 for line in text.split("\n") if line.strip())
        if values is None or (len(values) == lines and all(isinstance(v, dict) for v in values)):
            raise  # JSON Lines whose objects are bad articles: their line numbers say which
        return _read_document(values, problems)
    problems.extend(found)
    return result


_SPACE = re.compile(r"\s*")


def _concatenated(text: str) -> list | None:
    """The JSON values of a text holding several one after another, else None."""
    decoder, values, pos = json.JSONDecoder(), [], 0
    while (pos := _SPACE.match(text, pos).end()) < len(text):
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return None
        values.append(value)
    return values if len(values) > 1 else None


def _is_one_document(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True
