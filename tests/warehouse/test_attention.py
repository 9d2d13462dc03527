"""Attention views and the report's reads on a small hand-made warehouse: counts, shares of the
day's articles (in total, per source, per language), themes, tone with its volume."""

from __future__ import annotations

from datetime import date

import pytest

from presswatch.monitor.rules import SpikeRules
from warehouse.aggregates import rebuild_aggregates
from warehouse.db import open_db, writer
from warehouse.reports import read_report

D1, D2 = date(2024, 3, 4), date(2024, 3, 5)
# id, day, source, language, entities, themes
ARTICLES = [
    ("a1", D1, "AFP", "en", ["boe"], ["economy"]),
    ("a2", D1, "AFP", "en", [], []),
    ("a3", D1, "BBC", "fr", ["boe", "ecb"], ["economy"]),
    ("a4", D1, "BBC", "en", [], []),
    ("b1", D2, "AFP", "en", ["boe"], []),
    ("b2", D2, None, "en", ["ecb"], ["economy"]),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("attention") / "w.duckdb"
    with writer(path) as con:
        con.execute("INSERT INTO entities VALUES ('boe', 'Bank of England', 'ORG'), ('ecb', 'ECB', 'ORG')")
        for aid, day, source, language, entities, themes in ARTICLES:
            con.execute("INSERT INTO articles (article_id, title, source, language, body, tone, published_at, "
                        "ingested_at) VALUES (?, ?, ?, ?, 'body', ?, ?, ?)",
                        [aid, f"title {aid}", source, language, 1.0 if aid < "b" else -1.0, day, day])
            for i, eid in enumerate(entities):
                for j in range(2):  # two mentions each
                    con.execute("INSERT INTO mentions (article_id, entity_id, sentence_idx, start_char, sentiment) "
                                "VALUES (?, ?, ?, ?, ?)", [aid, eid, j, 10 * i + j, 0.5 if eid == "boe" else -0.5])
            for theme in themes:
                con.execute("INSERT INTO article_themes VALUES (?, ?, 2, 4.0)", [aid, theme])
        con.execute("INSERT INTO quotes (article_id, quote_idx, kind, text, speaker, speaker_entity_id) VALUES "
                    "('a1', 0, 'direct', 'q', 'Andrew Bailey', NULL), ('a2', 0, 'direct', 'q', 'Someone', NULL)")
        rebuild_aggregates(con)
    return path


def _rows(path, sql):
    con = open_db(path, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_an_entitys_share_of_the_days_articles(warehouse):
    assert _rows(warehouse, "SELECT day, articles, day_articles, share, mentions FROM entity_attention_daily "
                            "WHERE name = 'Bank of England' ORDER BY day") == [(D1, 2, 4, 0.5, 4), (D2, 1, 2, 0.5, 2)]


def test_by_source_and_by_language_divide_by_their_own_totals(warehouse):
    assert _rows(warehouse, "SELECT day, source, articles, source_articles, share FROM entity_attention_by_source "
                            "WHERE entity_id = 'ecb' ORDER BY day") == [(D1, "BBC", 1, 2, 0.5),
                                                                        (D2, "(unknown)", 1, 1, 1.0)]
    assert _rows(warehouse, "SELECT day, language, articles, language_articles, share FROM "
                            "entity_attention_by_language WHERE entity_id = 'boe' ORDER BY day, language") == \
        [(D1, "en", 1, 3, 0.3333), (D1, "fr", 1, 1, 1.0), (D2, "en", 1, 2, 0.5)]


def test_themes(warehouse):
    assert _rows(warehouse, "SELECT day, articles, day_articles, share, avg_tone FROM theme_attention_daily "
                            "WHERE theme = 'economy' ORDER BY day") == [(D1, 2, 4, 0.5, 1.0), (D2, 1, 2, 0.5, -1.0)]
    assert _rows(warehouse, "SELECT source, articles, source_articles FROM theme_attention_by_source "
                            "WHERE theme = 'economy' AND day = DATE '2024-03-04' ORDER BY source") == \
        [("AFP", 1, 2), ("BBC", 1, 2)]
    assert _rows(warehouse, "SELECT language, share FROM theme_attention_by_language "
                            "WHERE theme = 'economy' AND day = DATE '2024-03-04' ORDER BY language") == \
        [("en", 0.3333), ("fr", 1.0)]


def test_tone_comes_with_its_volume(warehouse):
    assert _rows(warehouse, "SELECT day, articles, avg_sentiment, sentiment_7d, articles_7d, thin FROM "
                            "entity_tone_daily WHERE name = 'ECB' ORDER BY day") == \
        [(D1, 1, -0.5, -0.5, 1, True), (D2, 1, -0.5, -0.5, 2, True)]


def test_the_report_reads_the_period_and_the_entity(warehouse):
    con = open_db(warehouse, read_only=True)
    try:
        r = read_report(con, D1, D2, rules=SpikeRules())
        boe = read_report(con, D1, D1, entity="bank of england")
    finally:
        con.close()
    assert (r.articles, r.sources, r.days) == (6, 3, 2)
    assert {(a["name"], a["day"], a["share"]) for a in r.figures.attention} == \
        {("Bank of England", D1, 0.5), ("Bank of England", D2, 0.5), ("ECB", D1, 0.25), ("ECB", D2, 0.5)}
    assert [(s["name"], s["mentions"], s["share"]) for s in r.figures.share_of_voice] == \
        [("Bank of England", 6, 0.6), ("ECB", 4, 0.4)]
    assert [(t["name"], t["articles"], t["avg_sentiment"]) for t in r.figures.tone] == \
        [("Bank of England", 3, 0.5), ("ECB", 2, -0.5)]
    assert [s["speaker"] for s in r.figures.speakers] == ["Andrew Bailey", "Someone"]
    assert [t["title"] for t in r.titles][:2] == ["title b1", "title b2"]  # newest first
    # One entity: its attention, and only the speakers of its articles.
    assert [(a["name"], a["articles"]) for a in boe.figures.attention] == [("Bank of England", 2)]
    assert [s["speaker"] for s in boe.figures.speakers] == ["Andrew Bailey"]
    assert sorted(t["title"] for t in boe.titles) == ["title a1", "title a3"]
