"""entities.toml: read, validated with a clear message, the shipped example valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from presswatch.entities import WatchlistError, load_watchlist

ROOT = Path(__file__).resolve().parents[3]


def test_the_example_file_reads(tmp_path):
    wl = load_watchlist(ROOT / "entities.toml.example")
    bush = next(e for e in wl.entries if e.name == "George W. Bush")
    assert bush.label == "PERSON" and "Bush" in bush.aliases and bush.exclude == ("Kate Bush",)
    assert bush.wikidata == "Q207"


def test_a_missing_file_is_an_empty_watchlist(tmp_path):
    assert load_watchlist(tmp_path / "none.toml").entries == ()
    assert load_watchlist(None).entries == ()


@pytest.mark.parametrize("text, says", [
    ('[[entity]]\nlabel = "ORG"\n', "needs a name"),
    ('[[entity]]\nname = "X"\nlabel = "THING"\n', "label must be one of"),
    ('[[entity]]\nname = "X"\nlabel = "ORG"\naliases = "Y"\n', "aliases must be a list"),
    ('[[entity]]\nname = "X"\nlabel = "ORG"\nwikidata = "207"\n', "wikidata must be an id"),
    ('[[entity]]\nname = "X"\nlabel = "ORG"\nalias = ["Y"]\n', "unknown field(s) alias"),
    ('[[entity]\n', "not valid TOML"),
])
def test_a_bad_entry_is_named_with_what_to_fix(tmp_path, text, says):
    path = tmp_path / "entities.toml"
    path.write_text(text)
    with pytest.raises(WatchlistError, match=says.replace("(", r"\(").replace(")", r"\)")) as err:
        load_watchlist(path)
    assert str(path) in str(err.value)
