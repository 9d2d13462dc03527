"""Themes from the user-editable taxonomy presswatch/data/themes.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from presswatch.models import Theme

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


@lru_cache(maxsize=8)
def load_taxonomy(path: Path = DEFAULT_TAXONOMY) -> dict[str, tuple[Pattern, ...]]:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    taxonomy = {}
    for theme, spec in raw.items():
        keywords = spec.get("keywords", []) if isinstance(spec, dict) else []
        if not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
            raise ValueError(f"{path}: theme {theme!r} needs a non-empty list of keywords")
        taxonomy[theme] = tuple(Pattern(tuple(k.lower().split())) for k in keywords)
    return taxonomy


def find_themes(
    doc: Doc,
    n_words: int | None = None,
    taxonomy: dict[str, tuple[Pattern, ...]] | None = None,
) -> list[Theme]:
    """Themes with at least one hit; n_words defaults to the article's whitespace words."""
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    tokens = [t.lower_ for t in doc if not (t.is_punct or t.is_space)]
    n_words = n_words or len(doc.text.split()) or 1
    themes = []
    for theme, patterns in taxonomy.items():
        hits = 0
        i = 0
        while i < len(tokens):
            hit = next((p for p in patterns if p.matches(tokens, i)), None)
            if hit is None:
                i += 1
            else:
                hits += 1
                i += len(hit.words)  # a phrase counts once, not once per word
        if hits:
            themes.append(Theme(theme, hits, round(1000 * hits / n_words, 2)))
    return sorted(themes, key=lambda t: (-t.hits, t.theme))
