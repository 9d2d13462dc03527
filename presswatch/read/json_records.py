"""Where the article records sit in a JSON document, found by its structure.

Every object that looks like an article (json_fields.looks_like_article) is located by its
path pattern, list positions wildcarded: `articles[]`, `response.docs[]`, `hits.hits[]._source`,
`response.content`, `sections[].stories[]`. The records are then:
- the objects of the one pattern left after two rules: an object holding a list of records is
  an envelope, not an article (a JSON Feed's title and description are the feed's), and
  objects inside a record (related stories, authors) are parts of that record;
- with a pattern through a list, every element of that list (the bad ones become problems);
- the root itself when nothing inside it looks like an article.
Two unrelated patterns left (`articles[]` and `results[]`) make the file ambiguous: it is
quarantined with the patterns named, never collapsed into one article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from presswatch.read.json_fields import body_fields, looks_like_article
from presswatch.records import ArticleError

_MAX_DEPTH = 8  # API envelopes nest records 1-4 levels deep; deeper is content, not envelope
# An envelope whose own body is this long is also an article: which one is meant is unclear.
_ENVELOPE_BODY_MAX = 2000

Pattern = tuple[str, ...]  # keys, "[]" for "any position in this list"


def find_records(data: object) -> tuple[list[tuple[str, object]], bool]:
    """(where, record) pairs in document order, and whether they come from a list.

    Raises ArticleError when the records are ambiguous or the document holds none.
    """
    hits: dict[Pattern, int] = defaultdict(int)
    _walk(data, (), hits, 0)
    patterns = _choose(data, hits)
    if not patterns:
        if isinstance(data, list):
            return [(f"article {i + 1}: ", r) for i, r in enumerate(data)], True
        return [("", data)], False
    if len(patterns) > 1:
        named = ", ".join(f"{_show(p)} ({hits[p]})" for p in patterns)
        raise ArticleError(f"ambiguous JSON: article-like records in {len(patterns)} places ({named}); "
                           "split the file so each holds one list", records_found=sum(hits[p] for p in patterns))
    (pattern,) = patterns
    if "[]" not in pattern:
        return [("", _follow(data, pattern))], False
    return [(f"article {i + 1}: ", r) for i, r in enumerate(_expand(data, pattern))], True


def _walk(node: object, pattern: Pattern, hits: dict[Pattern, int], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        if looks_like_article(node):
            hits[pattern] += 1
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                _walk(value, (*pattern, str(key)), hits, depth + 1)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):
                _walk(item, (*pattern, "[]"), hits, depth + 1)


def _choose(data: object, hits: dict[Pattern, int]) -> list[Pattern]:
    """The patterns that are records: not envelopes of others, not parts of another record."""
    envelopes = {p for p in hits if "[]" not in p
                 and any(q != p and q[:len(p)] == p and "[]" in q[len(p):] for q in hits)}
    chosen = []
    for p in hits:
        if p in envelopes:
            _check_envelope(data, p, [q for q in hits if q != p and q[:len(p)] == p])
        elif not any(q != p and p[:len(q)] == q and q not in envelopes for q in hits):
            chosen.append(p)  # else a part of a record: its source, authors, related stories
    return chosen


def _check_envelope(data: object, pattern: Pattern, inner: list[Pattern]) -> None:
    """An envelope that also carries a full article body: feed metadata or an article?"""
    if "[]" in pattern:
        return
    own = _follow(data, pattern)
    longest = max((len(t) for t in body_fields(own).values()), default=0) if isinstance(own, dict) else 0
    if longest > _ENVELOPE_BODY_MAX:
        raise ArticleError(f"ambiguous JSON: {_show(pattern)} has an article body of {longest} characters "
                           f"and also holds article records in {_show(inner[0])}; split the file")


def _follow(node: object, pattern: Pattern) -> object:
    for key in pattern:
        node = node[key] if isinstance(node, dict) else node
    return node


def _expand(node: object, pattern: Pattern) -> Iterator[object]:
    """Every element reached by the pattern; an element missing the rest of the path is
    yielded as it is (it becomes a bad record, counted, not skipped)."""
    if not pattern:
        yield node
        return
    key, rest = pattern[0], pattern[1:]
    if key == "[]":
        if isinstance(node, list):
            for item in node:
                yield from _expand(item, rest)
        else:
            yield node
    elif isinstance(node, dict) and key in node:
        yield from _expand(node[key], rest)
    else:
        yield node


def _show(pattern: Pattern) -> str:
    return ".".join(pattern).replace(".[]", "[]") or "the top level"
