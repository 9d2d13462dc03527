"""The day's digest: what came in, who was in it, who was quoted, and how the tone moved.

"The day" is a UTC calendar day of `articles.ingested_at` (what arrived that day, whatever
its publication date). The figures are read by warehouse.digest.read_day_digest; this module
holds them and renders them as markdown and table rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from presswatch.charts import svg_data_uri
from presswatch.reports.charts import figure_charts
from presswatch.reports.model import Figures
from presswatch.text import markdown

CHART_DAYS = 14  # the charts show the article days of the two weeks up to the digest's day


@dataclass
class DayDigest:
    day: date
    articles: int = 0
    sources: list[dict] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    speakers: list[dict] = field(default_factory=list)
    source_tone: list[dict] = field(default_factory=list)
    entity_tone: list[dict] = field(default_factory=list)
    figures: Figures | None = None  # the charts' figures over the CHART_DAYS article days up to `day`


def default_day(now: datetime | None = None) -> date:
    """Today in UTC (the digest runs late in the day; pass a day to digest another one)."""
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).date()


def digest_charts(d: DayDigest) -> dict[str, str]:
    """Title -> SVG of the digest's charts (none without figures)."""
    return figure_charts(d.figures) if d.figures else {}


def render_markdown(d: DayDigest, charts: dict[str, str] | None = None) -> str:
    """The digest as markdown; `charts` (title -> SVG, digest_charts) are embedded as data-URI
    images, which Prefect's artifact page shows (it strips raw <svg>)."""
    out = [f"# presswatch digest for {d.day:%A %d %B %Y} (UTC)", ""]
    if not d.articles:
        out.append("No articles came in on this day.")
        return "\n".join(out) + "\n"
    out += [f"**{d.articles} article(s) in** from {len(d.sources)} source(s): "
            + ", ".join(f"{_cell(s['source'])} ({s['articles']})" for s in d.sources), ""]
    out += _md_table("Articles", ["title", "source", "published_at", "tone"], d.titles)
    out += _md_table("Top entities", ["name", "label", "mentions", "articles", "avg_sentiment"], d.entities)
    out += _md_table("Most-quoted speakers", ["speaker", "quotes", "direct_quotes", "mixed_quotes", "articles"],
                     d.speakers)
    out += _md_table("Tone by source (day vs previous 7 days)",
                     ["source", "articles_today", "tone_today", "tone_before", "change"], d.source_tone)
    out += _md_table("Entity sentiment moves (day vs before)",
                     ["name", "label", "mentions_today", "sentiment_today", "sentiment_before", "change"],
                     d.entity_tone, empty="No entity with enough history to compare.")
    if d.figures is not None:
        out += _md_table(f"Spikes ({d.figures.start} to {d.figures.end}, by article day)",
                         ["day", "name", "label", "articles", "baseline_mean", "z_score", "spike_level"],
                         d.figures.spikes, empty="No spike.")
    if charts:
        out += [f"## Charts ({d.figures.start} to {d.figures.end}, by article day)" if d.figures else "## Charts", ""]
        out += [f"![{markdown(title)}]({svg_data_uri(svg)})\n" for title, svg in charts.items()]
    return "\n".join(out)


def table_rows(d: DayDigest) -> list[dict]:
    """One flat table for the table artifact: section, item, value."""
    # markdown, not plain: Prefect's UI renders a table artifact's string cells as markdown.
    rows: list[dict] = [{"section": "articles in", "item": str(d.day), "value": d.articles}]
    rows += [{"section": "source", "item": markdown(s["source"]), "value": s["articles"]} for s in d.sources]
    rows += [{"section": "entity mentions", "item": f"{markdown(e['name'])} ({markdown(e['label'])})",
              "value": e["mentions"]} for e in d.entities]
    rows += [{"section": "quotes", "item": markdown(s["speaker"]), "value": s["quotes"]} for s in d.speakers]
    rows += [{"section": "tone change", "item": markdown(s["source"]), "value": s["change"]}
             for s in d.source_tone if s["change"] is not None]
    rows += [{"section": "sentiment change", "item": markdown(e["name"]), "value": e["change"]}
             for e in d.entity_tone]
    return rows


def _md_table(title: str, columns: list[str], rows: list[dict], empty: str = "None.") -> list[str]:
    out = [f"## {title}", ""]
    if not rows:
        return out + [empty, ""]
    out.append("| " + " | ".join(c.replace("_", " ") for c in columns) + " |")
    out.append("|" + "|".join("---" for _ in columns) + "|")
    for r in rows:
        out.append("| " + " | ".join(_cell(r.get(c)) for c in columns) + " |")
    return out + [""]


def _cell(value: object) -> str:
    """Web text in a markdown cell: escaped (no markup, links or line breaks) and cut."""
    if value is None:
        return "–"
    if isinstance(value, (int, float, date)):  # our own numbers and dates: nothing to escape
        return str(value)
    return markdown(value)

