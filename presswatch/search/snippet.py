"""A result's snippet: the stretch of its body where the query's words gather."""

from __future__ import annotations

import re

from presswatch.search.tokens import strip_accents

WIDTH = 220  # characters: two lines of a terminal


def snippet(body: str, query_words: list[str], width: int = WIDTH) -> str:
    """About `width` characters of `body` around the densest cluster of the query's words (each
    matched at a word start, so "elect" finds "elections"), cut at spaces, "…" where cut. With
    no word found, the body's start."""
    text = " ".join(body.split())  # one line: the paragraphs' breaks are not the snippet's
    if not text:
        return ""
    folded = strip_accents(text.lower())
    if len(folded) != len(text):  # a character that folds to several: offsets would drift
        folded = text.lower()
    hits = sorted((m.start(), w) for w in query_words
                  for m in re.finditer(rf"(?<![a-z0-9]){re.escape(w)}", folded))
    if not hits:
        return _cut(text, 0, width)
    span = width * 2 // 3
    best: tuple[int, int] = (0, 0)  # (distinct words, -(extent)) of the best window so far
    centre = hits[0][0]
    for start, _ in hits:  # a window starting at each hit: most distinct words, then tightest, wins
        inside = [(pos, w) for pos, w in hits if start <= pos < start + span]
        key = (len({w for _, w in inside}), -(inside[-1][0] - start))
        if key > best:
            best, centre = key, (start + inside[-1][0]) // 2
    return _cut(text, max(0, centre - width // 2), width)


def _cut(text: str, start: int, width: int) -> str:
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")
