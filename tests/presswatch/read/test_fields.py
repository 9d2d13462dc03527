"""Dates that are not an article's day: placeholders, imprecise and future dates."""

from __future__ import annotations

from datetime import date

import pytest

from presswatch.read.fields import make_article, read_date

TODAY = date(2026, 12, 4)

NOT_A_DAY = {
    "epoch zero": (0, "epoch '0' is a missing date"),
    "negative epoch": (-1, "epoch '-1' is a missing date"),
    "epoch zero as a float": (0.0, "epoch '0.0' is a missing date"),
    "a year as a number": (2024, "not a timestamp"),
    "YYYYMM as a number": (202603, "not a timestamp"),  # was 1970-01-03
    "epoch zero as ISO": ("1970-01-01T00:00:00Z", "is the epoch's zero"),
    "epoch zero at UTC-5": ("1969-12-31T19:00:00-05:00", "is the epoch's zero"),
    "epoch zero as RFC 822": ("Thu, 01 Jan 1970 00:00:00 GMT", "is the epoch's zero"),
    "year only": ("2026", "has no day"),
    "month only": ("2026-03", "has no day"),
    "month name only": ("March 2026", "has no day"),
    "2062 for 2026": ("2062-03-01", "is in the future"),
    "epoch in 2059": (2840000000, "is in the future"),
}


@pytest.mark.parametrize(("value", "why"), NOT_A_DAY.values(), ids=NOT_A_DAY)
def test_dates_that_are_not_a_day(value, why):
    found, reason = read_date(value, TODAY)
    assert found is None
    assert why in reason


DAYS = {
    "UTC+14 writer, ahead of UTC": ("2026-12-05T08:00:00+14:00", date(2026, 12, 5)),
    "UTC-12 writer": ("2026-12-04T23:30:00-12:00", date(2026, 12, 4)),
    "named zone": ("Fri, 04 Dec 2026 22:00:00 EST", date(2026, 12, 4)),
    "leap day": ("2024-02-29", date(2024, 2, 29)),
    "epoch seconds": (1709251200, date(2024, 3, 1)),
    "epoch ms": (1709251200000, date(2024, 3, 1)),
    "day, month name and year": ("1 March 2026", date(2026, 3, 1)),
    "1900": ("1900-01-01", date(1900, 1, 1)),
    "GDELT SQLDATE": (20150218, date(2015, 2, 18)),  # was epoch seconds: 1970-08-22
    "GDELT DATE": (20150218230000, date(2015, 2, 18)),
    "GDELT DATE as text": ("20150218230000", date(2015, 2, 18)),
}


@pytest.mark.parametrize(("value", "expected"), DAYS.values(), ids=DAYS)
def test_days_kept(value, expected):
    assert read_date(value, TODAY) == (expected, None)


def test_a_date_not_taken_is_noted_and_left_to_the_ingest_day():
    problems: list[str] = []
    article = make_article(["The council approved the budget on Tuesday after a long debate about housing."],
                           published=0, problems=problems, where="line 3: ")
    assert article.published_at is None
    assert problems == ["line 3: epoch '0' is a missing date or not a timestamp, not taken as the day"]
