"""Clean entity names within one article (issue 13): no HTML entity, no leading title, no job-title
word as an entity, no word prefix as a NORP, short variants joined to the article's longest form."""

from presswatch.read.plaintext import read_plain_text
from presswatch.records import Article
from presswatch.extract.extraction import extract_articles


def mentions(nlp, text):
    (x,) = extract_articles(nlp, [Article(title=None, body=text)])
    return x.mentions


def names(nlp, text):
    return {(m.canonical, m.entity_label) for m in mentions(nlp, text)}


def test_character_references_are_decoded_by_the_plain_text_reader(nlp):
    # BBC News text files carry "&#191;" for a lost apostrophe and "&#233;" for é.
    text = ("Labour row over poster\n\nCollins said: \"Mr Blair&#191;s government has failed.\" "
            "Tony Blair met Jos&#233; Mourinho at a caf&#233; in London.\n")
    (article,) = read_plain_text(text, [])
    assert "&#" not in article.body and "Blair’s" in article.body and "José" in article.body
    (x,) = extract_articles(nlp, [article])
    assert not any("&" in m.canonical or "¿" in m.canonical for m in x.mentions)
    assert ("Tony Blair", "PERSON") in {(m.canonical, m.entity_label) for m in x.mentions}


def test_plain_ampersands_stay():
    (article,) = read_plain_text("AT&T and R&D\n\nAT&T said R&D spending rose &c.\n", [])
    assert "AT&T" in article.body and "R&D" in article.body


def test_an_honorific_makes_a_person_without_the_title(nlp):
    found = mentions(nlp, "Mr Blair said the plan would work. Critics said Mr Blair was wrong.")
    blair = [m for m in found if "Blair" in m.surface]
    assert blair and {(m.canonical, m.entity_label) for m in blair} == {("Blair", "PERSON")}


def test_secretary_of_state_is_a_title_not_an_entity(nlp):
    got = names(nlp, "US Secretary of State Antony Blinken met Secretary of State Lord Cameron in London.")
    assert not any(name == "State" for name, _ in got)
    assert ("Antony Blinken", "PERSON") in got


def test_a_prefix_before_a_hyphen_is_not_a_norp(nlp):
    got = names(nlp, "Iran backs Hamas and other anti-Israel factions, officials said.")
    assert not any(name.lower() in ("anti", "pro") for name, _ in got)


def test_short_forms_join_the_longest_form_in_the_article(nlp):
    text = ("The US State Department said the Gaza Strip was closed. A State Department "
            "spokesperson said aid to Gaza would resume. Palestinians welcomed it; a Palestinian "
            "official said Palestinian families were waiting.")
    got = names(nlp, text)
    assert ("US State Department", "ORG") in got and ("State Department", "ORG") not in got
    assert ("Gaza Strip", "GPE") in got and ("Gaza", "GPE") not in got
    norp = {name for name, label in got if label == "NORP" and name.startswith("Palestinian")}
    assert norp == {"Palestinian"}


def test_different_places_sharing_a_word_stay_apart(nlp):
    # "Manchester" (a city) is not "Manchester United" (a club): labels differ, no join.
    got = names(nlp, "Manchester United won in Manchester on Saturday before a crowd of 70,000.")
    assert ("Manchester", "GPE") in got
