"""The index's words and the results' snippets."""

from __future__ import annotations

import re

from presswatch.search.snippet import snippet
from presswatch.search.tokens import phrase_pattern, words


def test_words_as_the_index_sees_them():
    assert words("Café-owners' U.S. 3G £12m, e-mail!") == ["cafe", "owners", "u", "s", "3g", "12m", "e", "mail"]
    assert words("...") == []


def test_phrase_pattern_finds_the_words_in_order_across_breaks():
    pattern = re.compile(phrase_pattern(["bank", "of", "england"]))
    assert pattern.search("the bank of\nengland's rate")
    assert pattern.search("bank, of england")
    assert not pattern.search("the bank of englandia")
    assert not pattern.search("riverbank of england")


def test_snippet_is_cut_around_the_query_words():
    body = "Filler words. " * 40 + "Tony Blair said the elections were over. " + "More filler here. " * 40
    text = snippet(body, ["blair", "elect"])
    assert "Tony Blair said the elections" in text
    assert text.startswith("…") and text.endswith("…")
    assert len(text) <= 222


def test_snippet_without_a_match_is_the_start_and_short_bodies_are_whole():
    assert snippet("Short body.\n\nSecond paragraph.", ["zebra"]) == "Short body. Second paragraph."
    assert snippet("word " * 100, ["zebra"]).startswith("word word")
    assert snippet("", ["x"]) == ""
