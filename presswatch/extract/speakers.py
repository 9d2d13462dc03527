"""Who said it: the speaker of a speech verb, resolved to the article's canonical entity."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from presswatch.records import Mention
from presswatch.extract.entities import entity_at
from presswatch.extract.lexicon import PHRASAL_SPEECH, PRONOUNS_PERSON, SPEECH_VERBS

SUBJECT_DEPS = ("nsubj", "nsubjpass")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
QUOTING = frozenset({"quote", "quotes", "quoted", "quoting"})
NOT_SPEAKERS = frozenset({"DATE", "TIME", "ORDINAL", "QUANTITY", "MONEY"})


@dataclass
class Speaker:
    name: str
    start: int
    end: int
    label: str | None
    verb: str | None


def is_speech_verb(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    particle = PHRASAL_SPEECH.get(tok.lower_)
    if particle is not None:
        return tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == particle
    return tok.lower_ in SPEECH_VERBS


def speaker_of(verb: Token, body, mentions, anchor: int, quoted=None) -> Speaker | None:
    """quoted: a token mask; a subject inside quoted text is not who speaks (the parse ran
    across a closing mark)."""
    subj = subject(verb)
    if subj is not None and (subj.ent_type_ in NOT_SPEAKERS or _across_break(body, subj, verb)):
        subj = _adjacent_subject(verb)
    if subj is None or (quoted is not None and quoted[subj.i]):
        return None
    return speaker_span(subj, body, mentions, anchor, verb.lower_)


def _across_break(body: str, subj: Token, verb: Token) -> bool:
    """A paragraph break between subject and verb: the parse ran a timestamp line
    ("12:15 p.m.") into the next paragraph's sentence."""
    lo, hi = sorted((subj.idx, verb.idx))
    return "\n" in body[lo:hi]


def _adjacent_subject(verb: Token) -> Token | None:
    """The noun right before the verb in its own line ("President Barack Obama says"),
    when the parse gave it a subject it cannot have (a time, the previous paragraph)."""
    doc = verb.doc
    j = verb.i - 1
    while j >= 0 and doc[j].pos_ in ("ADV", "AUX", "PART") and "\n" not in doc[j].text:
        j -= 1
    if j < 0 or "\n" in doc[j].text or doc[j].pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    return None if doc[j].ent_type_ in NOT_SPEAKERS else doc[j]


def subject(verb: Token) -> Token | None:
    if verb.lower_ in QUOTING:  # "the tweet quoted the president as saying": the president
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        if objs:
            return objs[0]
    head = verb.head
    if verb.dep_ in ("pcomp", "pobj") and head.lower_ == "as" and head.head.lower_ in QUOTING:
        return subject(head.head)
    for child in verb.children:
        if child.dep_ == "nsubjpass" and verb.lower_ not in QUOTING:
            continue  # "Blumenthal was asked": the passive subject is addressed, not speaking
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ in ("relcl", "acl") and verb.head is not verb:
                return verb.head  # "Netanyahu, who has vowed ...": the antecedent speaks
            return child
    for child in verb.children:  # passive: "was told by X"
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    if verb.dep_ == "relcl":  # "Smith, who said ..."
        return verb.head
    head = verb.head
    if (verb.dep_ == "advcl" and verb.tag_ == "VBG" and head.dep_ == "ccomp" and head.head is not head
            and head.head.lower_ in SPEECH_VERBS):
        return subject(head.head)  # "X said the plan was dead, adding ...": X adds, not the plan
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        return subject(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head is not verb.head:
        return subject(verb.head.head)  # "began by saying", "responded by writing"
    return None


def speaker_span(tok: Token, body, mentions, anchor: int, verb: str | None) -> Speaker | None:
    if tok.pos_ not in ("PROPN", "NOUN", "PRON", "NUM", "X"):
        return None
    if tok.ent_type_ in NOT_SPEAKERS:
        return None  # "Saturday said", "12:15 p.m. says": a dateline or a time, parsed as subject
    if tok.lower_ in PRONOUNS_PERSON:
        person = nearest_person(mentions, tok.idx)
        name = person.canonical if person else tok.text
        return Speaker(name, tok.idx, tok.idx + len(tok), "PERSON" if person else None, verb)
    hit = entity_at(mentions, tok.idx, tok.idx + len(tok))
    if hit is None:
        for child in tok.children:  # "the spokesman, Matthew Miller, said"
            if child.dep_ == "appos":
                hit = entity_at(mentions, child.idx, child.idx + len(child))
                if hit is not None:
                    break
    if hit is not None:
        return Speaker(hit.canonical or hit.surface, hit.start_char, hit.end_char,
                       hit.entity_label or hit.label, verb)
    if tok.pos_ == "PRON":
        return Speaker(tok.text, tok.idx, tok.idx + len(tok), None, verb)
    left = min((c for c in tok.lefts if c.dep_ in ("det", "compound", "amod", "poss", "nmod", "nummod")),
               key=lambda c: c.left_edge.i, default=tok)
    start = left.left_edge.idx if left is not tok else tok.idx
    end = tok.idx + len(tok)
    return Speaker(body[start:end], start, end, None, verb)


def nearest_person(mentions: list[Mention], before: int) -> Mention | None:
    best = None
    for m in mentions:
        if m.start_char >= before:
            break
        if (m.entity_label or m.label) == "PERSON":
            best = m
    return best
