"""Counted amounts as GDELT records them: value, qualifier and the thing counted."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from presswatch.records import Amount
from presswatch.extract.tokens import lowers

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
MULTIPLIERS = {
    "dozen": 12, "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
    "trillion": 1e12, "dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6,
    "billions": 1e9, "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3,
}
# Longest first, so "more than" wins over "more".
QUALIFIERS = sorted(
    """more than|fewer than|less than|at least|at most|up to|as many as|as few as|
    close to|nearly|almost|about|around|approximately|roughly|some|over|under|
    an estimated|estimated|upwards of|just over|just under|well over|more then|
    below|above|exactly|only|barely|a further|another""".replace("\n", "").split("|"),
    key=lambda q: -len(q.split()),
)
CURRENCIES = {"$": "dollars", "US$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
CURRENCY_WORDS = {"dollars", "dollar", "euros", "euro", "pounds", "yen", "yuan", "rupees"}
SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
QUOTE_CHARS = set("\"“”'‘’")
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


# Lowercased words a number can start with (besides digits): see _number_at.
_NUMBER_WORDS = frozenset(UNITS) | {"a", "an", "dozens", "hundreds", "thousands", "millions",
                                    "billions"}
# QUALIFIERS as word lists, in the same order.
_QUALIFIER_WORDS = [(q, q.split()) for q in QUALIFIERS]


def find_amounts(doc: Doc, body: str) -> list[Amount]:
    amounts = []
    low = lowers(doc)
    i = 0
    # Perf: only tokens a number can start at are tried (a scan that tries every token finds
    # nothing at the others).
    for at in _number_starts(low):
        if at < i:
            continue  # inside the previous amount
        i = at
        parsed = _number_at(doc, i)
        if parsed is None:
            continue
        value, end = parsed  # doc[i:end] are the number tokens
        tok = doc[i]
        if tok.ent_type_ in SKIP_ENTS or _is_year(doc, i, end):
            i = end
            continue
        start_i, qualifier = _qualifier_before(doc, low, i)
        currency, start_i = _currency_before(doc, i, start_i)
        obj, obj_end = _object_after(doc, body, end)
        if currency is None and obj in CURRENCY_WORDS:
            currency = obj
        if currency is not None:
            obj = currency if obj is None or obj.lower() in CURRENCY_WORDS else obj
        if obj is None and not tok.like_num:
            i = end
            continue
        if obj is None and not any(c.isdigit() for c in tok.text):
            i = end
            continue
        s_char = doc[start_i].idx
        last = doc[max(obj_end, end) - 1]
        e_char = last.idx + len(last)
        amounts.append(Amount(value, qualifier, obj, body[s_char:e_char], s_char, e_char))
        i = max(end, obj_end)
    return amounts


def _number_starts(low: list[str]) -> list[int]:
    """Positions where _number_at may find a number: a digit first (_NUMBER's
    precondition; isdigit accepts every \\d) or a number word."""
    return [i for i, t in enumerate(low) if t[:1].isdigit() or t in _NUMBER_WORDS]


def _number_at(doc: Doc, i: int) -> tuple[float, int] | None:
    """A number starting at token i ("1,000", "1.5 million", "two dozen", "three")."""
    tok = doc[i]
    text = tok.lower_
    if _NUMBER.match(text):
        value = float(text.replace(",", ""))
    elif text in UNITS:
        value = float(UNITS[text])
        if i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lower_ in UNITS:
            value += UNITS[doc[i + 2].lower_]  # "twenty - two"
            i += 2
    elif text in ("a", "an") and i + 1 < len(doc) and doc[i + 1].lower_ in (
            "dozen", "hundred", "thousand", "million", "billion"):
        value = 1.0
    elif text in ("dozens", "hundreds", "thousands", "millions", "billions") and _of_follows(doc, i):
        return float(MULTIPLIERS[text]), i + 1
    else:
        return None
    j = i + 1
    while j < len(doc) and doc[j].lower_ in MULTIPLIERS and doc[j].lower_ not in (
            "dozens", "hundreds", "thousands", "millions", "billions"):
        value *= MULTIPLIERS[doc[j].lower_]
        j += 1
    return value, j


def _of_follows(doc: Doc, i: int) -> bool:
    return i + 1 < len(doc) and doc[i + 1].lower_ == "of"


def _is_year(doc: Doc, i: int, end: int) -> bool:
    text = doc[i].text
    if end != i + 1 or not re.fullmatch(r"1[5-9]\d\d|20\d\d", text):
        return False
    nxt = doc[end] if end < len(doc) else None
    return nxt is None or nxt.pos_ not in ("NOUN",) or nxt.tag_ == "NNP"


def _qualifier_before(doc: Doc, low: list[str], i: int) -> tuple[int, str | None]:
    j = i - 1
    while j >= 0 and doc[j].text in QUOTE_CHARS:  # `"at least 22"`: mark sits between
        j -= 1
    for q, words in _QUALIFIER_WORDS:
        k = j - len(words) + 1
        if k >= 0 and low[k : j + 1] == words:
            return k, q
    return i, None


def _currency_before(doc: Doc, i: int, start_i: int) -> tuple[str | None, int]:
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and prev.text in CURRENCIES:
        return CURRENCIES[prev.text], min(start_i, i - 1)
    return None, start_i


def _object_after(doc: Doc, body: str, j: int) -> tuple[str | None, int]:
    """The noun phrase counted: adjectives and nouns after the number, ending on a noun."""
    if j < len(doc) and doc[j].lower_ == "of":
        j += 1
        if j < len(doc) and doc[j].lower_ in ("the", "their", "his", "her", "its"):
            j += 1
    while j < len(doc) and doc[j].text in QUOTE_CHARS:
        j += 1
    if j < len(doc) and doc[j].lower_ in ("%", "percent", "per"):
        if doc[j].lower_ != "per":
            return "percent", j + 1
        if j + 1 < len(doc) and doc[j + 1].lower_ == "cent":
            return "percent", j + 2
    words: list[Token] = []
    k = j
    while k < len(doc) and len(words) < 4:
        t = doc[k]
        if t.pos_ in ("NOUN", "PROPN") or (
                t.pos_ == "ADJ" and not words or t.pos_ == "ADJ" and words[-1].pos_ == "ADJ"):
            words.append(t)
            k += 1
        elif t.text == "-" and words and k + 1 < len(doc):
            words.append(t)
            k += 1
        else:
            break
    while words and words[-1].pos_ not in ("NOUN", "PROPN"):
        words.pop()
    if not words or words[-1].ent_type_ in ("DATE", "TIME"):
        return None, j
    return body[words[0].idx : words[-1].idx + len(words[-1])], words[-1].i + 1
