import pytest

from presswatch.models import Article
from presswatch.nlp.entities import name_key
from presswatch.nlp.extract import extract_articles


def entities(nlp, text):
    (x,) = extract_articles(nlp, [Article(title=None, body=text)])
    for m in x.mentions:
        assert text[m.start_char : m.end_char] == m.surface
    return x.mentions


@pytest.mark.parametrize(
    "text, surface, canonical, label",
    [
        ("Prime Minister Benjamin Netanyahu spoke on Sunday. Later Netanyahu left.",
         "Netanyahu", "Benjamin Netanyahu", "PERSON"),
        ("President Joe Biden met aides. Biden then flew home.", "Biden", "Joe Biden", "PERSON"),
        ("Officials welcomed the European Union's decision on aid.",
         "European Union", "European Union", "ORG"),
        ("Antony Blinken flew to Israel. Blinken's visit was short.",
         "Blinken", "Antony Blinken", "PERSON"),
        ("The talks with the US ended. The United States said little.", "US", "United States", "GPE"),
    ],
)
def test_short_forms_join_their_full_name(nlp, text, surface, canonical, label):
    hits = [m for m in entities(nlp, text) if m.surface == surface]
    assert hits, surface
    assert {(m.canonical, m.entity_label) for m in hits} == {(canonical, label)}


def test_possessive_apostrophe_stripped(nlp):
    mentions = entities(nlp, "The fighters were released from Hamas' custody by the Red Cross.")
    assert "Hamas" in {m.canonical for m in mentions}


def test_titles_are_not_part_of_the_name(nlp):
    mentions = entities(nlp, "Secretary of State Antony Blinken arrived in Tel Aviv on Thursday.")
    assert "Antony Blinken" in {m.canonical for m in mentions}


def test_whitespace_normalized():
    assert name_key("Antony\n  Blinken ") == "Antony Blinken"
    assert name_key("U.S.") == "US"
