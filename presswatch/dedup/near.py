"""Near-duplicate pairs: LSH candidates confirmed by exact Jaccard and containment.

Containment = |A & B| / min(|A|, |B|): how much of the shorter text is in the longer one, so
a copy cut to half of the original scores 1.0 where its Jaccard is 0.5. A pair is a copy
when containment >= min_containment AND Jaccard >= min_jaccard (the floor keeps a two-line
teaser from "copying" every long article that quotes it) AND both texts have at least
min_shingles shingles, AND their days are at most window_days apart, AND, when both give
at least min_figures figures, at least half of the shorter list of figures is in the other
(a templated report with new figures is a new report, not a copy).

NearDupIndex is the in-memory twin of warehouse/dedup.py (same bands, same checks), used by
`presswatch eval dedup` and the tests; a warehouse test checks the two agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from presswatch.dedup.minhash import SCHEME, band_keys, signature
from presswatch.dedup.shingles import numbers, shingle_hashes, word_shingles


@dataclass(frozen=True)
class Thresholds:
    min_containment: float = 0.8
    min_jaccard: float = 0.2
    min_shingles: int = 8
    window_days: int = 7
    min_figures: int = 3
    min_figure_overlap: float = 0.5


@dataclass(frozen=True)
class Doc:
    article_id: str
    day: date | None  # None: undated, compared with every undated or dated article
    shingles: frozenset[int]
    figures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pair:
    a: str  # a < b: a pair is unordered; which one copies which is decided by order (copy_of)
    b: str
    jaccard: float
    containment: float


def doc(article_id: str, day: date | None, body: str, body_words: list[str] | None = None) -> Doc:
    """body_words: words(body) when the caller has them already."""
    shingles = shingle_hashes(body) if body_words is None else word_shingles(body_words)
    return Doc(article_id, day, shingles, numbers(body))


def overlap(x: frozenset[int], y: frozenset[int]) -> tuple[float, float]:
    """(Jaccard, containment) of two shingle sets; (0, 0) when either is empty."""
    if not x or not y:
        return 0.0, 0.0
    both = len(x & y)
    return both / (len(x) + len(y) - both), both / min(len(x), len(y))


def in_window(d1: date | None, d2: date | None, days: int) -> bool:
    return d1 is None or d2 is None or abs((d1 - d2).days) <= days


def confirm(x: Doc, y: Doc, t: Thresholds) -> Pair | None:
    """The pair if it is a near-duplicate by the exact checks, else None."""
    if x.article_id == y.article_id or min(len(x.shingles), len(y.shingles)) < t.min_shingles:
        return None
    if not in_window(x.day, y.day, t.window_days):
        return None
    jac, con = overlap(x.shingles, y.shingles)
    if con < t.min_containment or jac < t.min_jaccard:
        return None
    fx, fy = x.figures, y.figures
    if min(len(fx), len(fy)) >= t.min_figures and len(fx & fy) < t.min_figure_overlap * min(len(fx), len(fy)):
        return None
    a, b = sorted((x.article_id, y.article_id))
    return Pair(a, b, round(jac, 4), round(con, 4))


class NearDupIndex:
    """LSH over every document added so far; add() returns the new confirmed pairs."""

    def __init__(self, thresholds: Thresholds = Thresholds()):
        self.t = thresholds
        self.docs: dict[str, Doc] = {}
        self.buckets: dict[int, list[str]] = defaultdict(list)

    def add(self, batch: Iterable[Doc]) -> list[Pair]:
        batch = [d for d in batch if d.article_id not in self.docs]
        keys = {d.article_id: band_keys(signature(d.shingles)) for d in batch
                if len(d.shingles) >= self.t.min_shingles}  # too short: exact duplicates only
        for d in batch:
            self.docs[d.article_id] = d
            for key in keys.get(d.article_id, ()):
                self.buckets[key].append(d.article_id)
        pairs: dict[tuple[str, str], Pair] = {}
        for d in batch:
            seen: set[str] = set()
            for key in keys.get(d.article_id, ()):
                for other in self.buckets[key]:
                    if other in seen or other == d.article_id:
                        continue
                    seen.add(other)
                    if (p := confirm(d, self.docs[other], self.t)) is not None:
                        pairs[(p.a, p.b)] = p
        return list(pairs.values())


def copy_of(pairs: Iterable[Pair], order: dict[str, tuple]) -> dict[str, str]:
    """Each article that copies an earlier one -> the earliest article it copies (by `order`:
    day, then arrival, then id; the same rule as the warehouse view article_copies)."""
    earliest: dict[str, str] = {}
    for p in pairs:
        first, second = sorted((p.a, p.b), key=lambda i: order[i])
        if second not in earliest or order[first] < order[earliest[second]]:
            earliest[second] = first
    return earliest


SCHEME_VERSION = SCHEME.version
