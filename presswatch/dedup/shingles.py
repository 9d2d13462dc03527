"""Word shingles of an article body, hashed: the unit both MinHash and the exact check use.

The rule is part of the stored scheme (minhash.SCHEME): NFKC, case-folded, words = runs of
letters/digits, shingles = SHINGLE_WORDS consecutive words joined by one space, each hashed
with CRC-32 of its UTF-8 bytes (stable across processes and Python versions, unlike hash()).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> frozenset[int]:
    """The set of CRC-32 hashes of the text's k-word shingles; a text shorter than k words
    is one shingle (its words), an empty text none."""
    return word_shingles(words(text), k)


def word_shingles(toks: list[str], k: int = SHINGLE_WORDS) -> frozenset[int]:
    """shingle_hashes of a text whose words() are at hand (the load splits each body once)."""
    if not toks:
        return frozenset()
    if len(toks) <= k:
        return frozenset((zlib.crc32(" ".join(toks).encode()),))
    return frozenset(zlib.crc32(" ".join(toks[i:i + k]).encode()) for i in range(len(toks) - k + 1))


_NUMBER = re.compile(r"\d[\d.,/]*")


def numbers(text: str) -> frozenset[str]:
    """The figures a text gives ("1.5", "4,466,006"): a templated report (the Fed's daily
    repurchases, a price table) repeats its words with new figures, a copy keeps them."""
    return frozenset(m.rstrip(".,") for m in _NUMBER.findall(text))
