"""Wire credits: the forms agencies sign with, and the mentions that are not credits."""

from __future__ import annotations

import pytest

from presswatch.dedup.wire import AgencyFileError, WireDetector, load_agencies


@pytest.fixture(scope="module")
def wire():
    return WireDetector(load_agencies())


@pytest.mark.parametrize("body, authors, agency, where", [
    ("PARIS, Jan 5 (Reuters) - The French government said...", None, "Reuters", "lead"),
    ("CAPE CANAVERAL, Fla, Feb 26 (Reuters) - An unmanned rocket...", None, "Reuters", "lead"),
    ("AFP - Le président a dit...", None, "AFP", "lead"),
    ("WASHINGTON (AP) — The Senate voted...", None, "AP", "lead"),
    ("Berlin (dpa) - Die Regierung...", None, "dpa", "lead"),
    ("LONDON, PA - Police said...", None, "PA", "lead"),
    ("Story text.\nMore text.\nThe end.\n-- dpa", None, "dpa", "tail"),
    ("Story text.\nMore text.\nThe end.\n© AFP 2024", None, "AFP", "tail"),
    ("Story text.\nMore text.\nThe end.\n Reuter", None, "Reuters", "tail"),
    ("Story.\nMore.\nEnd.\n(Reporting by Jane Doe; Editing by Bob Smith)", None, "Reuters", "tail"),
    ("Story text.", "By Bloomberg", "Bloomberg", "byline"),
    ("Story text.", "Jane Doe; AFP", "AFP", "byline"),
])
def test_credits_are_found(wire, body, authors, agency, where):
    c = wire.credit(body, authors)
    assert c is not None and (c.agency, c.where) == (agency, where)


@pytest.mark.parametrize("body, authors", [
    ("Reuters said on Monday that it would cut jobs.", None),
    ("The AP reported the result first.\nSecond line.\nThird line.", None),
    ("Pittsburgh (PA) is a city in Pennsylvania.", None),
    ("A one-line story (AFP)", None),  # the tail of a one-line text is its lead: not a tail credit
    ("Story text.", "Jane Doe"),
])
def test_mentions_are_not_credits(wire, body, authors):
    assert wire.credit(body, authors) is None


def test_a_source_that_is_an_agency_credits_it(wire):
    c = wire.credit("US Secretary of State Antony Blinken is en route to Israel.", None, "AFP")
    assert c is not None and (c.agency, c.where) == ("AFP", "source")
    assert wire.credit("Text.", None, "Harbour City Herald") is None


def test_user_file_adds_and_replaces_agencies(tmp_path):
    extra = tmp_path / "agencies.toml"
    extra.write_text('[[agency]]\nname = "Local Wire"\ncredits = ["LW"]\n\n'
                     '[[agency]]\nname = "AFP"\ncredits = ["Agence France-Presse"]\n')
    agencies = {a.name: a for a in load_agencies(extra)}
    assert agencies["Local Wire"].credits == ("LW",) and agencies["AFP"].credits == ("Agence France-Presse",)
    w = WireDetector(tuple(agencies.values()))
    assert w.credit("OSLO (LW) - Text.").agency == "Local Wire"
    assert w.credit("PARIS (AFP) - Text.") is None  # the user's AFP entry replaced the shipped credits


@pytest.mark.parametrize("text, says", [
    ("[[agency]]\nname = 'X'\n", "needs a name"),
    ("[[agency]]\nname = 'X'\ncredits = ['X']\nsignoffs = ['(unclosed']\n", "bad signoff regex"),
    ("[[agency", "wire agencies file"),
    # these were an AttributeError traceback, or dropped silently
    ("agency = ['AFP']\n", r"\[\[agency\]\] #1 is not a table"),
    ("[agency]\nname = 'X'\ncredits = ['X']\n", r"agencies are \[\[agency\]\] tables"),
    ("[[agencies]]\nname = 'X'\ncredits = ['X']\n", "found agencies"),
    ("[[agency]]\nname = 'X'\ncredits = ['X']\nsignoff = ['^By X$']\n", "unknown key.s. signoff"),
    ("[[agency]]\nname = 'X'\ncredits = ['X']\n[[agency]]\nname = 'X'\ncredits = ['Y']\n",
     r"#2 repeats the name 'X' of \[\[agency\]\] #1"),
])
def test_bad_user_file_is_a_clear_error(tmp_path, text, says):
    extra = tmp_path / "agencies.toml"
    extra.write_text(text)
    with pytest.raises(AgencyFileError, match=says):
        load_agencies(extra)
