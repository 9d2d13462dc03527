"""Post-NER corrections that run inside the spaCy pipeline, so every stage benefits.

Measured on CoNLL-2003 dev (presswatch.evaluation.conll): the small model glues score
columns and datelines onto names, tags numbers as people, misses later mentions of a name
it found once, and calls countries people."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import re

import numpy as np
from spacy.attrs import IDX, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from wordfreq import zipf_frequency

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
    text = doc.text  # spaCy joins it token by token at each access: once per document here
    ents = _with_table_names(doc, ents, text)
    ents = _rare_acronyms(doc, ents, text)
    ents = _teams(ents, text)
    doc.ents = filter_spans(ents)
    return doc


# An acronym the small model does not know (`PSV`, `KDP`, `FDP`: measured on aida_train's unfound
# mentions): three to five capitals, written at least twice in the article, and rare as a word
# (wordfreq below this: `VAT` 3.5, `GCSE` 3.2, `GMT` 3.7 stay common terms, not organisations).
_CAPS_WORD = re.compile(r"(?<![\w.&'’-])[A-Z]{3,5}(?![\w.&'’-])")
RARE_ACRONYM_ZIPF = 3.0


def _rare_acronyms(doc: Doc, ents: list[Span], text: str) -> list[Span]:
    """ents plus untagged rare acronyms written twice or more, as ORG (text: doc.text)."""
    hits = list(_CAPS_WORD.finditer(text))
    if len(hits) < 2:
        return ents
    counts = Counter(m.group() for m in hits)
    wanted = {w for w, n in counts.items() if n >= 2 and zipf_frequency(w.lower(), "en") < RARE_ACRONYM_ZIPF}
    if not wanted:
        return ents
    taken = _covered(doc, ents)
    added = []
    for m in hits:
        if m.group() not in wanted:
            continue
        span = doc.char_span(m.start(), m.end())
        if span is not None and not taken[span.start:span.end].any():
            added.append(Span(doc, span.start, span.end, label="ORG"))
            taken[span.start:span.end] = True
    return ents + added


def add_to(nlp: Language) -> None:
    if "ner" in nlp.pipe_names and COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, after="ner")


def _split(ent: Span) -> list[Span]:
    """Cut a name at separators and bare numbers ("Kent 244", "Oval , Surrey")."""
    if ent.label_ not in NAME_LABELS:
        return [ent]
    pieces, start = [], ent.start
    doc = ent.doc
    for tok in ent:
        if tok.text in BREAK_TOKENS or (tok.like_num and not tok.is_alpha) or tok.is_space:
            if tok.i > start:
                pieces.append((start, tok.i))
            start = tok.i + 1
    if ent.end > start:
        pieces.append((start, ent.end))
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
        and not _is_prefix(doc, s, e)
    ]


def _is_prefix(doc: Doc, s: int, e: int) -> bool:
    """A lower-case piece right before a hyphen is a word prefix ("anti" of "anti-Israel")."""
    return doc[s].text[:1].islower() and e < len(doc) and doc[e].text == "-"


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


# A place that plays is its team: "Romania beat Lithuania 2-1", "Seattle 5 Baltimore 3". AIDA
# links these to the club or national team, never to the place (measured on aida_train).
_RESULT_VERBS = frozenset("""beat beats drew draw defeated defeats edged routed thrashed crushed trounced
    downed blanked whipped swept outscored overcame edges tied""".split())
_RESULT = re.compile(r"(?<![\d-])\d{1,3}-\d{1,3}(?![\d-])")
_POINTS = re.compile(r"\d{1,3}")


def _teams(ents: list[Span], text: str) -> list[Span]:
    """A GPE that is the subject or object of a result verb in a sentence with a score, or that
    a points figure follows in a line of results, is the team (ORG). In a sports story, so is a
    country written as a side (_side), and every other mention of a country that played there
    unless a place's word precedes it ("tour of England", "( Russia )", a dateline)."""
    teams = [e.label_ == "GPE" and _plays(e) for e in ents]
    # Countries only: a city's club has its own name in prose (`Orioles`), a country's side has none.
    names = countries()
    candidates = [i for i, e in enumerate(ents)
                  if e.label_ == "GPE" and not teams[i] and (e.text in names or e.text.title() in names)]
    if candidates and _sports_story(text):
        for i in candidates:
            teams[i] = _side(ents[i])
        played = {ents[i].text.lower() for i, t in enumerate(teams) if t}
        for i in candidates:
            if not teams[i] and ents[i].text.lower() in played:
                teams[i] = not _at_place(ents[i])
    return [Span(e.doc, e.start, e.end, label="ORG") if t else e for e, t in zip(ents, teams)]


