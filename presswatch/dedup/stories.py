"""Stories: articles about one event, grouped incrementally over a time window.

An article's features are `terms`: the content words of its title and lead (the first
LEAD_WORDS words of the body) and its entity ids. Two articles are about the same event when
they are near-duplicates (near.py) or their terms overlap enough, weighted by rarity in the
window (idf: "Reuters" or "said" weigh nothing, a company's name or "Lockerbie" a lot).

Ids never change: a new story's id is "s" + its first article's id; when a new article copies
articles of two stories, the later story is merged into the earlier one and the merge is
recorded (old ids keep resolving). docs/dedup.md has the measurements behind the choices.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from presswatch.dedup.near import in_window
from presswatch.dedup.shingles import numbers, words

LEAD_WORDS = 60
STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
once only or other our out over own said same say says she should so some such than that the their them
then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your new year years one two three week weeks today yesterday
monday tuesday wednesday thursday friday saturday sunday mln billion pct dlrs cts vs reuter reuters
""".split())


@dataclass(frozen=True)
class StoryThresholds:
    min_score: float = 0.35   # idf-weighted overlap (see score) to join a story
    window_days: int = 3      # a story takes articles dated within this of one of its articles
    max_df: float = 0.05      # terms in more than this share of the window are not used to find candidates
    min_shared: int = 2       # a candidate shares at least this many of those rarer terms
    max_candidates: int = 30  # the candidates sharing most of them are scored, no more
    min_figures: int = 2      # leads with this many figures each must share one to be linked by similarity


@dataclass(frozen=True)
class StoryDoc:
    article_id: str
    day: date | None
    terms: frozenset[int]


_SUFFIXES = ("ions", "ion", "ings", "ing", "ed", "es", "s", "e")


def stem(word: str) -> str:
    """A crude suffix strip, so "erupts", "erupted" and "eruption" meet: rewritten headlines
    say the same thing in other forms of the same words."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[:-len(suf)]
    return word


def term_hash(term: str, figure: bool = False) -> int:
    """64-bit signed hash; the lowest bit says whether the term is a figure (see figures())."""
    h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little", signed=True)
    return (h & ~1) | int(figure)


def figures(terms: frozenset[int]) -> frozenset[int]:
    return frozenset(t for t in terms if t & 1)


def story_doc(article_id: str, day: date | None, title: str | None, body: str,
              entity_ids: Iterable[str] = (), body_words: list[str] | None = None) -> StoryDoc:
    """body_words: words(body) when the caller has them already."""
    toks = words(title or "") + (words(body) if body_words is None else body_words)[:LEAD_WORDS]
    terms = {f"w:{stem(t)}" for t in toks if len(t) > 2 and t not in STOP and not t.isdigit()}
    terms.update(f"e:{e}" for e in entity_ids)
    lead = " ".join([title or ""] + body.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])
    figs = {term_hash(f"f:{n}", figure=True) for n in numbers(lead)}
    return StoryDoc(article_id, day, frozenset(term_hash(t) for t in terms) | figs)


def score(x: frozenset[int], y: frozenset[int], df: Mapping[int, int], n: int) -> float:
    """Weighted Jaccard of the two term sets, each term weighing its idf in the window (a term
    of y's alone weighs as a term seen nowhere else: only x's terms are counted)."""
    return Scorer(x, df, n)(y)


class Scorer:
    """score(x, ., df, n) with x's weights computed once: one article against its candidates."""

    def __init__(self, x: frozenset[int], df: Mapping[int, int], n: int):
        self.x = x
        self.top = math.log(n + 1)  # the idf of a term no other article in the window has
        self.w = {t: math.log((n + 1) / (df.get(t, 0) + 1)) for t in x}
        self.total = sum(self.w.values())

    def __call__(self, y: frozenset[int]) -> float:
        both = self.x & y
        shared = sum(self.w[t] for t in both)
        union = self.total + (len(y) - len(both)) * self.top
        return shared / union if union > 0 else 0.0


def story_id_for(article_id: str) -> str:
    return f"s{article_id}"


@dataclass
class Decision:
    story_id: str
    merges: list[tuple[str, str]] = field(default_factory=list)  # (merged story, into story)


def choose(article_id: str, near_stories: list[str], scored: list[tuple[float, str]],
           min_score: float, first_seen: Mapping[str, tuple]) -> Decision:
    """The story a new article joins: the earliest story it copies (merging the others into
    it), else the story of its best-scoring neighbour at min_score or above, else a new one."""
    stories = sorted(set(near_stories), key=lambda s: first_seen[s])
    if stories:
        return Decision(stories[0], [(s, stories[0]) for s in stories[1:]])
    passing = sorted((-sc, s) for sc, s in scored if sc >= min_score)  # best score, then smallest id
    return Decision(passing[0][1] if passing else story_id_for(article_id))


