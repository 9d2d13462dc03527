import pytest

from presswatch.records import Article
from presswatch.extract.entities import name_key
from presswatch.extract.extraction import extract_articles


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


def test_a_name_after_a_role_noun_is_a_person_in_every_mention(nlp):
    text = ("Skerry Air has ordered 12 aircraft.\n\nManaging director Eilidh MacLeod said the "
            "deal was vital. MacLeod added that routes would grow.")
    people = {m.canonical for m in entities(nlp, text) if m.entity_label == "PERSON"}
    labels = {m.entity_label for m in entities(nlp, text) if "MacLeod" in m.surface}
    assert "Eilidh MacLeod" in people
    assert labels == {"PERSON"}


def test_one_canonical_name_per_person_in_each_seed_article(nlp):
    from presswatch.read.formats import read_file
    from tests.conftest import SEEDS

    articles = [a for p in sorted(SEEDS.iterdir()) if not p.name.startswith("099")
                for a in read_file(p).articles]
    for article, x in zip(articles, extract_articles(nlp, articles)):
        people = {m.canonical for m in x.mentions if m.entity_label == "PERSON"}
        for name in people:
            words = name.split()
            for other in people - {name}:
                ow = other.split()
                assert not (len(ow) > len(words) and (ow[:len(words)] == words or ow[-len(words):] == words)), \
                    f"{name!r} and {other!r} are two entities in {article.source_path}"
