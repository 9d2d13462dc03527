"""Case restoration for ALL-CAPS lines (headlines, datelines), keeping every offset.

The small model misses most names in ALL-CAPS text. Each word of such a line is
re-cased from, in order: how the rest of the article writes it, a place gazetteer, English
word frequency (common words go lower case), else Title Case (rare words are mostly names).
Only the case of letters changes, so character offsets into the original body still hold."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from wordfreq import zipf_frequency

from presswatch.extract.gazetteer import places

_WORD = re.compile(r"[A-Za-z][A-Za-z'’.&]*")
COMMON_ZIPF = 3.5  # about 3 per million words: "lucky", "win", "defeat" are common
ACRONYM_MAX = 3


def is_caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def restore_case(text: str) -> str:
    lines = text.split("\n")
    caps = [is_caps_line(line) for line in lines]
    if not any(caps):
        return text
    seen = _casing_seen(line for line, c in zip(lines, caps) if not c)
    known = _place_words()
    out = [_recase(line, seen, known) if c else line for line, c in zip(lines, caps)]
    restored = "\n".join(out)
    return restored if len(restored) == len(text) else text


def _casing_seen(lines) -> dict[str, str]:
    """Most frequent non-initial spelling of each word in the mixed-case lines."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for line in lines:
        for m in _WORD.finditer(line):
            w = m.group()
            if w.isupper() and len(w) > 1:
                continue
            # Sentence-initial capitals say nothing about the word.
            prev = line[: m.start()].rstrip()
            if not prev or prev[-1] in ".!?\"“:":
                continue
            forms[w.lower()][w] += 1
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}


def _place_words() -> dict[str, str]:
    words = {}
    for name in places():
        for w in name.split():
            words.setdefault(w.lower(), w)
    return words


def _recase(line: str, seen: dict[str, str], known: dict[str, str]) -> str:
    chars = list(line)
    first = True
    for m in _WORD.finditer(line):
        w = m.group()
        new = _recase_word(w, seen, known, first)
        first = False
        if len(new) == len(w):
            chars[m.start() : m.end()] = new
    return "".join(chars)


def _recase_word(w: str, seen: dict[str, str], known: dict[str, str], first: bool) -> str:
    low = w.lower()
    if low in seen:
        form = seen[low]
        return form[0].upper() + form[1:] if first else form
    if low in known:
        return known[low]
    if "." in w.strip("."):
        return w  # U.S., J.J.: abbreviations keep their capitals
    if zipf_frequency(low, "en") >= COMMON_ZIPF:
        return low.capitalize() if first else low
    if len(w.strip(".'’")) <= ACRONYM_MAX:
        return w
    return low.capitalize()
