"""The evidence of an article about each of its entities, for the stance model (stance.py):
which sentences refer to it (document.entity_items: named + pronoun), the headline, the quotes
it says and the quotes about it. One function for the pipeline and the PerSenT training, so the
cross-validated figure is the figure of the production path.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

import numpy as np

from presswatch.records import Article, Extraction, Mention
from presswatch.sentiment.document import TargetMention, entity_items
from presswatch.sentiment.stance import Evidence, title_span

Key = tuple[str, str]
Items = list[tuple[str, int, int]]


def entity_key(m: Mention) -> Key:
    """The (canonical name, entity label) an entity is stored under (presswatch.load)."""
    return (m.canonical or m.surface, m.entity_label or m.label)


def collect(article: Article, ex: Extraction, probs: Callable[[Items], np.ndarray],
            compounds: Callable[[list[str]], list[float]], tone: float,
            key_of: Callable[[Mention], Key] = entity_key,
            is_person: Callable[[Mention], bool] | None = None) -> dict[Key, Evidence]:
    """Evidence per entity with a named mention. probs: (n, 3) target probabilities of items;
    compounds: VADER compound of texts; key_of merges mentions into entities (the PerSenT
    training maps every mention of its target to one key)."""
    body = article.body
    spans = [(s.start_char, s.end_char) for s in ex.sentences]
    starts = [s for s, _ in spans]
    is_person = is_person or (lambda m: (m.entity_label or m.label) == "PERSON")
    keys = [key_of(m) for m in ex.mentions]
    ments = [TargetMention(m.start_char, m.end_char, k, is_person(m)) for m, k in zip(ex.mentions, keys)]
    ents = {k: e for k, e in entity_items(body, spans, ments).items() if e.mentions}
    if not ents:
        return {}
    surfaces: dict[Key, set[str]] = {}
    first: dict[Key, int] = {}
    named_sents: dict[Key, set[int]] = {}
    for m, k in zip(ex.mentions, keys):
        surfaces.setdefault(k, set()).update({m.surface, m.canonical or m.surface})
        if is_person(m):  # headlines name people by surname: "KOELLMANN WALKS AWAY"
            surfaces[k].add((m.canonical or m.surface).split()[-1])
        first[k] = min(first.get(k, m.start_char), m.start_char)
        i = bisect_right(starts, m.start_char) - 1
        if i >= 0:
            named_sents.setdefault(k, set()).add(i)
    titles = {k: title_span(article.title, surfaces[k]) for k in ents}
    flat = [it for e in ents.values() for it in e.items]
    flat += [(article.title, *sp) for sp in titles.values() if sp is not None]
    p = probs(flat) if flat else np.zeros((0, 3))
    sent_texts = [body[s:e] for s, e in spans]
    vader = compounds(sent_texts) if sent_texts else []
    name_key = {(m.canonical or m.surface): k for m, k in zip(ex.mentions, keys)}
    quote_vader = compounds([q.text for q in ex.quotes]) if ex.quotes else []
    out: dict[Key, Evidence] = {}
    k0 = 0
    for k, e in ents.items():
        n = len(e.items)
        out[k] = Evidence(items=e, probs=p[k0 : k0 + n], first_offset=first[k] / max(len(body), 1),
                          title_probs=None, doc_tone=tone,
                          sentence_vader=[vader[i] for i in sorted(named_sents.get(k, ()))])
        k0 += n
    for k, sp in titles.items():
        if sp is not None:
            out[k].title_probs = p[k0]
            k0 += 1
    for q, v in zip(ex.quotes, quote_vader):
        speaker = name_key.get(q.speaker) if q.speaker else None
        if speaker in out:
            out[speaker].said_by.append(v)
        about = {k for m, k in zip(ex.mentions, keys) if q.start_char <= m.start_char and m.end_char <= q.end_char}
        for k in about - {speaker}:
            if k in out:
                out[k].said_about.append(v)
    return out
