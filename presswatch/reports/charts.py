"""The charts of a period's figures (empty figures: no chart), as altair specs or SVG text."""

from __future__ import annotations

import altair as alt

from presswatch.charts import attention_chart, share_of_voice_chart, speakers_chart, to_svg, tone_chart
from presswatch.reports.model import Figures


def figure_specs(f: Figures) -> dict[str, tuple[str, alt.TopLevelMixin]]:
    """file stem -> (title, chart), in the order a reader wants them: articles per day and their
    share of the day's articles (spikes marked), share of voice, tone, speakers."""
    specs: dict[str, tuple[str, alt.TopLevelMixin]] = {}
    if f.attention:
        specs["articles"] = ("Articles per day", attention_chart(f.attention, f.spikes, share=False,
                                                                 title="Articles per day"))
        specs["attention"] = ("Share of the day's articles", attention_chart(
            f.attention, f.spikes, title="Share of the day's articles"))
    if f.share_of_voice:
        title = ("Share of voice (watchlist)" if f.share_of_voice[0].get("basis") == "watchlist"
                 else "Share of voice")
        specs["share_of_voice"] = (title, share_of_voice_chart(f.share_of_voice, title=title))
    if f.tone:
        specs["tone"] = ("Tone toward each entity", tone_chart(f.tone))
    if f.speakers:
        specs["speakers"] = ("Most-quoted speakers", speakers_chart(f.speakers))
    return specs


def figure_charts(f: Figures) -> dict[str, str]:
    """Title -> SVG."""
    return {title: to_svg(chart) for title, chart in figure_specs(f).values()}
