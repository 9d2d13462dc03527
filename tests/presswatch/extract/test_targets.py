"""References that are not named mentions (issue 15): pronouns, roles, groups, lower-case forms."""

from presswatch.extract.extraction import extract_doc
from presswatch.records import Article


def _refs(nlp, text):
    ex = extract_doc(nlp(text), Article(title=None, body=text))
    return ex, {(r.kind, r.surface, r.name) for r in ex.refs}


def test_pronoun_resolves_to_the_nearest_person(nlp):
    ex, refs = _refs(nlp, "Angela Merkel arrived in Paris on Monday. She said the talks went well.")
    assert ("pronoun", "She", "Angela Merkel") in refs
    assert all(m.surface != "She" for m in ex.mentions)  # not a mention: entity counts unchanged


def test_pronoun_before_its_person_in_one_sentence(nlp):
    _, refs = _refs(nlp, "After he won the vote, Boris Johnson thanked his supporters.")
    assert ("pronoun", "he", "Boris Johnson") in refs


def test_role_links_to_the_titled_person(nlp):
    _, refs = _refs(nlp, "President Joe Biden met reporters. Later the president signed the bill.")
    assert ("role", "the president", "Joe Biden") in refs


def test_company_links_to_the_nearest_org(nlp):
    _, refs = _refs(nlp, "Shares in Tesco rose on Tuesday. The company said sales grew.")
    assert any(k == "role" and s.lower() == "the company" and n == "Tesco" for k, s, n in refs)


def test_group_of_an_entity(nlp):
    _, refs = _refs(nlp, "Trump supporters gathered outside the court in Miami.")
    assert ("group", "Trump supporters", "Trump supporters") in refs


def test_lower_case_form_of_a_tagged_name(nlp):
    text = "Nigel Farage spoke in Kent. Critics said farage's plan would fail."
    _, refs = _refs(nlp, text)
    assert ("lower", "farage", "Nigel Farage") in refs


def test_no_person_no_pronoun_ref(nlp):
    _, refs = _refs(nlp, "He said the weather would improve by Friday.")
    assert not [r for r in refs if r[0] == "pronoun"]


def test_group_whose_modifier_is_a_mention(nlp):
    ex, refs = _refs(nlp, "Republican senators blocked the bill on Thursday.")
    assert ("group", "Republican senators", "Republican senators") in refs
