"""The digest's spikes and charts: SVG embedded as data-URI images in the markdown."""

from __future__ import annotations

import base64
import re
from datetime import date

from presswatch.digest import DayDigest, digest_charts, render_markdown
from presswatch.reports.model import Figures

DAY = date(2024, 3, 5)


def _digest() -> DayDigest:
    f = Figures(date(2024, 2, 21), DAY,
                attention=[{"name": "Bank of England", "label": "ORG", "day": d, "articles": a, "day_articles": 40,
                            "share": a / 40} for d, a in ((date(2024, 3, 4), 2), (DAY, 25))],
                spikes=[{"day": DAY, "name": "Bank of England | <b>", "label": "ORG", "articles": 25,
                         "baseline_mean": 2.07, "z_score": 15.6, "spike_level": 3.0}],
                tone=[{"name": "Bank of England", "label": "ORG", "articles": 27, "mentions": 50,
                       "avg_sentiment": -0.2}])
    return DayDigest(day=DAY, articles=1, sources=[{"source": "AFP", "articles": 1, "avg_tone": 0.0}], figures=f)


def test_charts_are_inline_images_and_spikes_a_table():
    d = _digest()
    charts = digest_charts(d)
    assert list(charts) == ["Articles per day", "Share of the day's articles", "Tone toward each entity"]
    md = render_markdown(d, charts)
    images = re.findall(r"!\[([^\]]*)\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)", md)
    assert [t for t, _ in images] == list(charts)
    assert base64.b64decode(images[0][1]).decode() == charts["Articles per day"]
    assert "<svg" not in md  # Prefect strips raw SVG: only images
    assert "| 2024-03-05 | Bank of England \\| &lt;b&gt; | ORG | 25 | 2.07 | 15.6 | 3.0 |" in md


def test_no_figures_no_charts():
    d = DayDigest(day=DAY, articles=1, sources=[{"source": "AFP", "articles": 1, "avg_tone": 0.0}])
    assert digest_charts(d) == {} and "## Charts" not in render_markdown(d)