# Words of sports copy; a story with two of them is a sports story (checked on aida_train).
_SPORTS = re.compile(r"\b(?:innings|wickets?|overs|goals?|scorers?|match(?:es)?|tournament|cup|league|championship|"
                     r"qualifier|qualifying|friendly|squad|striker|batsman|bowler|one-day|semi-finals?|"
                     r"quarter-finals?|rugby|cricket|soccer|football|hockey|halftime|half-time|penalt(?:y|ies)|"
                     r"olympics?|athletics|tennis|golf|baseball|basketball|coach)\b", re.IGNORECASE)
# A side's words: what it does in a match and its people ("England were all out", "Pakistan
# first innings", "England captain"), and what precedes a side ("against Pakistan", "v India").
_SIDE_AFTER = frozenset("""beat beats won win wins drew draw draws lead leads led trail trailed trailing lost lose
    loses scored batted bowled declared were first second captain skipper coach manager striker midfielder
    defender goalkeeper batsman bowler all-rounder opener squad innings total v vs vs. one-day runs team side
    selectors""".split())
_SIDE_BEFORE = frozenset("against v vs vs. beat face faces facing play plays meet meets between".split())
_SIDE_SCORE = re.compile(r"\d{1,3}(?:-\d{1,2})?")
# Words before a place, not a side ("tour of England", "in Pakistan", "Gennadi Markov ( Russia )").
_PLACE_BEFORE = frozenset("in of from to at ( , tour visit visited toured across near into".split())


def _sports_story(text: str) -> bool:
    """Two words of sports copy, or one and a match score ("318-2", "2-1")."""
    words: set[str] = set()
    for m in _SPORTS.finditer(text):  # stops at the second word: most stories are not sport
        words.add(m.group().lower())
        if len(words) == 2:
            return True
    return len(words) == 1 and _RESULT.search(text) is not None


def _side(e: Span) -> bool:
    """A country written as a side in a sports story (not a nationality in brackets)."""
    doc = e.doc
    prv = doc[e.start - 1] if e.start > 0 else None
    nxt = doc[e.end] if e.end < len(doc) else None
    if prv is not None and prv.lower_ in _SIDE_BEFORE:
        return True
    if nxt is None or (prv is not None and prv.lower_ in _PLACE_BEFORE):
        return False  # "Magdalena Maleeva of Bulgaria 6-4", "Gennadi Markov ( Russia ) 16.66"
    if nxt.text in ("'s", "’s") and e.end + 1 < len(doc):
        nxt = doc[e.end + 1]  # "England 's 326", "England 's captain"
    return nxt.lower_ in _SIDE_AFTER or _SIDE_SCORE.fullmatch(nxt.text) is not None


def _at_place(e: Span) -> bool:
    """A place's word precedes the mention, or a date follows it (a dateline)."""
    doc = e.doc
    prv = doc[e.start - 1] if e.start > 0 else None
    nxt = doc[e.end] if e.end < len(doc) else None
    return (prv is not None and prv.lower_ in _PLACE_BEFORE) or (
        nxt is not None and _DATELINE.fullmatch(nxt.text) is not None)


def _plays(e: Span) -> bool:
    doc = e.doc
    nxt = doc[e.end] if e.end < len(doc) else None
    if nxt is None:
        return False
    if _POINTS.fullmatch(nxt.text):  # "Seattle 5 Baltimore 3", "Baltimore 70 62 .530"
        after = doc[e.end + 1] if e.end + 1 < len(doc) else None
        return after is None or after.is_space or after.text[:1].isupper() or _SCORE.fullmatch(after.text) is not None
    prv = doc[e.start - 1] if e.start > 0 else None
    if nxt.lower_ in _RESULT_VERBS or (prv is not None and prv.lower_ in _RESULT_VERBS):
        return _RESULT.search(e.sent.text) is not None
    return False


