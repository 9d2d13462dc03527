"""Indirect quotes: reported speech, thought or stance without quotation marks, each with its
speaker. PolNeAR counts as attribution both "X said (that) ..." and "X criticized Y"; the
rules below are tuned on PolNeAR train (docs/decisions.md, "Extraction")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from presswatch.records import Mention, Quote
from presswatch.extract.entities import entity_at
from presswatch.extract.lexicon import COGNITION_VERBS, PREP_OBJECT, SPEECH_VERBS, STANCE_VERBS
from presswatch.extract.speakers import Speaker, speaker_of, speaker_span
from presswatch.extract.tokens import lowers

CLAUSE_VERBS = SPEECH_VERBS | COGNITION_VERBS | STANCE_VERBS
OBJECT_DEPS = ("dobj", "xcomp", "oprd")
# Their object is the addressee, not the content ("told reporters", "asked workers").
ADDRESSEE_VERBS = frozenset("tell tells told telling ask asks asked asking".split())
# Speech verbs whose plain object is not something said ("continued the tour").
NO_OBJECT = frozenset("""call calls called calling read reads reading post posts posted
    posting add adds added adding""".split())
# Never read with an object: "continues to grow", "you will find a collection".
CLAUSE_ONLY = frozenset("""continue continues continued continuing find finds found
    finding""".split())
# "Graham: Trump's rhetoric destroying GOP's chance" (headline), "FALLIN: Well, I think ..."
# (transcript): a short source label opening a line, then what it said.
_LABEL_LINE = re.compile(r"^[ \t]*([A-Z][^\n:]{0,59}?):[ \t]+(\S[^\n]*)", re.MULTILINE)
LABEL_MAX_WORDS = 6
# Labels that are not sources, and source nouns that need no entity ("Poll: ...").
NOT_LABELS = frozenset("""watch update updated breaking exclusive video photos photo read
    related note editor editor’s editor's live analysis opinion correction source sources
    q a question answer follow contact email""".split())
QUOTE_MARKS = "\"“”‘’'"
SOURCE_NOUNS = frozenset("poll polls survey report study newspaper camp campaign".split())
MIN_OBJECT_TOKENS = 2  # "said so", "denied it": too little to be worth a row


def find_indirect(doc: Doc, body: str, mentions: list[Mention],
                  taken: list[tuple[int, int]]) -> list[Quote]:
    """Indirect quotes that overlap no span in `taken` (the direct quotes); `taken` grows."""
    out = _labelled_lines(body, mentions, taken)
    out += _according_to(doc, body, mentions, taken)
    for i, lower in enumerate(lowers(doc)):
        if lower not in CLAUSE_VERBS and lower not in PREP_OBJECT:
            continue  # tested first: a string look-up, no Token built
        tok = doc[i]
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        content = _clause_of(tok) or _object_of(tok)
        if content is None:
            continue
        start, end = content.start_char, content.end_char
        if _overlaps(start, end, taken) or any(s <= tok.idx < e for s, e in taken):
            continue
        speaker = speaker_of(tok, body, mentions, start)
        if speaker is None:
            continue
        out.append(_quote(body, start, end, speaker, lower))
        taken.append((start, end))
    return out


def _labelled_lines(body: str, mentions: list[Mention],
                    taken: list[tuple[int, int]]) -> list[Quote]:
    """A line opening with a source label and a colon: the rest of the line is its content."""
    out = []
    for m in _LABEL_LINE.finditer(body):
        label = m.group(1).strip()
        words = label.split()
        if len(words) > LABEL_MAX_WORDS or any(ch.isdigit() for ch in label):
            continue
        if words[0].lower() in NOT_LABELS or label.lower() in NOT_LABELS:
            continue
        src_start, src_end = m.start(1), m.start(1) + len(m.group(1).rstrip())
        hit = entity_at(mentions, src_start, src_end)
        inside = [x for x in mentions if src_start <= x.start_char and x.end_char <= src_end]
        if hit is None and inside:
            hit = inside[-1]
        transcript = label.isupper() and len(label) > 2
        if hit is None and not transcript and words[-1].lower() not in SOURCE_NOUNS:
            continue
        start, end = m.start(2), m.end(2)
        if body[start] in QUOTE_MARKS or "@" in body[start:end]:
            continue  # a quoted headline is a direct quote; "Twitter: @name" is a byline
        while end > start and (body[end - 1].isspace() or body[end - 1] in ".!?"):
            end -= 1
        if len(body[start:end].split()) < 3 or _overlaps(start, end, taken):
            continue
        if hit is not None:
            speaker = Speaker(hit.canonical or hit.surface, hit.start_char, hit.end_char,
                              hit.entity_label or hit.label, ":")
        else:
            speaker = Speaker(label, src_start, src_end, None, ":")
        out.append(_quote(body, start, end, speaker, ":"))
        taken.append((start, end))
    return out


def _according_to(doc: Doc, body: str, mentions: list[Mention],
                  taken: list[tuple[int, int]]) -> list[Quote]:
    """"According to X, ..." and "..., according to X": the rest of the sentence, on the
    side of the phrase that is not the source (the whole sentence when it sits inside)."""
    out = []
    low = lowers(doc)
    for i in range(len(doc) - 1):
        if low[i] != "according" or low[i + 1] != "to":
            continue
        tok = doc[i]
        objs = [c for c in tok.nbor().children if c.dep_ == "pobj"]
        if not objs:
            continue
        phrase = doc[tok.i : max(tok.right_edge.i, objs[0].right_edge.i) + 1]
        sent = _paragraph_part(tok.sent, tok)
        before = _trim_span(doc[sent.start : phrase.start]) if phrase.start > sent.start else None
        after = _trim_span(doc[phrase.end : sent.end]) if phrase.end < sent.end else None
        if before is not None and after is not None:
            content = _trim_span(sent)  # the phrase sits inside the reported sentence
        else:
            content = before or after
        if content is None or len(content) < 3:
            continue
        start, end = content.start_char, content.end_char
        if _overlaps(start, end, taken):
            continue
        speaker = speaker_span(objs[0], body, mentions, start, "according to")
        if speaker is None:
            continue
        out.append(_quote(body, start, end, speaker, "according to"))
        taken.append((start, end))
    return out


def _paragraph_part(sent: Span, tok: Token) -> Span:
    """The part of `sent` in `tok`'s paragraph (the parser can run a sentence over a break)."""
    doc = sent.doc
    start, end = sent.start, sent.end
    for i in range(tok.i - 1, sent.start - 1, -1):
        if "\n" in doc[i].text:
            start = i + 1
            break
    for i in range(tok.i + 1, sent.end):
        if "\n" in doc[i].text:
            end = i
            break
    return doc[start:end]


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in taken)


