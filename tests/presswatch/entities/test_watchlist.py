"""entities.toml: read, validated with a clear message, the shipped example valid."""

from __future__ import annotations

import re
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
    # a typo'd table was an empty watchlist, silently; a single [entity] table said "needs a name"
    ('[[entities]]\nname = "X"\nlabel = "ORG"\n', "unknown table(s) entities"),
    ('[entity]\nname = "X"\nlabel = "ORG"\n', "entity must be [[entity]] tables"),
    ('[[entity]]\nname = "X"\nlabel = "ORG"\naliases = [""]\n', "aliases must be a list of names"),
    # one spelling in two entries: the rebuild silently gave it to the first
    ('[[entity]]\nname = "Antony Blinken"\nlabel = "PERSON"\naliases = ["Blinken"]\n'
     '[[entity]]\nname = "Tony Blinken"\nlabel = "PERSON"\naliases = ["Mr. blinken"]\n',
     "[[entity]] #2 (Tony Blinken) claims 'Mr. blinken', already 'Blinken' of [[entity]] #1"),
    ('[[entity]]\nname = "Hamas"\nlabel = "ORG"\n[[entity]]\nname = "HAMAS"\nlabel = "ORG"\n',
     "[[entity]] #2 (HAMAS) claims 'HAMAS'"),
])
def test_a_bad_entry_is_named_with_what_to_fix(tmp_path, text, says):
    path = tmp_path / "entities.toml"
    path.write_text(text)
    with pytest.raises(WatchlistError, match=re.escape(says)) as err:
        load_watchlist(path)
    assert str(path) in str(err.value)


def test_a_folder_as_the_watchlist_is_one_line(tmp_path):
    with pytest.raises(WatchlistError, match="cannot read the watchlist .*: Is a directory"):
        load_watchlist(tmp_path)  # was an IsADirectoryError traceback
