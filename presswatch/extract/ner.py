"""Post-NER corrections that run inside the spaCy pipeline, so every stage benefits.

Measured on CoNLL-2003 dev (presswatch.evaluation.conll): the small model glues score
columns and datelines onto names, tags numbers as people, misses later mentions of a name
it found once, and calls countries people."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from presswatch.extract.gazetteer import countries

COMPONENT = "presswatch_ner_fixes"
# Tokens that never sit inside a name: names are split there.
BREAK_TOKENS = frozenset({",", "-", "(", ")", "/", ";", ":", "--", "|", "=", "+"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                         "WORK_OF_ART", "LAW", "LANGUAGE"})


@Language.component(COMPONENT)
def fix_entities(doc: Doc) -> Doc:
    ents = [piece for ent in doc.ents for piece in _split(ent)]
    ents = _relabel_countries(ents)
    ents = _propagate(doc, ents)
    doc.ents = filter_spans(ents)
    return doc


def add_to(nlp: Language) -> None:
    if "ner" in nlp.pipe_names and COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, after="ner")


def _split(ent: Span) -> list[Span]:
    """Cut a name at separators and bare numbers ("Kent 244", "Oval , Surrey")."""
    if ent.label_ not in NAME_LABELS:
        return [ent]
    pieces, start = [], ent.start
    for tok in ent:
        if tok.text in BREAK_TOKENS or (tok.like_num and not tok.is_alpha) or tok.is_space:
            if tok.i > start:
                pieces.append((start, tok.i))
            start = tok.i + 1
    if ent.end > start:
        pieces.append((start, ent.end))
    doc = ent.doc
    trimmed = []
    for s, e in pieces:
        while s < e and doc[s].lower_ in ("the", "a", "an"):
            s += 1  # leading articles are not part of a name
        while e > s and doc[e - 1].text in ("'s", "’s", "'", "’"):
            e -= 1
        trimmed.append((s, e))
    return [
        Span(doc, s, e, label=ent.label_)
        for s, e in trimmed
        if e > s
        if any(c.isalpha() for c in doc[s:e].text)
        and (doc[s].text[:1].isupper() or doc[s].text[:1].isdigit() or ent.label_ == "NORP")
    ]


def _relabel_countries(ents: list[Span]) -> list[Span]:
    names = countries()
    return [
        Span(e.doc, e.start, e.end, label="GPE")
        if e.label_ in ("PERSON", "ORG", "NORP") and e.text in names
        else e
        for e in ents
    ]


def _propagate(doc: Doc, ents: list[Span]) -> list[Span]:
    """A name tagged somewhere in the document is that entity wherever else it occurs;
    capitalized country names are places even when the model missed them."""
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for e in ents:
        if e.label_ in NAME_LABELS and e.text[:1].isupper():
            votes[tuple(t.text for t in e)][e.label_] += 1
    # Perf: the country names are indexed once per process (_country_first), and only the
    # tokens whose text starts some name are visited (a numpy look-up over ORTH hashes).
    doc_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for words, c in votes.items():
        doc_first[words[0]].append((words, c.most_common(1)[0][0]))
    country_first, country_ids = _country_first()
    wanted = country_ids
    if doc_first:
        wanted = np.concatenate([country_ids, np.array([get_string_id(w) for w in doc_first], dtype=np.uint64)])
    taken = [False] * len(doc)
    for e in ents:
        for i in range(e.start, e.end):
            taken[i] = True
    added = []
    for i in np.flatnonzero(np.isin(doc.to_array(ORTH), wanted)).tolist():
        if taken[i]:
            continue
        tok = doc[i]
        if not tok.text[:1].isupper():
            continue
        # As one dict of votes (the document's, then the countries it did not vote on) would.
        cands = doc_first.get(tok.text, []) + [c for c in country_first.get(tok.text, ()) if c[0] not in votes]
        for words, label in sorted(cands, key=lambda x: -len(x[0])):
            end = i + len(words)
            if end <= len(doc) and tuple(t.text for t in doc[i:end]) == words \
                    and not any(taken[i:end]):
                added.append(Span(doc, i, end, label=label))
                for k in range(i, end):
                    taken[k] = True
                break
    return ents + added


@lru_cache(maxsize=1)
def _country_first() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], np.ndarray]:
    """Country names by first word (as GPE), and the ORTH hashes of those first words."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    seen: set[tuple[str, ...]] = set()
    for name in countries():
        words = tuple(name.split())
        if words and words not in seen:
            seen.add(words)
            by_first[words[0]].append((words, "GPE"))
    ids = np.array([get_string_id(w) for w in by_first], dtype=np.uint64)
    return dict(by_first), ids
