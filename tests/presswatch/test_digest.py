"""Rendering the day's digest (the figures themselves are read in tests/warehouse/test_digest.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from presswatch.digest import DayDigest, default_day, render_markdown, table_rows

DAY = date(2024, 3, 5)


def _digest() -> DayDigest:
    return DayDigest(
        day=DAY, articles=2,
        sources=[{"source": "AFP", "articles": 1, "avg_tone": -1.0},
                 {"source": "Reuters", "articles": 1, "avg_tone": 2.0}],
        titles=[{"title": "Talks resume", "source": "AFP", "published_at": DAY, "tone": -1.0},
                {"title": "Ceasefire | holds", "source": "Reuters", "published_at": None, "tone": 2.0}],
        entities=[{"name": "Antony Blinken", "label": "PERSON", "mentions": 3, "articles": 2,
                   "avg_sentiment": 0.3}],
        speakers=[{"speaker": "Antony Blinken", "quotes": 2, "direct_quotes": 1, "mixed_quotes": 0, "articles": 2}],
        source_tone=[{"source": "AFP", "articles_today": 1, "tone_today": -1.0, "tone_before": -4.0,
                      "change": 3.0},
                     {"source": "Reuters", "articles_today": 1, "tone_today": 2.0, "tone_before": None,
                      "change": None}],
        entity_tone=[{"name": "Antony Blinken", "label": "PERSON", "mentions_today": 3,
                      "sentiment_today": 0.3, "sentiment_before": -0.4, "change": 0.7}],
    )


def test_markdown():
    text = render_markdown(_digest())
    assert text.startswith("# presswatch digest for Tuesday 05 March 2024 (UTC)")
    assert "**2 article(s) in** from 2 source(s): AFP (1), Reuters (1)" in text
    assert "## Most-quoted speakers" in text and "| Antony Blinken | 2 | 1 | 0 | 2 |" in text
    assert "| Ceasefire \\| holds | Reuters | – | 2.0 |" in text  # pipes escaped, None as a dash
    assert "| Antony Blinken | PERSON | 3 | 0.3 | -0.4 | 0.7 |" in text


def test_table_rows():
    rows = table_rows(_digest())
    assert rows[0] == {"section": "articles in", "item": "2024-03-05", "value": 2}
    assert {"section": "tone change", "item": "AFP", "value": 3.0} in rows
    assert not any(r["section"] == "tone change" and r["item"] == "Reuters" for r in rows)  # no history
    assert {"section": "entity mentions", "item": "Antony Blinken (PERSON)", "value": 3} in rows
    assert {"section": "sentiment change", "item": "Antony Blinken", "value": 0.7} in rows


def test_a_quiet_day_says_so():
    text = render_markdown(DayDigest(day=date(2024, 1, 1)))
    assert "No articles came in on this day." in text
    assert "## Articles" not in text


def test_an_entity_without_history_says_so():
    d = _digest()
    d.entity_tone = []
    assert "No entity with enough history to compare." in render_markdown(d)


def test_default_day_is_today_in_utc():
    assert default_day(datetime(2024, 3, 5, 23, 30, tzinfo=timezone.utc)) == DAY
    # 01:30 in UTC+3 is still the day before in UTC.
    assert default_day(datetime(2024, 3, 6, 1, 30, tzinfo=timezone(timedelta(hours=3)))) == DAY


def test_web_text_in_the_digest_is_escaped_and_capped():
    d = _digest()
    d.titles = [{"title": "Hi\n## Owned [click](javascript:alert(1)) <script>x</script>" + "T" * 5_000_000,
                 "source": "Evil | Source", "published_at": DAY, "tone": 1.0}]
    d.sources = [{"source": "*Bold* <b>", "articles": 1}]
    text = render_markdown(d)
    assert len(text) < 10_000
    assert "\n## Owned" not in text and "](javascript:" not in text and "<script>" not in text
    assert "Hi\\\\n## Owned \\[click\\]\\(javascript&#58;alert\\(1\\)\\) &lt;script&gt;x&lt;/script&gt;" in text
    assert "| Evil \\| Source |" in text and "from 1 source(s): \\*Bold\\* &lt;b&gt; (1)" in text
    rows = table_rows(d)
    assert {"section": "source", "item": "\\*Bold\\* &lt;b&gt;", "value": 1} in rows  # UI cells are markdown


def test_table_rows_cannot_link_or_load_an_image_in_prefects_ui():
    # Prefect 3.8's UI renders a table artifact's string cells as markdown (checked in chromium).
    hostile = "[x](javascript:alert(1)) ![i](http://127.0.0.1:9/t.png) <img src=x onerror=alert(1)> a|b"
    d = _digest()
    d.sources = [{"source": hostile, "articles": 1}]
    d.entities = [{"name": hostile, "label": "PERSON", "mentions": 3, "articles": 1, "avg_sentiment": 0.1}]
    d.speakers = [{"speaker": hostile, "quotes": 1}]
    d.source_tone = [{"source": hostile, "change": 1.0}]
    d.entity_tone = [{"name": hostile, "change": 0.5}]
    items = [r["item"] for r in table_rows(d)[1:]]
    assert len(items) == 5
    for item in items:
        assert "](" not in item and "<" not in item and "javascript:" not in item and "![" not in item
        assert "\\[x\\]\\(javascript&#58;alert\\(1\\)\\) \\!\\[i\\]\\(http://127.0.0.1:9/t.png\\)" in item
        assert "&lt;img src=x onerror=alert\\(1\\)&gt; a\\|b" in item  # escaped, not deleted
