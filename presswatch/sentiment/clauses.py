"""Tokens of a sentence, a target's tokens, and the clause around them.

"A praised B, whom critics called corrupt": what is said about a target sits mostly in its
clause, bounded by punctuation and the conjunctions that switch who is talked about. The
classifier's features and the lexicon method's target window both walk the clause here.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
# Clause boundaries: punctuation and the conjunctions that switch who is talked about.
BOUNDARIES = frozenset(",;:()[]—–\"“”‘’") | frozenset(
    "but while although though whereas because after before when who whom which since".split()
)
# The lexicon window keeps at least this many tokens each side of the target, even across a
# boundary: very short clauses ("X, 45,") carry no sentiment of their own.
MIN_SIDE = 8


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(lowercased token, start, end) with curly apostrophes straightened."""
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def target_span(toks: list[tuple[str, int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Token range [a, b) of the target text[start:end]: from its first to its last overlapping
    token, else the token starting nearest to it; None for a sentence without tokens."""
    tgt = [i for i, (_, s, e) in enumerate(toks) if s < end and e > start]
    if tgt:
        return tgt[0], tgt[-1] + 1
    if not toks:
        return None
    i = min(range(len(toks)), key=lambda i: abs(toks[i][1] - start))
    return i, i + 1


def clause_span(words: list[str], a: int, b: int, min_side: int = 0) -> tuple[int, int]:
    """Token range [ca, cb) of the clause around the target's tokens [a, b): widened each side
    up to the nearest boundary word (excluded), but by at least ``min_side`` tokens."""
    ca = a
    while ca > 0 and (a - ca < min_side or words[ca - 1] not in BOUNDARIES):
        ca -= 1
    cb = b
    while cb < len(words) and (cb - b < min_side or words[cb] not in BOUNDARIES):
        cb += 1
    return ca, cb


def target_window(sentence: str, start: int, end: int) -> str:
    """The text the lexicon method scores for the target sentence[start:end]: its clause,
    at least MIN_SIDE tokens each side (the whole sentence when it has no tokens)."""
    toks = tokenize(sentence)
    span = target_span(toks, start, end)
    if span is None:
        return sentence
    ca, cb = clause_span([t[0] for t in toks], *span, min_side=MIN_SIDE)
    return sentence[toks[ca][1] : toks[cb - 1][2]]
