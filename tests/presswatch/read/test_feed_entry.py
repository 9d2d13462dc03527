"""A feed entry's date: the writer's day, not feedparser's UTC form or misreading."""

from __future__ import annotations

from datetime import date

import feedparser
import pytest

from presswatch.read.feed_entry import entry_fields
from presswatch.read.fields import parse_date


def _entry(pub_date: str):
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
           f'<description>y</description><pubDate>{pub_date}</pubDate></item></channel></rss>')
    return feedparser.parse(rss).entries[0]


@pytest.mark.parametrize(("written", "day"), [
    ("2026/03/15 10:00:00 -0500", date(2026, 3, 15)),  # feedparser: 2026-12-01
    ("2026/03/01", date(2026, 3, 1)),
    ("Sun, 01 Mar 2026 23:30:00 EST", date(2026, 3, 1)),  # RFC 822 as before
])
def test_the_date_is_the_one_written(written, day):
    assert parse_date(entry_fields(_entry(written)).published_at) == day