def _quote(body: str, start: int, end: int, speaker: Speaker, verb: str) -> Quote:
    return Quote(
        quote_idx=0,
        text=body[start:end],
        speaker=speaker.name,
        verb=verb,
        start_char=start,
        end_char=end,
        kind="indirect",
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        speaker_label=speaker.label,
    )


def _clause_of(verb: Token) -> Span | None:
    """The reported clause: the verb's complement ("said (that) ..."; one after the verb
    first), or the clause the verb is tacked onto ("..., officials said") or set inside."""
    if verb.lower_ not in CLAUSE_VERBS:
        return None
    doc = verb.doc
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    comps.sort(key=lambda c: c.i < verb.i)  # after the verb first
    for child in comps:
        span = _trim_span(doc[child.left_edge.i : child.right_edge.i + 1])
        if span is not None and len(span) >= 3:
            return span
    head = verb.head
    if verb.dep_ in ("ccomp", "parataxis") and head.i < verb.i:
        span = _trim_span(doc[head.left_edge.i : verb.left_edge.i])
        if span is not None and len(span) >= 3:
            return span
    if verb.dep_ == "parataxis" and head.i > verb.i:
        # "This campaign, he says, is different": the whole clause around the aside.
        span = _trim_span(doc[head.left_edge.i : head.right_edge.i + 1])
        if span is not None and len(span) >= 3:
            return span
    return None


def _object_of(verb: Token) -> Span | None:
    """What was said, supported or asked for when it is an object rather than a clause:
    "criticized the president's foreign policy", "called Trump “unhinged”", "called for a
    ban", "vowed to cut taxes". Not for passives, whose subject is not the source."""
    lower = verb.lower_
    doc = verb.doc
    if lower in CLAUSE_ONLY or _passive(verb):
        return None  # "continues to grow"; "was asked about", "is expected to"
    prep = PREP_OBJECT.get(lower)
    if prep is not None:
        for child in verb.rights:
            if child.dep_ == "prep" and child.lower_ == prep:
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return _long_enough(doc[objs[0].left_edge.i : objs[-1].right_edge.i + 1])
    if lower in COGNITION_VERBS:
        deps = ("xcomp",)
    elif lower in ADDRESSEE_VERBS:
        deps = ("xcomp", "oprd")
    elif lower in SPEECH_VERBS or lower in STANCE_VERBS:
        deps = OBJECT_DEPS
    else:
        return None
    comps = [c for c in verb.rights if c.dep_ in deps]
    if not comps:
        return None
    if lower in NO_OBJECT and not any(c.dep_ in ("oprd", "xcomp") for c in comps):
        return None
    return _long_enough(doc[comps[0].left_edge.i : comps[-1].right_edge.i + 1])


def _passive(verb: Token) -> bool:
    """Passive, or borrowing its subject from a passive verb ("is expected to announce")."""
    while True:
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            return True
        if verb.dep_ not in ("xcomp", "advcl", "conj") or verb.head is verb:
            return False
        if any(c.dep_ == "nsubj" for c in verb.children):
            return False
        verb = verb.head


def _long_enough(span: Span) -> Span | None:
    span = _trim_span(span)
    if span is None or len(span) < MIN_OBJECT_TOKENS:
        return None
    return span


def _trim_span(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start else None
