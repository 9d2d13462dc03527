"""Altair charts to SVG / PNG with vl-convert (a bundled Vega engine: no browser, no network).

Text in the charts comes from the web (entity names, speakers). vl-convert writes it into SVG
`<text>` nodes XML-escaped; the digest and the reports show the SVG as an `<img>` data URI,
where no script or link inside an image can run.
"""

from __future__ import annotations

import base64

import altair as alt


def to_svg(chart: alt.TopLevelMixin) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_json())


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)


def svg_data_uri(svg: str) -> str:
    """`data:image/svg+xml;base64,...`: how Prefect's markdown and our HTML show a chart (Prefect
    strips raw <svg> from markdown; an image cannot run script)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
