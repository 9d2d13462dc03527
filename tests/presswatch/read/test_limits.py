"""Untrusted sizes: title, source, url and authors are cut to their limits, with a note."""

from __future__ import annotations

from presswatch.read.fields import make_article
from presswatch.read.limits import FIELD_LIMITS, cap_fields
from presswatch.records import Article

BODY = ["The harbour reopened on Monday after the storm, port officials said in a statement."]


def test_a_five_megabyte_title_is_cut_with_a_note():
    problems: list[str] = []
    article = make_article(BODY, title="T" * 5_000_000, source="S" * 300, url="http://x/" + "u" * 3000,
                           problems=problems, where="record 3: ")
    assert len(article.title) == FIELD_LIMITS["title"] == 1_000
    assert len(article.source) == FIELD_LIMITS["source"]
    assert len(article.url) == FIELD_LIMITS["url"]
    assert "record 3: title cut from 5,000,000 to 1,000 chars" in problems
    assert "record 3: source cut from 300 to 200 chars" in problems
    assert any(p.startswith("record 3: url cut from 3,009 to 2,048") for p in problems)


def test_short_fields_are_left_alone():
    problems: list[str] = []
    article = make_article(BODY, title="Harbour reopens", source="AFP", problems=problems)
    assert (article.title, article.source) == ("Harbour reopens", "AFP")
    assert problems == []


def test_authors_are_capped_too():
    article = Article(title=None, body="b")
    article.authors = "A" * 5_000
    problems: list[str] = []
    cap_fields(article, problems)
    assert len(article.authors) == 1_000 and problems == ["authors cut from 5,000 to 1,000 chars"]
