"""The charts, as altair specs built from plain rows (dicts, as the warehouse reads them).

Names are cut to one line (`presswatch.text.plain`) before they reach a chart: a label is
data to the chart, never markup, but a 5 MB name would still make a 5 MB image.
"""

from __future__ import annotations

from datetime import date

import altair as alt

from presswatch.text import plain

WIDTH = 640
LABEL = 60  # characters of a name shown on an axis or in a legend


def _name(value: object) -> str:
    return plain(value if value is not None else "(none)", LABEL)


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def attention_chart(rows: list[dict], spikes: list[dict] | None = None, *, share: bool = True,
                    title: str = "Share of the day's articles") -> alt.LayerChart:
    """Each entity's articles per day as a share of all articles that day (or the count), one
    line per entity; spike days marked with a red ring. rows: name, day, articles, share."""
    values = [{"name": _name(r["name"]), "day": _day(r["day"]), "articles": r["articles"],
               "share": float(r["share"] or 0) * 100} for r in rows]
    measure = "share" if share else "articles"
    y_title = "% of the day's articles" if share else "articles"
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("yearmonthdate(day):T", title=None, axis=alt.Axis(format="%d %b", tickCount="day", labelOverlap=True)),
        y=alt.Y(f"{measure}:Q", title=y_title),
        color=alt.Color("name:N", title=None, legend=alt.Legend(orient="bottom", columns=3, labelLimit=220)),
    )
    layers = [base.mark_line(point=True, strokeWidth=2)]
    names = {v["name"] for v in values}
    if spikes:
        by_key = {(v["name"], v["day"]): v for v in values}
        marked = [by_key[(_name(s["name"]), _day(s["day"]))] for s in spikes
                  if (_name(s["name"]), _day(s["day"])) in by_key and _name(s["name"]) in names]
        if marked:
            layers.append(alt.Chart(alt.Data(values=marked)).mark_point(
                shape="circle", size=260, color="#d62728", strokeWidth=2.5, filled=False).encode(
                x="yearmonthdate(day):T", y=f"{measure}:Q"))
    return alt.layer(*layers).properties(width=WIDTH, height=260, title=title + (" (red: spike)" if spikes else ""))


def share_of_voice_chart(rows: list[dict], title: str = "Share of voice") -> alt.Chart:
    """Each entity's share of the mentions of the period. rows: name, label, mentions, share."""
    values = [{"name": _name(r["name"]), "label": _name(r.get("label")), "share": float(r["share"] or 0) * 100,
               "mentions": r["mentions"]} for r in rows]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("share:Q", title="% of mentions"),
        color=alt.Color("label:N", title="label"),
        tooltip=["name:N", "mentions:Q", "share:Q"],
    ).properties(width=WIDTH - 200, height=max(60, 22 * len(values)), title=title)


def tone_chart(rows: list[dict], title: str = "Tone toward each entity") -> alt.LayerChart:
    """Mean mention sentiment per entity, with the articles behind it written at the bar (a
    swing on two articles is visibly thin). rows: name, avg_sentiment, articles."""
    values = [{"name": _name(r["name"]), "sentiment": float(r["avg_sentiment"] or 0),
               "articles": r["articles"], "note": f"{r['articles']} art."} for r in rows]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("name:N", sort=alt.EncodingSortField("sentiment", order="ascending"), title=None,
                axis=alt.Axis(labelLimit=220)))
    bars = base.mark_bar().encode(
        x=alt.X("sentiment:Q", title="mean mention sentiment (-1 to 1)", scale=alt.Scale(domain=[-1, 1])),
        color=alt.condition("datum.sentiment < 0", alt.value("#d62728"), alt.value("#2ca02c")),
        opacity=alt.condition("datum.articles < 5", alt.value(0.45), alt.value(1.0)),
    )
    notes = base.mark_text(align="left", dx=4, fontSize=10, color="#555").encode(x=alt.value(WIDTH - 190),
                                                                                  text="note:N")
    return alt.layer(bars, notes).properties(width=WIDTH - 200, height=max(60, 22 * len(values)),
                                             title=title + " (pale: under 5 articles)")


def speakers_chart(rows: list[dict], title: str = "Most-quoted speakers") -> alt.Chart:
    """Quotes per speaker by kind. rows: speaker, quotes, direct_quotes, mixed_quotes."""
    values = []
    for r in rows:
        direct, mixed = r.get("direct_quotes") or 0, r.get("mixed_quotes") or 0
        values.append({"speaker": _name(r["speaker"]), "kind": "direct", "quotes": direct})
        values.append({"speaker": _name(r["speaker"]), "kind": "mixed", "quotes": mixed})
        values.append({"speaker": _name(r["speaker"]), "kind": "indirect",
                       "quotes": (r["quotes"] or 0) - direct - mixed})
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("speaker:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("sum(quotes):Q", title="quotes"),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["direct", "mixed", "indirect"])),
    ).properties(width=WIDTH - 200, height=max(60, 22 * len(rows)), title=title)
