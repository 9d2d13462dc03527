"""The day's digest figures read from a small hand-made warehouse."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from presswatch.digest import render_markdown
from warehouse.aggregates import rebuild_aggregates
from warehouse.db import open_db, writer
from warehouse.digest import DIGEST_QUERIES, read_day_digest

DAY = date(2024, 3, 5)


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with writer(path) as con:
        articles = [  # id, title, source, tone, ingested
            ("a1", "Talks resume", "AFP", -1.0, datetime(2024, 3, 5, 9)),
            ("a2", "Ceasefire holds", "Reuters", 2.0, datetime(2024, 3, 5, 17)),
            ("a0", "Talks stall", "AFP", -4.0, datetime(2024, 3, 2, 12)),
            ("z9", "Tomorrow's news", "AFP", 0.0, datetime(2024, 3, 6, 1)),
        ]
        for aid, title, source, tone, at in articles:
            con.execute("INSERT INTO articles (article_id, title, source, body, tone, ingested_at, published_at) "
                        "VALUES (?, ?, ?, 'body', ?, ?, ?)", [aid, title, source, tone, at, at.date()])
        # Published long before it came in: the digest's day is the ingest day.
        con.execute("INSERT INTO articles (article_id, title, source, body, tone, ingested_at, published_at) "
                    "VALUES ('old', 'Archive piece', NULL, 'body', 1.0, '2024-03-05 20:00', '2019-01-01')")
        con.execute("INSERT INTO entities VALUES ('e1', 'Antony Blinken', 'PERSON'), ('e2', 'Hamas', 'ORG')")
        mentions = [("a1", "e1", 0.5), ("a1", "e1", 0.3), ("a2", "e1", 0.1), ("a2", "e2", -0.2),
                    ("a0", "e1", -0.5), ("a0", "e1", -0.3), ("z9", "e2", 0.9)]
        for aid, eid, s in mentions:
            con.execute("INSERT INTO mentions (article_id, entity_id, sentiment) VALUES (?, ?, ?)", [aid, eid, s])
        quotes = [("a1", 0, "direct", "Antony Blinken", "e1"), ("a2", 0, "indirect", "Antony Blinken", "e1"),
                  ("a2", 1, "direct", "a spokesman", None)]
        for aid, idx, kind, speaker, eid in quotes:
            con.execute("INSERT INTO quotes (article_id, quote_idx, kind, speaker, speaker_entity_id) "
                        "VALUES (?, ?, ?, ?, ?)", [aid, idx, kind, speaker, eid])
        rebuild_aggregates(con)  # rows written by hand reach the aggregates the digest reads
    return path


def _digest(path, day=DAY, limit=10):
    con = open_db(path, read_only=True)
    try:
        return read_day_digest(con, day, limit)
    finally:
        con.close()


def test_day_figures(warehouse):
    d = _digest(warehouse)
    assert d.articles == 3
    assert d.sources == [{"source": "(unknown)", "articles": 1, "avg_tone": 1.0},
                         {"source": "AFP", "articles": 1, "avg_tone": -1.0},
                         {"source": "Reuters", "articles": 1, "avg_tone": 2.0}]
    assert [t["title"] for t in d.titles] == ["Talks resume", "Ceasefire holds", "Archive piece"]
    assert d.titles[2] == {"title": "Archive piece", "source": "(unknown)", "published_at": date(2019, 1, 1),
                           "tone": 1.0}
    assert [(e["name"], e["mentions"], e["articles"]) for e in d.entities] == \
        [("Antony Blinken", 3, 2), ("Hamas", 1, 1)]
    assert [(s["speaker"], s["quotes"], s["direct_quotes"], s["articles"]) for s in d.speakers] == \
        [("Antony Blinken", 2, 1, 2), ("a spokesman", 1, 1, 1)]
    afp = next(s for s in d.source_tone if s["source"] == "AFP")
    assert afp == {"source": "AFP", "tone_today": -1.0, "tone_before": -4.0, "articles_today": 1, "change": 3.0}
    reuters = next(s for s in d.source_tone if s["source"] == "Reuters")
    assert (reuters["tone_before"], reuters["change"]) == (None, None)
    [blinken] = d.entity_tone
    assert (blinken["name"], blinken["mentions_today"]) == ("Antony Blinken", 3)
    assert blinken["change"] == pytest.approx(0.7, abs=1e-3)


def test_the_limit_applies_to_the_lists(warehouse):
    d = _digest(warehouse, limit=1)
    assert [t["title"] for t in d.titles] == ["Talks resume"]
    assert [e["name"] for e in d.entities] == ["Antony Blinken"]
    assert len(d.sources) == 3 and d.articles == 3  # the sources are never cut


def test_a_quiet_day_has_no_figures(warehouse):
    d = _digest(warehouse, date(2024, 1, 1))
    assert (d.articles, d.sources, d.titles, d.entities, d.speakers, d.source_tone, d.entity_tone) == \
        (0, [], [], [], [], [], [])
    assert "No articles came in on this day." in render_markdown(d)


def test_the_digest_reads_the_day_from_stg_articles():
    # The ingest day is decided in the staging view, not re-derived in each query.
    for path in DIGEST_QUERIES.glob("*.sql"):
        sql = path.read_text()
        # agg_entity_article.ingest_day is stg_articles' ingest_day, taken at load
        assert ("stg_articles" in sql or "agg_entity_article" in sql) and "cast(ingested_at" not in sql, path.name