# Results and standings lines ("Bolton 3 2 1 0 5 2 7", "Reading 2 Stoke 2", "Walsall v Wrexham",
# "COLOMBO 1996-08-30"): the small model tags few of their names, and a name there is a team,
# a player or (before a date) a dateline's place. Measured on aida_train (found rate).
_SCORE = re.compile(r"\d+(?:[-/.:]\d+)*(?:th|st|nd|rd)?")
_DATELINE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VERSUS_TEXT = re.compile(r"\bvs?\b")
_DIGITS = re.compile(r"\d+")
_ALNUM_CHUNK = re.compile(r"\S*\w\S*")
_NEWLINE = re.compile("\n")
_MONTHS_DAYS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
    august september october november december monday tuesday wednesday thursday friday saturday
    sunday""".split())
_JOINERS = frozenset({"de", "van", "der", "von", "la", "le", "del", "di", "da", "&"})
_VERSUS = frozenset({"v", "vs", "vs."})


# Labels the model puts on a results line's or a dateline's names that are never right there:
# "Aberdeen 3 1 2 0 8 4 5" as WORK_OF_ART, "KATHMANDU 1996-08-23" and "LEEDS , England 1996-08-26"
# as one DATE. The line reader may take those tokens (measured on aida_train: 70 gold mentions).
_YIELDING = frozenset({"WORK_OF_ART", "DATE", "CARDINAL"})


def _with_table_names(doc: Doc, ents: list[Span], text: str) -> list[Span]:
    """ents plus the names of results lines and datelines; an entity of a yielding label that a
    found name overlaps gives way (a DATE keeps its part after the name: the date itself)."""
    added = _table_names(doc, ents, text)
    if not added:
        return ents
    claimed = _covered(doc, added)
    kept = []
    for e in ents:
        if e.label_ in _YIELDING and claimed[e.start:e.end].any():
            start = e.start
            while start < e.end and claimed[start]:
                start += 1
            if e.label_ == "DATE" and start < e.end and not claimed[start:e.end].any():
                kept.append(Span(doc, start, e.end, label="DATE"))
            continue
        kept.append(e)
    return kept + added


def _covered(doc: Doc, spans: list[Span]) -> np.ndarray:
    """One flag per token (and one past the end): whether a span covers it."""
    flags = np.zeros(len(doc) + 1, dtype=bool)
    for s in spans:
        flags[s.start:s.end] = True
    return flags


def _table_names(doc: Doc, ents: list[Span], text: str) -> list[Span]:
    taken = [False] * len(doc)
    for e in ents:
        if e.label_ in _YIELDING:
            continue  # a name the model gave a wrong label there is the line reader's to take
        for i in range(e.start, e.end):
            taken[i] = True
    added: list[Span] = []
    for start, end, line in _lines(doc, text):
        dateline = _DATELINE.search(line.rstrip()[-10:]) is not None
        # Most lines are prose: exactly the lines the test below would skip, found on the text
        # alone (each score token holds a digit run; each chunk with a letter, a word token).
        if not dateline and not _VERSUS_TEXT.search(line) and \
                3 * len(_DIGITS.findall(line)) < len(_ALNUM_CHUNK.findall(line)):
            continue
        words = [t for t in doc[start:end] if not t.is_punct and not t.is_space]
        if len(words) < 2:
            continue
        numbers = sum(1 for t in words if _SCORE.fullmatch(t.text))
        versus = any(t.text in _VERSUS for t in words)
        if not (dateline or versus or numbers * 3 >= len(words)):
            continue
        for s, e in _name_runs(doc, start, end):
            if any(taken[s:e]):
                continue
            nxt = doc[e].text if e < end else ""
            scored = _SCORE.fullmatch(nxt) is not None
            if e - s == 1 and not doc[s].text.isupper() and zipf_frequency(doc[s].lower_, "en") >= 4.5:
                if not scored:
                    continue  # "Postponed :", "Bowling :": a common word needs a score after it
            if dateline and (s == start or _dateline_place(doc, start, s)):
                added.append(Span(doc, s, e, label="GPE"))
            elif scored or nxt in ("(", ",") or (versus and (nxt in _VERSUS or e == end
                                                              or doc[e].is_space)):
                added.append(Span(doc, s, e, label="ORG"))
            elif versus and s > start and doc[s - 1].text in _VERSUS:
                added.append(Span(doc, s, e, label="ORG"))
    return added


def _dateline_place(doc: Doc, start: int, s: int) -> bool:
    """In a dateline, a name after the town and a comma is its region or country ("LEEDS ,
    England 1996-08-26", "AJACCIO , Corsica"): only name words and commas before it."""
    return doc[s - 1].text == "," and all(_name_word(t) or t.text == "," for t in doc[start:s])


def _lines(doc: Doc, text: str):
    """Token ranges of the text's lines and their text (a newline inside whitespace ends a
    line): found from the newlines' offsets, without a Python object per token. text: doc.text."""
    n = len(doc)
    if not n:
        return
    starts = doc.to_array([IDX]).astype(np.int64).ravel()
    newlines = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.int64)
    # The token a newline falls in (its text or trailing whitespace) ends a line.
    ends = np.unique(np.searchsorted(starts, newlines, side="right") - 1) if newlines.size else []
    start = 0
    for last in ends:
        last = int(last)
        if last < start:
            continue
        yield start, last + 1, text[starts[start]: starts[last + 1] if last + 1 < n else len(text)]
        start = last + 1
    if start < n:
        yield start, n, text[starts[start]:]


def _name_runs(doc: Doc, start: int, end: int):
    """Runs of capitalized words (with "de", "van"... inside) that are not months or days."""
    i = start
    while i < end:
        if not _name_word(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < end and (_name_word(doc[j]) or (doc[j].lower_ in _JOINERS and j + 1 < end
                                                  and _name_word(doc[j + 1]))):
            j += 1
        yield i, j
        i = j


def _name_word(tok) -> bool:
    t = tok.text
    return (t[:1].isupper() and t.replace(".", "").replace("'", "").replace("-", "").isalpha()
            and tok.lower_.rstrip(".") not in _MONTHS_DAYS and t not in _VERSUS)
