"""Direct quotes (text between quotation marks) and indirect quotes (presswatch.extract.indirect),
each with its speaker resolved to the article's canonical entity (presswatch.extract.speakers)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from presswatch.records import Mention, Quote
from presswatch.extract.indirect import find_indirect
from presswatch.extract.lexicon import SPEECH_VERBS
from presswatch.extract.speakers import Speaker, is_speech_verb, speaker_of, speaker_span

OPEN_MARKS = "“\""
CLOSE_MARKS = "”\""
MIN_WORDS = 4  # shorter quoted strings are scare quotes ("unshakeable", "sheer evil")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*")
SENTENCE_END = frozenset(".!?")
_MARK = re.compile("[" + re.escape(OPEN_MARKS + CLOSE_MARKS) + "]")


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
    next paragraph when that one opens with a mark (newspaper multi-paragraph quotes)."""
    spans: list[Span_] = []
    pending: Span_ | None = None
    for p, para in enumerate(_PARAGRAPH.finditer(body)):
        first_char = para.group().lstrip()[:1]
        if pending is not None and first_char not in OPEN_MARKS:
            spans.append(pending)  # unclosed at paragraph end: quote runs to the end
            pending = None
        open_at = None
        for mark in _MARK.finditer(body, para.start(), para.end()):  # other chars change nothing
            i, ch = mark.start(), mark.group()
            if open_at is None and ch in OPEN_MARKS:
                open_at = i
            elif open_at is not None and ch in CLOSE_MARKS:
                if pending is not None:  # continuation of a multi-paragraph quote
                    spans.append(Span_(pending.start, i, pending.open_mark, i, pending.para))
                    pending = None
                else:
                    spans.append(Span_(open_at + 1, i, open_at, i, p))
                open_at = None
            elif open_at is not None and ch == "“":
                open_at = i  # a second opening mark: the first one was never closed
        if open_at is not None:
            if pending is None:
                pending = Span_(open_at + 1, para.end(), open_at, para.end(), p)
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


def find_quotes(doc: Doc, body: str, mentions: list[Mention]) -> list[Quote]:
    direct = _direct(doc, body, mentions)
    taken = [(q.start_char, q.end_char) for q in direct]
    indirect = find_indirect(doc, body, mentions, taken)
    quotes = sorted(direct + indirect, key=lambda q: (q.start_char, q.end_char))
    for i, q in enumerate(quotes):
        q.quote_idx = i
    return quotes


def _direct(doc: Doc, body: str, mentions: list[Mention]) -> list[Quote]:
    spans = quoted_spans(body)
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
        if speaker is None and prev is not None and prev[1] is not None:
            # No attribution of its own: it continues the previous speaker's quote when it
            # sits in the same paragraph, or opens the next paragraph.
            p_span, p_speaker = prev
            opens_para = not body[body.rfind("\n", 0, s.open_mark) + 1 : s.open_mark].strip()
            if s.para == p_span.para or (s.para == p_span.para + 1 and opens_para):
                speaker = p_speaker
        if n_words < MIN_WORDS or _is_partial(body, s):
            continue
        if speaker is None and not _looks_like_speech(text, n_words):
            continue
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


def _looks_like_speech(text: str, n_words: int) -> bool:
    """Unattributed quoted text is kept when it reads like a full utterance."""
    return n_words >= 8 or text.rstrip()[-1:] in ",.?!"


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
    """Speech verb next to the quote (after it first, then before it), or 'according to'."""
    after = _frame_after(doc, body, s, in_quote)
    before = _frame_before(doc, s, in_quote)
    quote_end = body[s.start : s.end].rstrip()[-1:]
    after_ok = bool(after) and (quote_end not in SENTENCE_END or len(after) <= 6)
    frames = ([after] if after_ok else []) + ([before] if before else [])
    for frame in frames:
        for tok in frame:
            if is_speech_verb(tok):
                speaker = speaker_of(tok, body, mentions, s.start)
                if speaker is not None:
                    return speaker
        speaker = _according_to(frame, body, mentions, s.start)
        if speaker is not None:
            return speaker
    return None


def _is_partial(body: str, s: Span_) -> bool:
    """A quoted fragment inside the writer's own sentence ("called it “rotten”", "said he
    had “no idea”") is part of an indirect quote, not a direct one."""
    before = body[: s.open_mark].rstrip(" \t\u00a0")
    if not before or before[-1] in "\n.!?:,;—–-([\"“”":
        return False
    words = before.split()
    return not (words and words[-1].lower().strip("—–-") in SPEECH_VERBS)


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
