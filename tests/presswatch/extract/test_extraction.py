"""The seed article end to end, on the real model."""

from datetime import date

import pytest

from presswatch.read.formats import read_file
from presswatch.records import Article
from presswatch.extract.extraction import extract_articles, extract_doc

from tests.conftest import SEED_ARTICLE


def read_seed() -> Article:
    result = read_file(SEED_ARTICLE)
    assert result.problems == []
    (article,) = result.articles
    assert article.published_at == date(2023, 10, 12) and article.repeated_paragraphs == 1
    return article


@pytest.fixture(scope="module")
def seed(nlp):
    article = read_seed()
    (x,) = extract_articles(nlp, [article])
    return article, x


def test_offsets_index_the_body(seed):
    article, x = seed
    body = article.body
    assert [s.sentence_idx for s in x.sentences] == list(range(len(x.sentences)))
    for s in x.sentences:
        assert body[s.start_char : s.end_char].strip() == body[s.start_char : s.end_char]
    for m in x.mentions:
        assert body[m.start_char : m.end_char] == m.surface
        s = x.sentences[m.sentence_idx]
        assert s.start_char <= m.start_char < s.end_char
    for q in x.quotes:
        assert body[q.start_char : q.end_char] == q.text
    for a in x.amounts:
        assert body[a.start_char : a.end_char] == a.surface


def test_one_blinken(seed):
    _, x = seed
    blinken = [m for m in x.mentions if "Blinken" in m.surface]
    assert len(blinken) >= 9
    assert {(m.canonical, m.entity_label) for m in blinken} == {("Antony Blinken", "PERSON")}
    named = {(m.canonical, m.entity_label) for m in x.mentions if "Blinken" in m.canonical}
    assert named == {("Antony Blinken", "PERSON")}


def test_canonical_names(seed):
    _, x = seed
    canon = {m.surface: m.canonical for m in x.mentions}
    assert canon["Netanyahu"] == "Benjamin Netanyahu"
    assert canon["Biden"] == "Joe Biden"
    assert "European Union" in canon.values()
    assert not any(c.startswith(("the ", "The ")) or c.endswith("'s") for c in canon.values())


def test_blinken_quotes(seed):
    _, x = seed
    direct = {q.text.strip(' ,'): q for q in x.quotes if q.kind == "direct"}
    first = ("The United States has Israel's back. We have their back today, tomorrow - "
             "we will have it every day")
    second = "We're determined to make sure Israel gets everything it needs to defend itself."
    for text in (first, second):
        q = direct[text]
        assert (q.speaker, q.speaker_label) == ("Antony Blinken", "PERSON")
    assert direct[first].verb == "affirmed"
    # Scare quotes are not quotes.
    assert not any(len(t.split()) < 4 for t in direct)


def test_amounts(seed):
    _, x = seed
    got = {(a.value, a.qualifier, a.object) for a in x.amounts}
    assert {(1000.0, "over", "Palestinians"), (22.0, "at least", "American citizens"),
            (100.0, "over", "individuals")} <= got


def test_pipe_once_in_order(nlp):
    bodies = ["Angela Merkel visited Paris.", "Emmanuel Macron met Olaf Scholz in Berlin."]
    xs = extract_articles(nlp, [Article(title=None, body=b) for b in bodies], batch_size=1)
    assert [x.article_id for x in xs] == [Article(None, b).article_id for b in bodies]
    assert {m.canonical for m in xs[1].mentions} >= {"Emmanuel Macron", "Berlin"}


def test_extract_doc_is_pure(nlp):
    article = Article(title=None, body="Angela Merkel visited Paris.")
    doc = nlp(article.body)
    assert extract_doc(doc, article) == extract_doc(doc, article)


def test_dates_and_themes(seed):
    _, x = seed
    assert ("October 7", date(2023, 10, 7)) in {(d.surface, d.resolved) for d in x.dates}
    themes = [t.theme for t in x.themes]
    assert "conflict" in themes[:3] and "diplomacy" in themes
