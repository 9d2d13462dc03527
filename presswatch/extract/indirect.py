"""Indirect quotes: reported speech, thought or stance without quotation marks, each with its
speaker. PolNeAR counts as attribution both "X said (that) ..." and "X criticized Y"; the
rules below are tuned on PolNeAR train (docs/decisions.md, "Extraction")."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
from spacy.attrs import POS
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span, Token

from presswatch.records import Mention, Quote
from presswatch.extract.attribution_scorer import AttributionScorer, Candidate, features, has_marks
from presswatch.extract.entities import entity_at
from presswatch.extract.lexicon import COGNITION_VERBS, PHRASAL_SPEECH, PREP_OBJECT, SPEECH_VERBS, STANCE_VERBS
from presswatch.extract.speakers import Speaker, is_speech_verb, speaker_of, speaker_span, subject
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
    finding show shows showed shown showing""".split())
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
ABSOLUTE_MARKS = frozenset({"with", "without", "because", "while", "although", "since"})
UNRESOLVED = frozenset("i me we us you they them it".split())
MIN_OBJECT_TOKENS = 2  # "said so", "denied it": too little to be worth a row


def find_indirect(doc: Doc, body: str, mentions: list[Mention],
                  taken: list[tuple[int, int]], scorer: AttributionScorer | None = None) -> list[Quote]:
    """Indirect quotes that overlap no span in `taken` (the direct quotes); `taken` grows.
    scorer: decides on verbs off the word lists and may veto the rules' rows
    (presswatch.extract.attribution_scorer)."""
    out = _labelled_lines(body, mentions, taken)
    out += _according_to(doc, body, mentions, taken)
    ruled: set[int] = set()  # verbs the rules made a row for: the candidate pass skips them
    for i, lower in enumerate(lowers(doc)):
        if lower not in CLAUSE_VERBS and lower not in PREP_OBJECT and lower not in PHRASAL_SPEECH:
            continue  # tested first: a string look-up, no Token built
        tok = doc[i]
        if tok.pos_ not in ("VERB", "AUX") or _inside(tok.idx, taken):
            continue  # a verb inside a quote or a row already made: checked before any parse walk
        content, shape = _clause_of(tok), "clause"
        if content is None:
            content, shape = _object_of(tok), "object"
        if content is None:
            continue
        if content.start > tok.i:
            content = _to_clause_end(tok, content)
        if content.start > tok.i:  # "said that X, adding, “...”": X, the quote is its own row
            content = _before_taken(content, taken)
        elif _overlaps(content.start_char, content.end_char, taken):
            continue
        if content is None:
            continue
        start, end = content.start_char, content.end_char
        speaker = speaker_of(tok, body, mentions, start)
        if speaker is None or _unresolved_pronoun(speaker):
            continue
        row = _quote(body, start, end, speaker, lower)
        # A vetoed row still blocks the candidates overlapping it: they read the same words.
        taken.append((start, end))
        ruled.add(i)
        if scorer is None or scorer.keeps(
                Candidate(row, features(tok, content, shape, speaker.label, body[speaker.start: speaker.end], "rule",
                                     has_marks(body[start:end])), body)):
            out.append(row)
    if scorer is not None and scorer.threshold <= 1.0:  # above 1 it accepts nothing: no pass
        for cand in _cue_candidates(doc, body, mentions, taken, ruled):
            if scorer.accepts(cand):
                out.append(cand.quote)
                taken.append((cand.quote.start_char, cand.quote.end_char))
    return out


def _unresolved_pronoun(speaker: Speaker) -> bool:
    """"they said ...", "I think ..." with no entity behind the pronoun: the row would say
    nobody said it (on PolNeAR train 0-300, 99% of such rows had no right speaker)."""
    return speaker.label is None and speaker.name.lower() in UNRESOLVED


def _before_taken(content: Span | None, taken: list[tuple[int, int]]) -> Span | None:
    """The content up to the first taken span inside it ("said that X, adding, “...”": the
    direct quote is its own row); None when a taken span covers its start or too little is left."""
    if content is None:
        return None
    start, end = content.start_char, content.end_char
    cut = min((s for s, e in taken if s < end and start < e), default=None)
    if cut is None:
        return content
    if cut <= start:
        return None
    doc = content.doc
    i = content.start
    while i < content.end and doc[i].idx < cut:
        i += 1
    while i > content.start and (doc[i - 1].is_punct or doc[i - 1].is_space or doc[i - 1].lower_ in SPEECH_VERBS):
        i -= 1  # ", adding," before the quote introduces it: not part of the content
    span = _trim_span(doc[content.start: i])
    return span if span is not None and len(span) >= 3 and span.end_char <= cut else None


