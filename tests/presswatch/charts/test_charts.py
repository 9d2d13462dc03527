"""The charts render offline to SVG and PNG; names from the web stay text in the SVG."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import date

from presswatch.charts import (
    attention_chart,
    share_of_voice_chart,
    speakers_chart,
    svg_data_uri,
    to_png,
    to_svg,
    tone_chart,
)

HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) | a | b'
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # well-formed XML: nothing broke out of its text node
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", "script", f"{SVG}foreignObject")]
    assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def test_attention_marks_the_spike_days():
    rows = [{"name": n, "day": date(2024, 3, d), "articles": a, "share": a / 40}
            for n, series in (("Ofgem", [2, 3, 25]), (HOSTILE, [1, 1, 1])) for d, a in zip((3, 4, 5), series)]
    chart = attention_chart(rows, [{"name": "Ofgem", "day": date(2024, 3, 5)}])
    spec = chart.to_dict()
    assert len(spec["layer"]) == 2 and spec["layer"][1]["data"]["values"][0]["articles"] == 25
    texts = _texts(to_svg(chart))
    # The legend shows the name as text (cut to its width by an ellipsis).
    assert "Ofgem" in texts and any(t.startswith(HOSTILE[:40]) for t in texts)


def test_every_chart_renders_with_hostile_names():
    for chart in (share_of_voice_chart([{"name": HOSTILE, "label": "ORG", "mentions": 3, "share": 0.3}]),
                  tone_chart([{"name": HOSTILE, "avg_sentiment": -0.4, "articles": 2}]),
                  speakers_chart([{"speaker": HOSTILE, "quotes": 4, "direct_quotes": 1}])):
        assert any(t.startswith(HOSTILE[:40]) for t in _texts(to_svg(chart)))


def test_png_and_data_uri():
    chart = tone_chart([{"name": "Ofgem", "avg_sentiment": 0.2, "articles": 9}])
    assert to_png(chart, scale=1)[:8] == b"\x89PNG\r\n\x1a\n"
    svg = to_svg(chart)
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def test_a_very_long_name_is_cut():
    [text] = [t for t in _texts(to_svg(speakers_chart([{"speaker": "x" * 100_000, "quotes": 1,
                                                         "direct_quotes": 1}]))) if t.startswith("xxx")]
    assert len(text) <= 60


def test_speakers_split_their_quotes_by_kind_direct_mixed_indirect():
    spec = speakers_chart([{"speaker": "Joe Biden", "quotes": 6, "direct_quotes": 3, "mixed_quotes": 1}]).to_dict()
    by_kind = {v["kind"]: v["quotes"] for v in spec["data"]["values"]}
    assert by_kind == {"direct": 3, "mixed": 1, "indirect": 2}
