import pytest

from presswatch.records import Article
from presswatch.extract.extraction import extract_articles


def amounts(nlp, text):
    (x,) = extract_articles(nlp, [Article(title=None, body=text)])
    for a in x.amounts:
        assert text[a.start_char : a.end_char] == a.surface
    return [(a.value, a.qualifier, a.object) for a in x.amounts]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The strikes left over 1,000 Palestinians dead.", (1000.0, "over", "Palestinians")),
        ('Officials reported "at least 22" American citizens affected.',
         (22.0, "at least", "American citizens")),
        ("Hamas holds over 100 individuals captive.", (100.0, "over", "individuals")),
        ("The floods displaced 1.5 million people last year.", (1.5e6, None, "people")),
        ("Police arrested two dozen protesters.", (24.0, None, "protesters")),
        ("The blast killed three people.", (3.0, None, "people")),
        ("The fund will lend $5 billion to the region.", (5e9, None, "dollars")),
        ("Prices rose 4.5% in March.", (4.5, None, "percent")),
        ("Unemployment fell to 6 percent in the spring.", (6.0, None, "percent")),
        ("Nearly 300 families fled the fighting.", (300.0, "nearly", "families")),
        ("The army sent more than 5,000 troops.", (5000.0, "more than", "troops")),
    ],
)
def test_amount_rules(nlp, text, expected):
    assert expected in amounts(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The war began on October 7, 2023.",
        "The meeting starts at 10:30 on Tuesday.",
        "She finished first in 1998.",
        "It was the third attempt this month.",
    ],
)
def test_dates_times_ordinals_are_not_amounts(nlp, text):
    assert amounts(nlp, text) == []
