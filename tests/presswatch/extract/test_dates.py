from datetime import date

import pytest

from presswatch.records import Article
from presswatch.extract.dates import resolve
from presswatch.extract.extraction import extract_articles

PUBLISHED = date(2023, 10, 12)  # a Thursday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("October 7", date(2023, 10, 7)),
        ("Oct. 7, 2022", date(2022, 10, 7)),
        ("7 October", date(2023, 10, 7)),
        ("the 7th of October", date(2023, 10, 7)),
        ("December 30", date(2023, 12, 30)),  # no year: the reading nearest publication
        ("today", PUBLISHED),
        ("yesterday", date(2023, 10, 11)),
        ("Monday", date(2023, 10, 9)),
        ("Thursday", PUBLISHED),
        ("last Thursday", date(2023, 10, 5)),
        ("next Monday", date(2023, 10, 16)),
        ("2023-10-07", date(2023, 10, 7)),
        ("last week", None),
        ("the 1990s", None),
        ("February 30", None),
    ],
)
def test_resolve(text, expected):
    assert resolve(text, PUBLISHED) == expected


def test_year_less_date_near_new_year():
    assert resolve("December 30", date(2024, 1, 3)) == date(2023, 12, 30)


def test_no_publication_date_resolves_only_absolute_dates():
    assert resolve("today", None) is None
    assert resolve("October 7, 2023", None) == date(2023, 10, 7)


def test_dates_in_article(nlp):
    body = "Hamas attacked on October 7. Talks resume today."
    (x,) = extract_articles(nlp, [Article(None, body, published_at=PUBLISHED)])
    got = {(d.surface, d.resolved) for d in x.dates}
    assert {("October 7", date(2023, 10, 7)), ("today", PUBLISHED)} <= got
    assert all(body[d.start_char : d.end_char] == d.surface for d in x.dates)
