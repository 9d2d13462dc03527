"""References to an article's entities that are not named mentions (issue 15): what sentiment
readers (and NewsMTSC) treat as targets but NER does not tag.

- pronoun: he/she/him/her/his/himself/herself -> the nearest preceding PERSON mention (the rule
  the quote work uses for pronoun speakers, speakers.nearest_person), else the first PERSON
  after it in the same sentence ("After he won, Smith said").
- role: "the president", "the senator" -> the nearest preceding PERSON introduced with that
  title ("President Trump"); "the company", "the firm" -> the nearest preceding ORG.
- lower: a lower-case or possessive form of a name the article already tagged ("trump's plan").
- group: a plural noun phrase headed by a people noun and modified by an entity or a party word
  ("Trump supporters", "Republican senators"): its own NORP entity.
- name: a proper name NER left untagged (or called a WORK_OF_ART), made a PERSON by what
  surrounds it: a title or honorific before it ("Sen. Cornyn", "Father Sweeney"), a speech verb
  it is the subject of ("Pashteen said"), a capitalized common-tag subject inside a sentence
  ("Sanders trails"), a transcript's speaker label ("SHAPIRO:"), or (session 11) being a
  proper-tagged subject or possessor standing alone ("Pelosi has led", "Pompeo's visit"). Its own
  PERSON entity, unless it is a tagged person's surname (then the "lower" ref links it to that
  person). About half of them are people on BBC news; the subject/possessor ones are mostly
  entities of any type, under a third of them people: docs/sentiment.md.

They become `mention_refs` rows, never `mentions`: entity counts keep their meaning.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_TITLE, IS_UPPER, TAG
from spacy.tokens import Doc
from wordfreq import zipf_frequency

from presswatch.records import Mention, MentionRef
from presswatch.extract.entities import TITLE_WORDS
from presswatch.extract.lexicon import SPEECH_VERBS
from presswatch.extract.speakers import nearest_person
from presswatch.extract.tokens import lowers

PERSON_PRONOUNS = frozenset("he him his himself she her hers herself".split())
# Role nouns that, after "the", name a person already introduced with that title.
PERSON_ROLES = frozenset(
    """president senator governor mayor minister secretary chancellor judge justice congressman
    congresswoman representative candidate nominee ambassador commissioner chairman chairwoman
    speaker leader prosecutor counsel attorney king queen prince pope premier general""".split()
)
# Nouns that, after "the", refer back to the nearest organisation.
ORG_ROLES = frozenset(
    """company firm group party administration government agency campaign committee bank club
    team network newspaper paper channel network union council board court ministry department
    organisation organization corporation giant retailer carrier airline""".split()
)
# Heads of a plural phrase that names people as a group.
GROUP_HEADS = frozenset(
    """supporters voters critics opponents allies officials lawmakers legislators senators
    members leaders activists protesters protestors fans backers donors delegates aides
    republicans democrats conservatives liberals progressives workers residents citizens""".split()
)
PARTY_WORDS = frozenset("republican democratic democrat conservative liberal progressive gop".split())
_TITLE_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")
_CUE_WORDS = PERSON_PRONOUNS | PERSON_ROLES | ORG_ROLES | GROUP_HEADS


def find_refs(doc: Doc, body: str, mentions: list[Mention]) -> list[MentionRef]:
    """References of the four kinds above, in text order; spans already covered by a named
    mention are left to it."""
    ments = sorted(mentions, key=lambda m: m.start_char)
    starts = [m.start_char for m in ments]
    covered = [(m.start_char, m.end_char) for m in ments]
    sent_starts = [s.start_char for s in doc.sents]
    out: list[MentionRef] = []

    def inside_mention(a: int, b: int) -> bool:
        k = bisect_right(starts, a) - 1
        return k >= 0 and covered[k][1] > a or any(a <= s < b for s, _ in covered[k + 1 : k + 2])

    def add(kind: str, a: int, b: int, m: Mention | None, name: str = "", label: str = "",
            head: tuple[int, int] | None = None) -> None:
        if inside_mention(*(head or (a, b))):  # a group's modifier may be a mention, its head not
            return
        out.append(MentionRef(kind, body[a:b], max(bisect_right(sent_starts, a) - 1, 0), a, b,
                              name or (m.canonical or m.surface), label or (m.entity_label or m.label)))

    groups_done = -1
    for i, low in enumerate(lowers(doc)):
        if low not in _CUE_WORDS:
            continue  # a string look-up first: no Token object for the other words
        tok = doc[i]
        a, b = tok.idx, tok.idx + len(tok)
        if low in PERSON_PRONOUNS and tok.pos_ == "PRON":
            m = nearest_person(ments, a) or _next_person(ments, a, tok)
            if m is not None:
                add("pronoun", a, b, m)
        elif low in PERSON_ROLES | ORG_ROLES and tok.pos_ in ("NOUN", "PROPN") and tok.i > 0 \
                and doc[tok.i - 1].lower_ == "the":
            m = _titled_person(ments, body, a, low) if low in PERSON_ROLES else _nearest(ments, a, "ORG")
            if m is not None:
                add("role", doc[tok.i - 1].idx, b, m)
        elif tok.i > groups_done and low in GROUP_HEADS and tok.tag_ in ("NNS", "NNPS"):
            left = tok.left_edge.i
            mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")]
            if any(_names_a_group(c) for c in mods):
                while left < tok.i and doc[left].dep_ in ("det", "predet"):
                    left += 1
                ga = doc[left].idx
                surface = body[ga:b]
                add("group", ga, b, None, name=surface, label="NORP", head=(a, b))
                groups_done = tok.i
    out.extend(_lower_forms(body, ments, inside_mention, sent_starts))
    taken = [(r.start_char, r.end_char) for r in out]
    for a, b in _untagged_names(doc):
        # a tagged person's surname is already a "lower" ref, linked to that person: keep that one
        if not any(x < b and a < y for x, y in taken):
            add("name", a, b, None, name=body[a:b], label="PERSON")
    out.sort(key=lambda r: r.start_char)
    return out


def _names_a_group(mod) -> bool:
    """An entity, a party word or a capitalized compound ("Trump supporters": spaCy often
    leaves such a modifier untagged)."""
    return (mod.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or mod.lower_ in PARTY_WORDS
            or (mod.dep_ == "compound" and mod.text[:1].isupper()))


def _next_person(ments: list[Mention], at: int, tok) -> Mention | None:
    """Cataphora inside one sentence: the first PERSON mention after the pronoun."""
    end = tok.sent.end_char
    for m in ments:
        if m.start_char > at and m.end_char <= end and (m.entity_label or m.label) == "PERSON":
            return m
    return None


def _nearest(ments: list[Mention], before: int, label: str) -> Mention | None:
    best = None
    for m in ments:
        if m.start_char >= before:
            break
        if (m.entity_label or m.label) == label:
            best = m
    return best


def _titled_person(ments: list[Mention], body: str, before: int, role: str) -> Mention | None:
    """The nearest PERSON before `before` whose text right before it is that title
    ("President Trump", "Sen. Warren"), else whose entity was so introduced earlier."""
    titled = {}
    for m in ments:
        if m.start_char >= before:
            break
        if (m.entity_label or m.label) != "PERSON":
            continue
        t = _TITLE_BEFORE.search(body, max(0, m.start_char - 20), m.start_char)
        word = t.group(1).lower() if t else ""
        if word == role or (role == "senator" and word == "sen"):
            titled[m.canonical or m.surface] = m
    return max(titled.values(), key=lambda m: m.start_char, default=None)


def _lower_forms(body: str, ments: list[Mention], inside, sent_starts: list[int]) -> list[MentionRef]:
    """Lower-case or possessive occurrences of a tagged name's words (surnames of people, the
    names of others) that NER left untagged."""
    forms: dict[str, Mention] = {}
    for m in ments:
        label = m.entity_label or m.label
        name = m.canonical or m.surface
        word = name.split()[-1] if label == "PERSON" else name
        if len(word) > 3:
            forms.setdefault(word.lower(), m)
    if not forms:
        return []
    out = []
    for a, b in _form_hits(body, sorted(forms, key=len, reverse=True)):
        if inside(a, b):
            continue
        m = forms[body[a:b].lower()]
        out.append(MentionRef("lower", body[a:b], max(bisect_right(sent_starts, a) - 1, 0), a, b,
                              m.canonical or m.surface, m.entity_label or m.label))
    return out


# Non-ASCII letters that re.IGNORECASE matches to an ASCII one ("K" Kelvin sign, dotless "ı"...):
# where a body holds one, _form_hits leaves the matching to the regex.
_ASCII_CASE_TWINS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _form_hits(body: str, forms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each whole-word occurrence of a lower-case form (longest first), any case,
    optionally followed by 's: what re.finditer of that alternation finds. Compiling a pattern of
    each article's names cost more than all the other lookups (~1.4 ms an article); string finds
    do the same for ASCII names, as long as lowering keeps every offset."""
    low = body.lower()
    if len(low) != len(body) or not all(f.isascii() for f in forms) or any(c in body for c in _ASCII_CASE_TWINS):
        pat = re.compile(r"\b(" + "|".join(map(re.escape, forms)) + r")(?:['’]s)?\b", re.IGNORECASE)
        return [hit.span(1) for hit in pat.finditer(body)]
    starts: set[int] = set()
    for f in forms:
        i = low.find(f)
        while i >= 0:
            starts.add(i)
            i = low.find(f, i + 1)
    out: list[tuple[int, int]] = []
    done = 0  # matches never overlap: the scan resumes after the last one (its 's included)
    for a in sorted(starts):
        if a < done or not _boundary(body, a):
            continue
        for f in forms:  # the regex's order: the first form that matches here with a boundary after
            b = a + len(f)
            if low.startswith(f, a):
                end = _match_end(body, low, b)
                if end is not None:
                    out.append((a, b))
                    done = end
                    break
    return out