def _cue_candidates(doc: Doc, body: str, mentions: list[Mention], taken: list[tuple[int, int]],
                    ruled: set[int] | None = None) -> Iterator[Candidate]:
    """Verbs with a source subject and a complement that the rules made no row for ("Trump
    wants to build a wall", "Cruz voted against the bill", a listed verb whose complement the
    rules do not read: "a poll shows Cruz ahead", "responded to the remarks"), and copulas
    with an adjective that takes one ("McConnell was quick to embrace the mogul", "is critical
    of the deal"): candidates for the learned scorer. `taken` is read at each step, so an
    accepted candidate blocks the ones it overlaps."""
    low = lowers(doc)
    pos = doc.to_array(POS)
    ruled = ruled or set()
    verbs = np.flatnonzero((pos == VERB) | (pos == AUX)).tolist()
    for i in verbs:
        if i in ruled:
            continue  # the rules above decided
        tok = doc[i]
        listed = low[i] in CLAUSE_VERBS or low[i] in PREP_OBJECT or low[i] in PHRASAL_SPEECH
        if listed and low[i] not in SPEECH_VERBS and _borrowed_participle(tok):
            continue  # "..., showing concern": the rules' exclusion holds here too
        # Cheap refusals before the complement's walk: speaker_of finds no one without a subject.
        if _inside(tok.idx, taken) or subject(tok) is None:
            continue
        found = _complement(tok) if pos[i] == VERB else _predicate(tok)
        if found is None:
            continue
        content, shape = found
        if content.start > tok.i:
            content = _to_clause_end(tok, content)
        if len(content) < 3:
            continue
        start, end = content.start_char, content.end_char
        if _overlaps(start, end, taken):
            continue
        speaker = speaker_of(tok, body, mentions, start)
        if speaker is None or _unresolved_pronoun(speaker):
            continue
        feats = features(tok, content, shape, speaker.label, body[speaker.start: speaker.end],
                         "listed" if listed else "offlist", has_marks(body[start:end]))
        if shape.startswith("acomp"):
            feats.append(f"adj={_adjective(tok)}")
        yield Candidate(_quote(body, start, end, speaker, tok.lower_), feats, body)


def _adjective(verb: Token) -> str:
    return next((c.lower_ for c in verb.children if c.dep_ == "acomp"), "-")


def _predicate(copula: Token) -> tuple[Span, str] | None:
    """A copula's adjective and what the adjective takes: "is critical of the deal", "was
    quick to embrace the mogul", "is confident that ..." (the stance PolNeAR attributes)."""
    for adj in copula.children:
        if adj.dep_ != "acomp":
            continue
        for child in adj.children:
            if child.dep_ in ("xcomp", "ccomp"):
                span = _trim_span(copula.doc[child.left_edge.i: child.right_edge.i + 1])
                dep = child.dep_
            elif child.dep_ == "prep":
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if not objs:
                    continue
                span = _trim_span(copula.doc[objs[0].left_edge.i: objs[-1].right_edge.i + 1])
                dep = "prep_" + child.lower_
            else:
                continue
            if span is not None and len(span) >= 3:
                return span, "acomp_" + dep
    return None


def _complement(verb: Token) -> tuple[Span, str] | None:
    """The verb's clause, infinitive, object or prepositional object, and which it is."""
    if _passive(verb):
        return None
    doc = verb.doc
    by_dep: dict[str, Token] = {}
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "dobj", "prep") and child.dep_ not in by_dep:
            if child.dep_ == "ccomp" and _absolute(child):
                continue
            by_dep[child.dep_] = child
    for dep in ("ccomp", "xcomp", "dobj", "prep"):
        child = by_dep.get(dep)
        if child is None:
            continue
        if dep == "prep":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if not objs:
                continue
            span = _trim_span(doc[objs[0].left_edge.i: objs[-1].right_edge.i + 1])
            dep = "prep_" + child.lower_
        else:
            span = _trim_span(doc[child.left_edge.i: child.right_edge.i + 1])
        if span is not None and len(span) >= 3:
            return span, dep
    return None


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


def _inside(char: int, taken: list[tuple[int, int]]) -> bool:
    return any(s <= char < e for s, e in taken)


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
    if verb.lower_ not in CLAUSE_VERBS and not is_speech_verb(verb):  # is_speech_verb: "pointed out"
        return None
    doc = verb.doc
    comps = [c for c in verb.children if c.dep_ == "ccomp" and not _absolute(c)]
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


def _to_clause_end(verb: Token, content: Span) -> Span:
    """What follows the verb runs to the end of its clause, as PolNeAR marks it ("announced
    a concert in support of X", "told a town hall that Y is “peanuts,” compared to Z"); a
    further reported verb ("..., adding ...") starts an attribution of its own."""
    doc = verb.doc
    end = content.end - 1
    for child in verb.rights:
        if child.i <= end or child.dep_ in ("punct", "cc"):
            continue
        if child.pos_ in ("VERB", "AUX") and (child.lower_ in CLAUSE_VERBS or child.dep_ in ("conj", "parataxis")):
            break
        end = max(end, child.right_edge.i)
    return _trim_span(doc[content.start: end + 1]) or content


def _absolute(clause: Token) -> bool:
    """"..., with several believed to be held": a circumstance, not what was said."""
    return any(c.dep_ == "mark" and c.lower_ in ABSOLUTE_MARKS for c in clause.children)


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
    if lower in STANCE_VERBS and lower not in SPEECH_VERBS and _borrowed_participle(verb):
        return None  # "..., showing concern", "prompting talks": a description, not a stance
    comps = [c for c in verb.rights if c.dep_ in deps]
    if not comps:
        return None
    if lower in NO_OBJECT and not any(c.dep_ in ("oprd", "xcomp") for c in comps):
        return None
    end = comps[-1].right_edge.i
    for child in verb.rights:  # "labeled the attack as “sheer evil”": the "as" part too
        if child.dep_ == "prep" and child.lower_ == "as" and child.i > end:
            end = child.right_edge.i
    # "accused Clinton of being influenced": the object alone is too short, its clause is not
    span = _trim_span(doc[comps[0].left_edge.i : end + 1])
    return _long_enough(_to_clause_end(verb, span)) if span is not None else None


def _borrowed_participle(verb: Token) -> bool:
    """An -ing or -ed form hung on another clause, with no subject of its own."""
    if verb.dep_ not in ("advcl", "acl", "xcomp", "conj"):
        return False
    if verb.dep_ == "advcl" and verb.head.lower_ in SPEECH_VERBS:
        return False  # '"...," McCain said, citing low growth': the speaker's own act
    aux = any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    if not (verb.tag_ == "VBG" or (verb.tag_ == "VBN" and not aux)):
        return False  # "and have welcomed the decision" is a finite verb of its own
    return not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


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
