"""Direct quotes (text between quotation marks, with a speaker), mixed quotes (a reported
clause holding quoted words) and indirect quotes (presswatch.extract.indirect), each with its
speaker resolved to the article's canonical entity (presswatch.extract.speakers)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from presswatch.config import default
from presswatch.records import Mention, Quote
from presswatch.extract.attribution_scorer import AttributionScorer, load_scorer
from presswatch.extract.indirect import find_indirect
from presswatch.extract.lexicon import SPEECH_VERBS
from presswatch.extract.speakers import Speaker, is_speech_verb, speaker_of, speaker_span

OPEN_MARKS = "“\""
CLOSE_MARKS = "”\""
MIN_WORDS = 4  # unattributed quoted strings shorter than this are scare quotes ("sheer evil")
MIN_WORDS_ATTRIBUTED = 2  # `He said: "No way."` is a quote; a one-word one is a label
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*")
SENTENCE_END = frozenset(".!?")
# A doubled apostrophe stands for a quotation mark in some feeds (''like this'').
_MARK = re.compile("''|[" + re.escape(OPEN_MARKS + CLOSE_MARKS) + "]")
# Headlines quote with single marks (Trump: ‘I will win’); elsewhere they are apostrophes.
_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=\w)|(?<=[\w.,!?])[’'](?![\w’'])")
HEADLINE_MAX_WORDS = 30
AFTER_EARLY = 6  # a speech verb this near the closing mark attributes the quote
SOURCE_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
UNRESOLVED_PRONOUNS = frozenset("i me we us you he she him her they them it".split())


@dataclass
class Span_:
    """A quoted stretch of the body: content without the marks."""

    start: int
    end: int
    open_mark: int  # index of the opening mark
    close_mark: int  # index of the closing mark (or paragraph end when unclosed)
    para: int


def quoted_spans(body: str) -> list[Span_]:
    """Pairs quotation marks inside each paragraph; an unclosed quote continues into the
    next paragraph when that one opens with a mark (newspaper multi-paragraph quotes). A
    curly opening mark is closed by a straight one only when no curly closing mark follows,
    so straight marks nested inside it stay inside; a short first line (a headline) also
    pairs single marks."""
    spans: list[Span_] = []
    pending: Span_ | None = None
    for p, para in enumerate(_PARAGRAPH.finditer(body)):
        first_char = para.group().lstrip()[:1]
        if pending is not None and first_char not in OPEN_MARKS and not para.group().lstrip().startswith("''"):
            spans.append(pending)  # unclosed at paragraph end: quote runs to the end
            pending = None
        marks = _MARK
        if p == 0 and len(para.group().split()) <= HEADLINE_MAX_WORDS and not _MARK.search(para.group()):
            marks = _SINGLE
        open_at = open_ch = None
        for mark in marks.finditer(body, para.start(), para.end()):  # other chars change nothing
            i, ch = mark.start(), mark.group()
            if open_at is None and (ch in OPEN_MARKS or ch in ("''", "‘") or _opens_single(marks, body, i)):
                open_at, open_ch = i, ch
            elif open_at is not None and _closes(open_ch, ch, "”" in body[i + 1: para.end()]):
                if pending is not None:  # continuation of a multi-paragraph quote
                    spans.append(Span_(pending.start, i, pending.open_mark, i, pending.para))
                    pending = None
                else:
                    spans.append(Span_(open_at + len(open_ch), i, open_at, i, p))
                open_at = None
            elif open_at is not None and ch == "“":
                open_at, open_ch = i, ch  # a second opening mark: the first one was never closed
        if open_at is not None:
            if pending is None:
                pending = Span_(open_at + len(open_ch), para.end(), open_at, para.end(), p)
            else:
                pending = Span_(pending.start, para.end(), pending.open_mark, para.end(), pending.para)
    if pending is not None:
        spans.append(pending)
    out = []
    for s in spans:
        start, end = s.start, s.end
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Span_(start, end, s.open_mark, s.close_mark, s.para))
    return out


def _opens_single(marks: re.Pattern, body: str, i: int) -> bool:
    return marks is _SINGLE and body[i] == "'" and i + 1 < len(body) and body[i + 1].isalnum()


def _closes(open_ch: str, ch: str, curly_follows: bool) -> bool:
    """curly_follows: a ” comes later in the paragraph, so a straight mark is nested."""
    if open_ch == "“":
        return ch == "”" or (not curly_follows and ch in ('"', "''"))
    if open_ch in ("‘", "'") and len(open_ch) == 1 and ch in ("’", "'"):
        return True
    return ch in ('"', "”", "''")


def find_quotes(doc: Doc, body: str, mentions: list[Mention],
                scorer: AttributionScorer | None = None) -> list[Quote]:
    """scorer: the learned check for cues off the word lists (default: the method's, see
    method_scorer)."""
    spans = quoted_spans(body)
    unattributed: list[tuple[int, int]] = []
    direct = _direct(doc, body, mentions, spans, unattributed)
    # Quoted text nobody is said to have said is not the writer's reporting either.
    taken = [(q.start_char, q.end_char) for q in direct] + unattributed
    indirect = mark_mixed(body, find_indirect(doc, body, mentions, taken, scorer or method_scorer()), spans)
    quotes = sorted(direct + indirect, key=lambda q: (q.start_char, q.end_char))
    for i, q in enumerate(quotes):
        q.quote_idx = i
    return quotes


def method_scorer() -> AttributionScorer:
    """The scorer of PRESSWATCH_QUOTE_METHOD (a setting, validated by the CLI; read here because
    the NLP workers score quotes): `model`, the linear scorer, or `transformer`."""
    method = os.environ.get("PRESSWATCH_QUOTE_METHOD") or default("quote_method")
    if method == "transformer":
        from presswatch.extract.quote_transformer import load_transformer_scorer

        return load_transformer_scorer()
    if method != "model":
        raise ValueError(f"PRESSWATCH_QUOTE_METHOD={method!r}: expected 'model' or 'transformer'")
    return load_scorer()


def mark_mixed(body: str, rows: list[Quote], spans: list[Span_]) -> list[Quote]:
    """A reported clause holding quoted words is `mixed`: its text takes in the marks of a
    quote it starts or ends with, and quoted_start/quoted_end bound the quoted words."""
    for q in rows:
        inside = [s for s in spans if q.start_char - 1 <= s.open_mark and s.start < q.end_char]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        start, end = min(q.start_char, first.open_mark), max(q.end_char, min(last.close_mark + 1, len(body)))
        if last.close_mark >= len(body) or body[last.close_mark] not in CLOSE_MARKS + "'’":
            end = max(q.end_char, last.end)  # an unclosed quote: no closing mark to take in
        q.start_char, q.end_char, q.text = start, end, body[start:end]
        q.kind, q.quoted_start, q.quoted_end = "mixed", first.start, last.end
    return rows


def _direct(doc: Doc, body: str, mentions: list[Mention], spans: list[Span_],
            unattributed: list[tuple[int, int]]) -> list[Quote]:
    """Attributed quotes; `unattributed` receives the spans of whole quotes with no speaker."""
    # Names inside quoted text are seldom who is speaking: pronouns skip them.
    mentions = [m for m in mentions
                if not any(q.start <= m.start_char < q.end for q in spans)]
    in_quote = _quoted_token_mask(doc, spans)
    quotes: list[Quote] = []
    prev: tuple[Span_, Speaker | None] | None = None
    for s in spans:
        text = body[s.start : s.end]
        n_words = len(text.split())
        speaker = _attribute(doc, body, s, in_quote, mentions)
        own = speaker is not None
        if speaker is None and prev is not None and prev[1] is not None:
            speaker = _inherited(body, prev, s, mentions)
        if n_words < (MIN_WORDS_ATTRIBUTED if own else MIN_WORDS) or _is_partial(body, s):
            continue
        if speaker is None or _unresolved(speaker):
            unattributed.append((s.start, s.end))
            continue  # quoted text nobody is said to have said: a title, a sign, a slogan
        prev = (s, speaker)
        quotes.append(
            Quote(
                quote_idx=0,
                text=text,
                speaker=speaker.name if speaker else None,
                verb=speaker.verb if speaker else None,
                start_char=s.start,
                end_char=s.end,
                kind="direct",
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
                speaker_label=speaker.label if speaker else None,
            )
        )
    return quotes


def _unresolved(speaker: Speaker) -> bool:
    """'"...," I said' with no entity behind the pronoun: the row would name nobody (PolNeAR
    train 0-200: none of 13 such rows had the right speaker)."""
    return speaker.label is None and speaker.name.lower() in UNRESOLVED_PRONOUNS


def _inherited(body: str, prev: tuple[Span_, Speaker], s: Span_, mentions) -> Speaker | None:
    """A quote with no attribution of its own continues the previous speaker's quote when
    it sits in the same paragraph or opens the next one, and no other person is named in
    between (then it is not clear who speaks)."""
    p_span, p_speaker = prev
    opens_para = not body[body.rfind("\n", 0, s.open_mark) + 1 : s.open_mark].strip()
    if not (s.para == p_span.para or (s.para == p_span.para + 1 and opens_para)):
        return None
    for m in mentions:
        if p_span.close_mark < m.start_char < s.open_mark and (m.entity_label or m.label) == "PERSON":
            if (m.canonical or m.surface) != p_speaker.name:
                return None
    return p_speaker


def _quoted_token_mask(doc: Doc, spans: list[Span_]) -> list[bool]:
    mask = [False] * len(doc)
    for s in spans:
        for tok in _tokens_between(doc, s.open_mark, s.close_mark + 1):
            mask[tok.i] = True
    return mask


def _tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _attribute(doc, body, s: Span_, in_quote, mentions) -> Speaker | None:
    """Speech verb next to the quote (after it first, then before it), 'according to', or
    a colon introduction ("He shrugged: ...", "Jane Doe, Daily Planet: ...")."""
    after = _frame_after(doc, body, s, in_quote)
    before = _frame_before(doc, s, in_quote)
    quote_end = body[s.start : s.end].rstrip()[-1:]
    # After a full sentence the next one is its attribution only when it opens with one:
    # '"..." Smith said as she left the hall.' but not '"..." The vote is on Monday.'
    early = [t for t in after[:AFTER_EARLY] if is_speech_verb(t)]
    after_ok = bool(after) and (quote_end not in SENTENCE_END or len(after) <= 6 or bool(early))
    # Nearest verb to the quote first: "Asked by X, Carson said, “...”" is Carson's.
    frames = ([after] if after_ok else []) + ([before[::-1]] if before else [])
    if before and _introduces(before):
        frames.reverse()  # 'Hayek said, “...” The star then recalled ...': the "said" owns it
    for frame in frames:
        for tok in frame:
            if is_speech_verb(tok):
                speaker = speaker_of(tok, body, mentions, s.start, in_quote)
                if speaker is not None:
                    return speaker
        speaker = _according_to(frame, body, mentions, s.start)
        if speaker is not None:
            return speaker
    if before and before[-1].text == ":":
        return _colon_speaker(before[:-1], body, mentions, s.start, in_quote)
    return None


def _introduces(before: list[Token]) -> bool:
    """The words right before the opening mark are a speech verb (and a comma or colon)."""
    last = before[-2] if len(before) > 1 and before[-1].text in (",", ":") else before[-1]
    return is_speech_verb(last)


def _colon_speaker(frame: list[Token], body, mentions, anchor: int, in_quote) -> Speaker | None:
    """Who introduces a quote with a colon and no speech verb: the subject of the clause's
    verb ("Trump leaned in and boomed:"), else the last name before the colon ("Jane Doe,
    Daily Planet:"). Only a person, an organisation or a resolved pronoun."""
    for tok in reversed(frame):
        if tok.pos_ in ("VERB", "AUX"):
            speaker = speaker_of(tok, body, mentions, anchor, in_quote)
            if speaker is not None and speaker.label in SOURCE_LABELS:
                return speaker
    if not frame:
        return None
    start, end = frame[0].idx, frame[-1].idx + len(frame[-1])
    # A headline "Gillibrand on Clinton's speeches: ‘...’" quotes the name before "on".
    ons = [t.idx for t in frame if t.lower_ == "on" and t.i > frame[0].i]
    if ons:
        end = ons[0]
    names = [m for m in mentions if start <= m.start_char and m.end_char <= end
             and (m.entity_label or m.label) in SOURCE_LABELS]
    if not names:
        return None
    m = names[-1]
    return Speaker(m.canonical or m.surface, m.start_char, m.end_char, m.entity_label or m.label, ":")


def _is_partial(body: str, s: Span_) -> bool:
    """A quoted fragment inside the writer's own sentence ("called it “rotten”", "said he
    had “no idea”") is part of an indirect quote, not a direct one."""
    before = body[: s.open_mark].rstrip(" \t\u00a0")
    if not before or before[-1] in "\n.!?:,;—–-([\"“”":
        return False
    words = before.split()
    if not (words and words[-1].lower().strip("—–-") in SPEECH_VERBS):
        return True
    # Right after a speech verb it is the speaker's words ('says “the game is ruined” because
    # ...'), unless a short fragment runs on into the writer's sentence ('reported "at least
    # 22" citizens affected').
    after = body[s.close_mark + 1 : s.close_mark + 3].lstrip(" \t\u00a0”\"'’")[:1]
    runs_on = after.isalnum() and body[s.close_mark - 1 : s.close_mark] not in ",.!?"
    return runs_on and len(body[s.start: s.end].split()) < MIN_WORDS


def _frame_after(doc, body, s: Span_, in_quote) -> list[Token]:
    """Tokens after the closing mark up to the end of the sentence or the next quote."""
    frame = []
    start = doc.char_span(s.close_mark, len(body), alignment_mode="expand")
    if start is None:
        return frame
    for tok in start:
        if in_quote[tok.i] or "\n" in tok.text:
            if frame or not in_quote[tok.i]:
                break
            continue  # the closing mark itself
        frame.append(tok)
        if tok.text in SENTENCE_END or tok.text == ":":
            break
        if len(frame) > 30:
            break
    return frame


def _frame_before(doc, s: Span_, in_quote) -> list[Token]:
    """Tokens of the quote's sentence (or the one ending in ':' before it) before the mark."""
    first = doc.char_span(s.open_mark, s.open_mark + 1, alignment_mode="expand")
    if first is None:
        return []
    i = first[0].i - 1
    frame: list[Token] = []
    j = i
    while j >= 0 and doc[j].is_space and "\n" in doc[j].text:
        j -= 1
    if j < i and j >= 0 and doc[j].text == ":":
        i = j  # the quote opens a paragraph after "Cruz continued:": that line introduces it
    while i >= 0 and not in_quote[i] and "\n" not in doc[i].text:
        tok = doc[i]
        if tok.text in SENTENCE_END and frame:
            break
        frame.insert(0, tok)
        if tok.is_sent_start and not (frame and frame[-1].text == ":"):
            break
        if len(frame) > 40:
            break
        i -= 1
    return frame


def _according_to(frame: list[Token], body, mentions, anchor: int) -> Speaker | None:
    for tok in frame:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            objs = [c for c in tok.nbor().children if c.dep_ == "pobj"]
            target = objs[0] if objs else (tok.nbor(2) if tok.i + 2 < len(tok.doc) else None)
            if target is not None:
                return speaker_span(target, body, mentions, anchor, "according to")
    return None
