"""Words as the full-text index sees them, decided once here so the index (warehouse/search.py)
and the query compiler agree: lower case, accents stripped, runs of anything but a-z and 0-9
(dots too: "U.S." is "u s") are word breaks."""

from __future__ import annotations

import re
import unicodedata

# DuckDB fts `ignore` setting: its default drops digits, and "2005" or "g8" are words analysts search.
IGNORE = r"(\.|[^a-z0-9])+"
_BREAKS = re.compile(IGNORE)


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The index's words of `text`, unstemmed (stemming is DuckDB's: `stem(w, 'porter')`)."""
    return [w for w in _BREAKS.sub(" ", strip_accents(text.lower())).split() if w]


def phrase_pattern(tokens: list[str]) -> str:
    """A regular expression finding the words in this order, any word breaks between them, in
    text prepared as the index prepares it (lower case, accents stripped). Words are [a-z0-9]+
    only, so nothing in them needs escaping."""
    assert all(re.fullmatch(r"[a-z0-9]+", t) for t in tokens), tokens
    return r"(^|[^a-z0-9])" + r"[^a-z0-9]+".join(tokens) + r"([^a-z0-9]|$)"