def _match_end(body: str, low: str, b: int) -> int | None:
    """Where `(?:['’]s)?\\b` ends after a form ending at b, None when it cannot."""
    if low[b:b + 2] in ("'s", "’s") and _boundary(body, b + 2):
        return b + 2
    return b if _boundary(body, b) else None


def _boundary(text: str, i: int) -> bool:
    """re's \\b at i: a word character on exactly one side."""
    return _is_word(text, i - 1) != _is_word(text, i)


def _is_word(text: str, i: int) -> bool:
    if i < 0 or i >= len(text):
        return False
    c = text[i]
    return c.isalnum() or c == "_"


_ARTICLES = frozenset({"the", "a", "an"})
# Subject dependencies: the name is who does, says or undergoes the verb.
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _is_title(low: str) -> bool:
    low = low.rstrip(".")
    return low in TITLE_WORDS or low + "." in TITLE_WORDS or low in _OFFICES


def _person_title(low: str) -> bool:
    low = low.rstrip(".")
    return (low in TITLE_WORDS or low + "." in TITLE_WORDS) and low not in _NOT_TITLES


# Words of an office, not of a name ("Foreign Secretary", "Ealing North MP").
_OFFICES = frozenset("mp mep minister secretary commissioner justice chancellor crown deputy high".split())
# Title words that also precede things other than a person's name ("former Labour").
_NOT_TITLES = frozenset({"former", "of", "state", "vice", "chief", "leader", "officer", "agent", "candidate"})
# A proper name in these roles is a participant of the sentence: who does or undergoes the verb, or
# whose thing it is ("Pelosi has led", "Pompeo's visit"): what sentiment is about (NewsMTSC targets).
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
# A one-word name opening a sentence at least this common in wordfreq is more often a capitalized
# common noun ("Sex", "Education": 5.2) than a name ("Gorsuch" 2.6, "Pelosi" 3.4); chosen on NewsMTSC
# train against junk on BBC news (4 and 5 tried: 5 adds "Tragedy", "Slavery").
_COMMON_OPENER_ZIPF = 4.0
# Tokens that glue a capitalized word to a longer name ("Baa-Baas", "Actors' Equity").
_NAME_GLUE = frozenset({"-", "'", "’", "&"})
# Word classes of a sentence's capitalized first word that never start a name ("During Pompeo's visit").
_OPENER_POS = frozenset({"ADP", "CCONJ", "SCONJ", "ADV", "DET", "PRON", "AUX", "PART"})