class Window(Protocol):
    """What assigning an article needs to know about the articles already grouped."""

    def size(self, day: date | None) -> int: ...            # articles within window_days of `day`
    def df(self, term: int, day: date | None) -> int: ...   # of those, how many have `term`
    def postings(self, term: int, day: date | None) -> list[str]: ...  # which (asked for rare terms only)
    def terms(self, article_id: str) -> frozenset[int]: ...
    def story(self, article_id: str) -> str: ...            # its story, merges followed
    def first_seen(self, story_id: str) -> tuple: ...
    def add(self, d: StoryDoc, story_id: str, order: tuple) -> None: ...
    def merge(self, old: str, into: str) -> None: ...


def assign(batch: Iterable[StoryDoc], near: Mapping[str, Iterable[str]], order: Mapping[str, tuple],
           window: Window, t: StoryThresholds) -> dict[str, str]:
    """Each new article (earliest first) -> the story it joins; the window learns each one
    before the next, so a batch groups within itself exactly as across batches."""
    out: dict[str, str] = {}
    figs: dict[str, frozenset[int]] = {}  # a candidate's figures, computed once per batch
    for d in sorted(batch, key=lambda d: order[d.article_id]):
        n = window.size(d.day)
        df = {term: window.df(term, d.day) for term in d.terms}
        cap = max(2, t.max_df * n)
        hits: list[str] = []  # counted by Counter in C: the postings are long when the window is
        for term in d.terms:
            if 0 < df[term] <= cap:
                hits += window.postings(term, d.day)
        shared = Counter(hits)
        cands = sorted((o for o, k in shared.items() if k >= t.min_shared), key=lambda o: (-shared[o], o))
        scorer, mine = Scorer(d.terms, df, n), figures(d.terms)
        scored = []
        for c in cands[:t.max_candidates]:
            if c not in figs:
                figs[c] = figures(window.terms(c))
            if _same_figures(mine, figs[c], t):
                scored.append((scorer(window.terms(c)), window.story(c)))
        near_stories = [window.story(o) for o in near.get(d.article_id, ()) if _known(window, o)]
        dec = choose(d.article_id, near_stories, scored, t.min_score, _FirstSeen(window))
        for old, into in dec.merges:
            window.merge(old, into)
        window.add(d, dec.story_id, order[d.article_id])
        out[d.article_id] = dec.story_id
    return out


def _same_figures(x: frozenset[int], y: frozenset[int], t: StoryThresholds) -> bool:
    """False when both leads give figures and share none: the next of a series of templated
    reports ("money market given 240 mln stg help"), or another result of the same company."""
    return min(len(x), len(y)) < t.min_figures or bool(x & y)


def _known(window: Window, article_id: str) -> bool:
    try:
        window.story(article_id)
    except KeyError:
        return False
    return True


class _FirstSeen(Mapping):
    def __init__(self, window: Window):
        self.w = window

    def __getitem__(self, story: str) -> tuple:
        return self.w.first_seen(story)

    def __iter__(self):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class StoryIndex:
    """The in-memory Window, for `presswatch eval dedup` and the tests (warehouse/stories.py
    is the persisted one)."""

    def __init__(self, t: StoryThresholds = StoryThresholds()):
        self.t = t
        self.docs: dict[str, StoryDoc] = {}
        self.story_of: dict[str, str] = {}
        self.merged_into: dict[str, str] = {}
        self._first: dict[str, tuple] = {}
        self._postings: dict[int, dict[date | None, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._days: dict[date | None, int] = defaultdict(int)

    def size(self, day: date | None) -> int:
        return sum(c for d, c in self._days.items() if in_window(d, day, self.t.window_days))

    def df(self, term: int, day: date | None) -> int:
        by_day = self._postings.get(term, {})
        return sum(len(ids) for d, ids in by_day.items() if in_window(d, day, self.t.window_days))

    def postings(self, term: int, day: date | None) -> list[str]:
        by_day = self._postings.get(term, {})
        return [o for d, ids in by_day.items() if in_window(d, day, self.t.window_days) for o in ids]

    def terms(self, article_id: str) -> frozenset[int]:
        return self.docs[article_id].terms

    def story(self, article_id: str) -> str:
        s = self.story_of[article_id]
        while s in self.merged_into:
            s = self.merged_into[s]
        return s

    def first_seen(self, story_id: str) -> tuple:
        return self._first[story_id]

    def add(self, d: StoryDoc, story_id: str, order: tuple) -> None:
        self.docs[d.article_id] = d
        self.story_of[d.article_id] = story_id
        self._first.setdefault(story_id, order)
        self._days[d.day] += 1
        for term in d.terms:
            self._postings[term][d.day].append(d.article_id)

    def merge(self, old: str, into: str) -> None:
        self.merged_into[old] = into

    def add_batch(self, batch: Iterable[StoryDoc], near: Mapping[str, Iterable[str]],
                  order: Mapping[str, tuple]) -> dict[str, str]:
        return assign([d for d in batch if d.article_id not in self.docs], near, order, self, self.t)

    def clusters(self) -> dict[str, str]:
        """article -> its story's current id (merges followed)."""
        return {a: self.story(a) for a in self.story_of}
