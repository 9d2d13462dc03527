"""Article-level sentiment toward each entity: which sentences count, and how they add up.

One function for the pipeline (score.entity_document_sentiment) and for the PerSenT
evaluation, so the figure in docs/sentiment.md is the figure of the production path:

- which sentences count: every sentence with a named mention of the entity (its spaCy
  mentions, canonicalized so "Smith" joins "John Smith"), and, for people, every sentence
  without a named mention whose third-person pronoun (he, she, his, her, him, himself,
  herself) has the entity as its nearest preceding PERSON mention: a cheap coreference.
  News refers to its main person by pronoun about as often as by name.
- how they add up: each (sentence, target) gets the target score P(pos) - P(neg) (or the
  lexicon window score); the article score is the mean over the entity's sentences (one
  item per sentence: a sentence naming X twice is one piece of evidence); the class comes
  from the "document" thresholds stored with the classifier (chosen on NewsMTSC train only).

The warehouse view entity_article_sentiment computes the same mean and class from the named
mentions in ``mentions`` (pronoun sentences are not stored): see docs/sentiment.md for the
size of that approximation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

from presswatch.sentiment.classifier import LABELS

# Third-person singular pronouns that refer back to a person.
PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|[Hh]imself|[Hh]erself)\b")


@dataclass
class TargetMention:
    """A named mention as the extraction found it: a span, its entity key, whether a person."""

    start: int
    end: int
    key: tuple[str, str]  # (canonical name, entity label)
    person: bool


@dataclass
class EntityItems:
    """The (sentence, start, end) items of one entity in one article, one per sentence."""

    key: tuple[str, str]
    items: list[tuple[str, int, int]] = field(default_factory=list)
    named: int = 0  # sentences with a named mention
    pronoun: int = 0  # sentences reached through a pronoun only
    mentions: int = 0  # named mentions


def entity_items(body: str, sentences: list[tuple[int, int]], mentions: list[TargetMention],
                 pronouns: bool = True) -> dict[tuple[str, str], EntityItems]:
    """For each entity: one scoring item per sentence that refers to it (see module doc).

    The item of a sentence with a named mention is its first named mention; of a pronoun
    sentence, the first pronoun that resolves to the entity.
    """
    ments = sorted(mentions, key=lambda m: (m.start, m.end))
    starts = [s for s, _ in sentences]
    out: dict[tuple[str, str], EntityItems] = {}
    named_in: dict[int, set] = {}
    for m in ments:
        i = bisect_right(starts, m.start) - 1
        if i < 0 or m.end > sentences[i][1]:
            continue
        ent = out.setdefault(m.key, EntityItems(m.key))
        ent.mentions += 1
        seen = named_in.setdefault(i, set())
        if m.key not in seen:
            seen.add(m.key)
            s, e = sentences[i]
            ent.items.append((body[s:e], m.start - s, m.end - s))
            ent.named += 1
    if pronouns:
        people = [m for m in ments if m.person]
        p_starts = [m.start for m in people]
        for i, (s, e) in enumerate(sentences):
            done = set(named_in.get(i, ()))
            for pm in PRONOUN.finditer(body, s, e):
                k = bisect_right(p_starts, pm.start()) - 1
                # the nearest PERSON mention that ends before the pronoun
                while k >= 0 and people[k].end > pm.start():
                    k -= 1
                if k < 0:
                    continue
                key = people[k].key
                if key in done:
                    continue
                done.add(key)
                ent = out.setdefault(key, EntityItems(key))
                ent.items.append((body[s:e], pm.start() - s, pm.end() - s))
                ent.pronoun += 1
    return out


def classify(score: float, thresholds: tuple[float, float]) -> str:
    lo, hi = thresholds
    return LABELS[0] if score < lo else LABELS[2] if score > hi else LABELS[1]


def aggregate(scores) -> float:
    """The article score of an entity: the mean of its per-sentence scores (0 when none)."""
    a = np.asarray(scores, dtype=float)
    return float(a.mean()) if a.size else 0.0
