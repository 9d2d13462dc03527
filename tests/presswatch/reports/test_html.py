"""The HTML report: self-contained, charts inline, web text escaped, nothing that runs."""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser

from presswatch.reports.html import render_html
from presswatch.reports.model import Figures, Report

HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) | a | b'


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _page(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def test_web_text_is_text_and_only_http_links_are_links():
    f = Figures(date(2024, 3, 1), date(2024, 3, 5), entity=HOSTILE,
                spikes=[{"day": date(2024, 3, 5), "name": HOSTILE, "label": "ORG", "articles": 25,
                         "baseline_mean": 2.07, "z_score": 15.6, "spike_level": 3.0}])
    titles = [{"day": date(2024, 3, 5), "title": HOSTILE, "source": HOSTILE, "url": "javascript:alert(4)", "tone": 1.5},
              {"day": date(2024, 3, 5), "title": "Rates", "source": "AFP", "url": 'https://x.example/"a', "tone": 0.0}]
    html = render_html(Report(f, articles=30, sources=2, days=5, titles=titles), {"Tone <b>": "<svg/>"},
                       generated=datetime(2024, 3, 6))
    page = _page(html)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and tags.count("img") == 1  # only the chart
    [img] = [a for t, a in page.tags if t == "img"]
    assert img["src"].startswith("data:image/svg+xml;base64,") and img["alt"] == "Tone <b>"
    assert not [k for _, a in page.tags for k in a if k.startswith("on")]
    assert [a["href"] for t, a in page.tags if t == "a"] == ['https://x.example/"a']
    text = "".join(page.text)
    # <title>, heading, spike row and article title show it as written; the source column cuts it.
    assert text.count(HOSTILE) == 4 and HOSTILE[:79] + "…" in text
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_an_empty_period_says_so():
    html = render_html(Report(Figures(date(2024, 3, 1), date(2024, 3, 5))), {})
    assert "No articles in this period." in html and "No spike in this period." in html
