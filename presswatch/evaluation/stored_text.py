"""Gold offsets for what the warehouse stores: the end-to-end evaluations (AIDA entities,
NewsMTSC targets) read spans of stored bodies and score them against the gold document's."""

from __future__ import annotations

import re
from bisect import bisect_left


def stored_offsets(text: str, stored: str, spans: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """Spans of a stored article body mapped back to the gold document's offsets. The reader
    rejoins lines, collapses whitespace and drops repeated paragraphs, so each stored paragraph
    is found, on its non-space characters, in the document after the one before it; a span
    whose paragraph is not in the document is None."""
    tpos = [k for k, ch in enumerate(text) if not ch.isspace()]
    squeezed_text = "".join(text[k] for k in tpos)
    spos: list[int] = []  # non-space characters of the stored text ...
    where: list[int | None] = []  # ... and their offset in the document
    at = 0
    for para in re.finditer(r"[^\n]+", stored):
        chars = [para.start() + k for k, ch in enumerate(para.group()) if not ch.isspace()]
        if not chars:
            continue
        squeezed = "".join(stored[k] for k in chars)
        found = squeezed_text.find(squeezed, at)
        found = squeezed_text.find(squeezed) if found < 0 else found
        spos += chars
        where += [tpos[found + j] for j in range(len(chars))] if found >= 0 else [None] * len(chars)
        at = found + len(chars) if found >= 0 else at
    out: list[tuple[int, int] | None] = []
    for start, end in spans:
        first, last = bisect_left(spos, start), bisect_left(spos, end) - 1
        ok = first <= last < len(spos) and where[first] is not None and where[last] is not None
        out.append((where[first], where[last] + 1) if ok else None)
    return out
