"""Property: any article text gives an Extraction whose spans index the body, never an
exception out of the NLP stage; one bad article never fails its batch."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presswatch.config import Settings
from presswatch.records import Article
from presswatch.extract import extraction as extract_mod
from presswatch.extract.workers import MAX_NLP_CHARS, extract_all

MODEL = Settings.load().model

WORDS = st.sampled_from([
    "Blinken", "said", '"', "“", "”", "'", "the", "over", "1,000", "$5", "million", "Hamas", "on",
    "Tuesday", "12", "October", "2023", "-", "—", ".", ",", "\n\n", "U.N.", "Mr.", "according", "to",
    "AFP", "(", ")", "%", "€", "at least", "people", "killed", "told", "reporters", "…", "🚀", "\u200b",
    "e.g.", "said:", "", " ", "\t", "ß", "İ", "ﬁ", "\u0301",
])
TEXTS = st.one_of(
    st.lists(WORDS, min_size=1, max_size=120).map(" ".join),
    st.text(min_size=1, max_size=600),
).filter(lambda t: t.strip())


def _check(article: Article, ex) -> None:
    assert ex.article_id == article.article_id
    if ex.error is not None:
        return
    n = len(article.body)
    for s in ex.sentences:
        assert 0 <= s.start_char < s.end_char <= n
    for m in ex.mentions:
        assert 0 <= m.start_char < m.end_char <= n
        assert article.body[m.start_char:m.end_char] == m.surface
    for q in ex.quotes:
        assert 0 <= q.start_char <= q.end_char <= n
    for a in ex.amounts:
        assert 0 <= a.start_char <= a.end_char <= n


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(TEXTS, min_size=1, max_size=4),
       published=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31))),
       language=st.sampled_from([None, "en", "und", "fr"]))
def test_any_text_gives_an_extraction_per_article(bodies, published, language):
    articles = [Article(title=None, body=b, published_at=published, language=language) for b in bodies]
    extractions = extract_all(articles, model=MODEL, workers=0)
    assert len(extractions) == len(articles)
    for article, ex in zip(articles, extractions):
        assert ex.error is None, ex.error
        _check(article, ex)
        if language == "fr":
            assert ex.mentions == [] and ex.quotes == []


def test_one_failing_article_does_not_fail_its_batch(monkeypatch):
    real = extract_mod.extract_doc

    def flaky(doc, article):
        if "EXPLODE" in article.body:
            raise ValueError("cannot cope")
        return real(doc, article)

    monkeypatch.setattr(extract_mod, "extract_doc", flaky)
    articles = [Article(None, "Blinken said on Tuesday that aid would flow."),
                Article(None, "EXPLODE went the story."),
                Article(None, "Hamas said over 1,000 people were killed.")]
    first, bad, last = extract_all(articles, model=MODEL, workers=0)  # in-process: sees the patch
    assert bad.error == "nlp failed: ValueError: cannot cope"
    assert first.error is None and last.error is None and first.sentences and last.mentions


def test_an_article_too_long_for_the_model_fails_alone_with_the_reason():
    long = Article(None, "flood " * (MAX_NLP_CHARS // 6 + 10))
    short = Article(None, "Officials in Lima said the river rose.")
    too_long, ok = extract_all([long, short], model=MODEL, workers=0)
    assert too_long.error == f"article too long for NLP: {len(long.body):,} chars > limit {MAX_NLP_CHARS:,}"
    assert ok.error is None and ok.sentences


@pytest.mark.parametrize("language", ["fr", "de", "ru", "zh"])
def test_non_english_articles_get_no_english_entities(language):
    [ex] = extract_all([Article(None, "Emmanuel Macron a déclaré mardi à Paris.", language=language)],
                       model=MODEL, workers=0)
    assert ex.error is None and ex.mentions == [] and ex.quotes == [] and ex.amounts == []
