"""Per-token columns of a parsed Doc, read once from its arrays and shared by the extractors.

Walking a Doc (`for tok in doc`, `doc[i].lower_`) builds a Python Token object per token and
visit; several extractors each walking every token cost more than all their real work. They
read these columns instead (one `doc.to_array` and one string lookup per token, cached on
the Doc) and build Tokens only where a column says something may be found.
"""

from __future__ import annotations

from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER
from spacy.tokens import Doc

_KEY = "presswatch.lowers"


def lowers(doc: Doc) -> list[str]:
    """tok.lower_ of every token, in order. Cached in doc.user_data: the lexical attributes
    of a parsed Doc never change."""
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached) != len(doc):
        strings = doc.vocab.strings
        cached = doc.user_data[_KEY] = [strings[h] for h in doc.to_array(LOWER).tolist()]
    return cached


def word_lowers(doc: Doc) -> list[str]:
    """tok.lower_ of the tokens that are neither punctuation nor whitespace."""
    if not len(doc):
        return []
    low = lowers(doc)
    skip = doc.to_array([IS_PUNCT, IS_SPACE]).any(axis=1).tolist()
    return [w for w, s in zip(low, skip) if not s]
