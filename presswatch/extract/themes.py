"""Themes from the user-editable taxonomy presswatch/data/themes.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from presswatch.errors import OperatorError
from presswatch.records import Theme

if TYPE_CHECKING:  # the CLI checks the file before the NLP starts: no spaCy import for that
    from spacy.tokens import Doc

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[1] / "data" / "themes.toml"


@dataclass(frozen=True)
class Pattern:
    words: tuple[str, ...]  # lowercased; the last may end with "*" (prefix match)

    def matches(self, tokens: list[str], i: int) -> bool:
        if i + len(self.words) > len(tokens):
            return False
        for w, t in zip(self.words, tokens[i : i + len(self.words)]):
            if not (t.startswith(w[:-1]) if w.endswith("*") else t == w):
                return False
        return True


class ThemesFileError(OperatorError, ValueError):
    """A themes file that cannot be used: one line naming the file (and the theme or TOML line),
    exit 2. An OperatorError, so no article is quarantined for it (presswatch/faults.py)."""

    exit_code = 2


@lru_cache(maxsize=8)
def load_taxonomy(path: Path = DEFAULT_TAXONOMY) -> dict[str, tuple[Pattern, ...]]:
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ThemesFileError(f"themes file {path}: {exc}") from None
    taxonomy = {}
    for theme, spec in raw.items():
        keywords = spec.get("keywords", []) if isinstance(spec, dict) else []
        if not isinstance(keywords, list) or not keywords \
                or not all(isinstance(k, str) and k.strip() for k in keywords):
            raise ThemesFileError(f"themes file {path}: theme {theme!r} needs a non-empty list of keywords")
        taxonomy[theme] = tuple(Pattern(tuple(k.lower().split())) for k in keywords)
    return taxonomy


def find_themes(
    doc: Doc,
    n_words: int | None = None,
    taxonomy: dict[str, tuple[Pattern, ...]] | None = None,
) -> list[Theme]:
    """Themes with at least one hit; n_words defaults to the article's whitespace words."""
    from presswatch.extract.tokens import word_lowers

    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    tokens = word_lowers(doc)
    n_words = n_words or len(doc.text.split()) or 1
    # Perf: a pattern can only match where the token fits its first word, so each token is
    # looked up once (memo shared across articles) instead of trying every pattern at every
    # token; positions are then visited in order exactly as a full scan would.
    memo, index = _first_word_memo(taxonomy)
    at: dict[str, list[tuple[int, tuple[Pattern, ...]]]] = {}
    for i, tok in enumerate(tokens):
        entry = memo.get(tok)
        if entry is None:
            entry = memo[tok] = _first_word_candidates(index, tok)
        for theme, cands in entry:
            at.setdefault(theme, []).append((i, cands))
    themes = []
    for theme in taxonomy:
        hits = 0
        free = 0  # first position not inside the previous hit
        for i, cands in at.get(theme, ()):
            if i < free:
                continue
            hit = next((p for p in cands if p.matches(tokens, i)), None)
            if hit is not None:
                hits += 1
                free = i + len(hit.words)  # a phrase counts once, not once per word
        if hits:
            themes.append(Theme(theme, hits, round(1000 * hits / n_words, 2)))
    return sorted(themes, key=lambda t: (-t.hits, t.theme))


_MEMO: dict[int, tuple[dict, dict, tuple]] = {}
_MEMO_MAX_WORDS = 200_000


def _first_word_memo(taxonomy: dict[str, tuple[Pattern, ...]]) -> tuple[dict, tuple]:
    """(token -> ((theme, patterns whose first word fits it), ...), first-word index),
    per taxonomy object."""
    entry = _MEMO.get(id(taxonomy))
    if entry is None or entry[0] is not taxonomy or len(entry[1]) > _MEMO_MAX_WORDS:
        if len(_MEMO) >= 8:
            _MEMO.clear()
        exact: dict[str, list] = {}
        # Prefix patterns by the length of their stem: a token fits a stem of length L if
        # its first L characters are that stem, one look-up per distinct length.
        prefix: dict[int, dict[str, list]] = {}
        for t, (theme, patterns) in enumerate(taxonomy.items()):
            for k, p in enumerate(patterns):
                first = p.words[0]
                if first.endswith("*"):
                    stem = first[:-1]
                    prefix.setdefault(len(stem), {}).setdefault(stem, []).append((t, k, theme, p))
                else:
                    exact.setdefault(first, []).append((t, k, theme, p))
        # holding the taxonomy keeps its id from being reused while the memo lives
        entry = _MEMO[id(taxonomy)] = (taxonomy, {}, (exact, tuple(prefix.items())))
    return entry[1], entry[2]


def _first_word_candidates(index: tuple, tok: str):
    """The (theme, patterns) whose first word fits tok; called once per distinct token."""
    exact, prefix = index
    found = list(exact.get(tok, ()))
    for length, stems in prefix:
        found += stems.get(tok[:length], ())
    if not found:
        return ()
    found.sort(key=lambda c: (c[0], c[1]))  # taxonomy order, then pattern order
    out: dict[str, list[Pattern]] = {}
    for _, _, theme, p in found:
        out.setdefault(theme, []).append(p)
    return tuple((theme, tuple(ps)) for theme, ps in out.items())
