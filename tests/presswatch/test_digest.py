"""The day's digest over a small hand-made warehouse."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from presswatch.digest import day_digest, default_day, render_markdown, table_rows
from warehouse.db import open_db, writer

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
    return path


def _digest(path, day=DAY):
    con = open_db(path, read_only=True)
    try:
        return day_digest(con, day)
    finally:
        con.close()


def test_day_figures(warehouse):
    d = _digest(warehouse)
    assert d.articles == 2
    assert {s["source"]: s["articles"] for s in d.sources} == {"AFP": 1, "Reuters": 1}
    assert [t["title"] for t in d.titles] == ["Talks resume", "Ceasefire holds"]
    assert [(e["name"], e["mentions"]) for e in d.entities] == [("Antony Blinken", 3), ("Hamas", 1)]
    assert [(s["speaker"], s["quotes"], s["direct_quotes"]) for s in d.speakers][0] == ("Antony Blinken", 2, 1)
    afp = next(s for s in d.source_tone if s["source"] == "AFP")
    assert (afp["tone_today"], afp["tone_before"], afp["change"]) == (-1.0, -4.0, 3.0)
    [blinken] = d.entity_tone
    assert blinken["name"] == "Antony Blinken" and blinken["change"] == pytest.approx(0.7, abs=1e-3)


def test_markdown_and_table(warehouse):
    d = _digest(warehouse)
    text = render_markdown(d)
    assert text.startswith("# presswatch digest for Tuesday 05 March 2024 (UTC)")
    assert "**2 article(s) in** from 2 source(s)" in text
    assert "## Most-quoted speakers" in text and "| Antony Blinken | 2 | 1 | 2 |" in text
    rows = table_rows(d)
    assert rows[0] == {"section": "articles in", "item": "2024-03-05", "value": 2}
    assert {"section": "tone change", "item": "AFP", "value": 3.0} in rows


def test_a_quiet_day_says_so(warehouse):
    d = _digest(warehouse, date(2024, 1, 1))
    assert d.articles == 0
    assert "No articles came in on this day." in render_markdown(d)


def test_default_day_is_today_in_utc():
    from datetime import timezone

    assert default_day(datetime(2024, 3, 5, 23, 30, tzinfo=timezone.utc)) == DAY
