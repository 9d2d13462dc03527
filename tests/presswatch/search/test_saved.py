"""searches.toml: valid files give the searches in order; every mistake names entry and key."""

from __future__ import annotations

from datetime import date

import pytest

from presswatch.search.saved import SearchesFileError, load_searches, parse_searches, pick

GOOD = """
[[search]]
name = "labour"
query = 'blair NEAR/5 brown'
since = 2005-01-01
notes = "leadership"

[[search]]
name = "brexit"
query = 'brexit OR "article 50"'
"""


def test_a_valid_file_gives_each_search_parsed():
    searches = parse_searches(GOOD)
    assert [(s.name, s.since, s.notes) for s in searches] == [("labour", date(2005, 1, 1), "leadership"),
                                                              ("brexit", None, "")]
    assert str(searches[0].node) == "(blair NEAR/5 brown)"


def test_a_missing_file_is_no_searches_unless_asked_for(tmp_path):
    assert load_searches(tmp_path / "none.toml") == []
    with pytest.raises(SearchesFileError, match="no saved searches file at .*none.toml: create it"):
        load_searches(tmp_path / "none.toml", missing_ok=False)


@pytest.mark.parametrize("text,message", [
    ("[[search]\n", "is not valid TOML"),
    ('[[search]]\nquery = "x"\n', r"\[\[search\]\] #1: name is missing"),
    ('[[search]]\nname = "a"\n', r"\[\[search\]\] #1 \('a'\): query is missing"),
    ('[[search]]\nname = "a"\nquery = "x"\ncolour = "red"\n', "colour is not a known key"),
    ('[[search]]\nname = "a"\nquery = "x"\nsince = "last week"\n', "since"),
    ('[[search]]\nname = ""\nquery = "x"\n', "name must have at least 1 character"),
    ('[[search]]\nname = "a\\u001b[31m"\nquery = "x"\n', "must be one line of printable text"),
    ('[[searches]]\nname = "a"\n', "is not a known table"),
    ('[[search]]\nname = "a"\nquery = "(x"\n',
     r"\[\[search\]\] #1 \('a'\): query '\(x': query error at column 1: this '\(' is never closed"),
    ('[[search]]\nname = "a"\nquery = "x"\n[[search]]\nname = "A"\nquery = "y"\n',
     r"\[\[search\]\] #2 \('A'\) repeats the name of \[\[search\]\] #1"),
])
def test_mistakes_name_the_entry_and_the_key(text, message):
    with pytest.raises(SearchesFileError, match=message):
        parse_searches(text)


def test_pick_by_name_any_case_and_say_the_known_names():
    searches = parse_searches(GOOD)
    assert [s.name for s in pick(searches, "LABOUR")] == ["labour"]
    assert pick(searches, None) == searches
    with pytest.raises(SearchesFileError, match=r"no saved search named 'x' .*\(saved searches: labour, brexit\)"):
        pick(searches, "x")


def test_the_example_file_is_valid():
    from tests.conftest import ROOT

    assert parse_searches((ROOT / "searches.toml.example").read_text())