def _untagged_names(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of proper-name runs outside every NER span that their context makes a
    person (module doc, "name"). Candidates come from one array read of five columns; Token
    objects are built for the candidate runs only (a few per article).
    Common-noun tags count inside a sentence when title-cased: the tagger calls many surnames
    NN/NNS ("Sessions said", "Cornyn said")."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    cols = doc.to_array([TAG, ENT_IOB, ENT_TYPE, IS_TITLE, IS_UPPER])
    tag = cols[:, 0]
    # Outside NER (IOB 2), or inside a span whose label presswatch drops: the small model often
    # calls a person after a quote a WORK_OF_ART ('" Coroner Charles Kiessling said').
    outside = (cols[:, 1] == 2) | (cols[:, 2] == strings.add("WORK_OF_ART"))
    proper = (tag == strings.add("NNP")) | (tag == strings.add("NNPS"))
    common = ((tag == strings.add("NN")) | (tag == strings.add("NNS"))) & (cols[:, 3] == 1)
    cand = (proper | common) & outside & ((cols[:, 3] == 1) | (cols[:, 4] == 1))
    if not cand.any():
        return []
    low = lowers(doc)
    n, out, done = len(doc), [], -1
    for i in np.flatnonzero(cand).tolist():
        if i <= done:
            continue
        j = i
        while j + 1 < n and cand[j + 1]:
            j += 1
        done = j
        k = i  # "Mr Hughes", "General Dempsey": the name is what follows the title words
        while k <= j and _is_title(low[k]):
            k += 1
        if k > j or j - k > 2 or any(_is_title(w) for w in low[k : j + 1]):  # "Prime Minister", "Packet Access"
            continue
        first, last = doc[k], doc[j]
        span = (first.idx, last.idx + len(last))
        if any(_person_title(w) for w in low[i:k]):
            out.append(span)
            continue
        before = doc[i - 1] if i > 0 else None
        # A capital after a sentence start, a quote mark or a blank is no sign of a name ("Analysts said").
        weak = common[i] and (before is None or doc[i].is_sent_start or before.is_punct or before.is_space)
        if weak or not (last.is_alpha and len(last) > 1) or (before is not None and before.lower_ in _ARTICLES):
            continue  # "the Beige Book"
        is_subject = last.dep_ in _SUBJECT_DEPS
        speaks = is_subject and last.head.lower_ in SPEECH_VERBS
        # A capitalized common-tag word inside a sentence doing the verb is a surname ("Sanders trails").
        surname = common[j] and is_subject
        prev = before.lower_ if before is not None and outside[i - 1] else ""
        if _person_title(prev) or speaks or surname or (
                cols[j, 4] and j + 1 < n and low[j + 1] == ":"
                and (before is None or before.is_space or "\n" in before.text_with_ws)) \
                or (proper[j] and _bare_argument(doc, low, k, j, before)):
            out.append(span)
    return out


def _bare_argument(doc: Doc, low: list[str], k: int, j: int, before) -> bool:
    """A proper-tagged run (tokens k..j) that is a subject or possessor on its own: not the tail of
    a longer capitalized name, nor a common word capitalized by opening the sentence."""
    if doc[j].dep_ not in _ARGUMENT_DEPS:
        return False
    first = doc[k]
    if before is not None and not first.is_sent_start and (
            (before.is_title or before.is_upper) and not (before.is_sent_start and before.pos_ in _OPENER_POS)
            or before.ent_iob_ != "O" or before.tag_ == "POS" or before.text in _NAME_GLUE):
        return False  # "the Scottish Executive", "Million Dollar Baby": a fragment
    if j + 1 < len(doc) and doc[j + 1].text in _NAME_GLUE:
        return False
    opens = first.is_sent_start or before is None or before.is_punct or before.is_space
    return not (opens and k == j and zipf_frequency(low[j], "en") >= _COMMON_OPENER_ZIPF)
