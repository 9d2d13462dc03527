"""A hand check of geocodings: the sentence a place mention was found in, so a reader can judge
the reading (`presswatch entities check-places`, docs/places.md)."""

from __future__ import annotations

import re

# Where a sentence ends: . ! ? followed by space, or a line break (paragraphs are lines).
_END = re.compile(r"[.!?][\"'’”]?\s+|\n")


def sentence_at(body: str, start: int, end: int, width: int = 300) -> str:
    """The sentence of `body` holding the span [start, end), at most `width` characters on
    each side of it, on one line."""
    lo = max(0, start - width)
    before = [m.end() for m in _END.finditer(body, lo, start)]
    first = before[-1] if before else lo
    after = _END.search(body, end, min(len(body), end + width))
    last = after.start() + 1 if after else min(len(body), end + width)
    return " ".join(body[first:last].split())
