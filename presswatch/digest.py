"""The day's digest: what came in, who was in it, who was quoted, and how the tone moved.

"The day" is a UTC calendar day of `articles.ingested_at` (what arrived that day, whatever
its publication date). Plain SQL over a read-only connection; rendering is plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import duckdb

# Articles that came in on the day (the CTE every query below starts from).
_DAY = """
with day_articles as (
    select * from articles where cast(ingested_at as date) = $day
)
"""

_SOURCES = _DAY + """
select coalesce(source, '(unknown)') as source, count(*) as articles,
       round(avg(tone), 3) as avg_tone
from day_articles group by all order by articles desc, source
"""

_TITLES = _DAY + """
select title, coalesce(source, '(unknown)') as source, published_at, round(tone, 3) as tone
from day_articles order by ingested_at, title limit $limit
"""

_ENTITIES = _DAY + """
select e.name, e.label, count(*) as mentions, count(distinct m.article_id) as articles,
       round(avg(m.sentiment), 3) as avg_sentiment
from mentions m join day_articles a using (article_id) join entities e using (entity_id)
where e.label in ('PERSON', 'ORG', 'GPE', 'NORP')
group by all order by mentions desc, e.name limit $limit
"""

_SPEAKERS = _DAY + """
select coalesce(e.name, q.speaker) as speaker, count(*) as quotes,
       count(*) filter (where q.kind = 'direct') as direct_quotes,
       count(distinct q.article_id) as articles
from quotes q join day_articles a using (article_id)
left join entities e on e.entity_id = q.speaker_entity_id
where q.speaker is not null
group by all order by quotes desc, speaker limit $limit
"""

# Tone moves: each source's average document tone on the day against its previous 7 days,
# and each entity's average sentiment on the day against its history before the day.
_SOURCE_TONE = """
with per_day as (
    select coalesce(source, '(unknown)') as source, cast(ingested_at as date) as day, tone
    from articles
    where cast(ingested_at as date) between $day - interval 7 day and $day
),
final as (
    select source,
           round(avg(tone) filter (where day = $day), 3) as tone_today,
           round(avg(tone) filter (where day < $day), 3) as tone_before,
           count(*) filter (where day = $day) as articles_today
    from per_day group by all
    having count(*) filter (where day = $day) > 0
)
select *, round(tone_today - tone_before, 3) as change from final
order by abs(coalesce(tone_today - tone_before, 0)) desc, source limit $limit
"""

_ENTITY_TONE = """
with scored as (
    select m.entity_id, cast(a.ingested_at as date) as day, m.sentiment
    from mentions m join articles a using (article_id)
    where m.sentiment is not null and cast(a.ingested_at as date) <= $day
),
final as (
    select e.name, e.label,
           round(avg(sentiment) filter (where day = $day), 3) as sentiment_today,
           round(avg(sentiment) filter (where day < $day), 3) as sentiment_before,
           count(*) filter (where day = $day) as mentions_today
    from scored join entities e using (entity_id)
    group by all
    having count(*) filter (where day = $day) >= 2 and count(*) filter (where day < $day) >= 2
)
select *, round(sentiment_today - sentiment_before, 3) as change from final
order by abs(sentiment_today - sentiment_before) desc, name limit $limit
"""


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


def default_day(now: datetime | None = None) -> date:
    """Today in UTC (the digest runs late in the day; pass a day to digest another one)."""
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).date()


def day_digest(con: duckdb.DuckDBPyConnection, day: date, limit: int = 10) -> DayDigest:
    """The day's figures from the warehouse (any connection; read-only is enough)."""
    def rows(sql: str) -> list[dict]:
        params = {"day": day}
        if "$limit" in sql:
            params["limit"] = limit
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    d = DayDigest(day=day)
    d.sources = rows(_SOURCES)
    d.articles = sum(r["articles"] for r in d.sources)
    d.titles = rows(_TITLES)
    d.entities = rows(_ENTITIES)
    d.speakers = rows(_SPEAKERS)
    d.source_tone = rows(_SOURCE_TONE)
    d.entity_tone = rows(_ENTITY_TONE)
    return d


def render_markdown(d: DayDigest) -> str:
    out = [f"# presswatch digest for {d.day:%A %d %B %Y} (UTC)", ""]
    if not d.articles:
        out.append("No articles came in on this day.")
        return "\n".join(out) + "\n"
    out += [f"**{d.articles} article(s) in** from {len(d.sources)} source(s): "
            + ", ".join(f"{s['source']} ({s['articles']})" for s in d.sources), ""]
    out += _md_table("Articles", ["title", "source", "published_at", "tone"], d.titles)
    out += _md_table("Top entities", ["name", "label", "mentions", "articles", "avg_sentiment"], d.entities)
    out += _md_table("Most-quoted speakers", ["speaker", "quotes", "direct_quotes", "articles"], d.speakers)
    out += _md_table("Tone by source (day vs previous 7 days)",
                     ["source", "articles_today", "tone_today", "tone_before", "change"], d.source_tone)
    out += _md_table("Entity sentiment moves (day vs before)",
                     ["name", "label", "mentions_today", "sentiment_today", "sentiment_before", "change"],
                     d.entity_tone, empty="No entity with enough history to compare.")
    return "\n".join(out)


def table_rows(d: DayDigest) -> list[dict]:
    """One flat table for the table artifact: section, item, value."""
    rows: list[dict] = [{"section": "articles in", "item": str(d.day), "value": d.articles}]
    rows += [{"section": "source", "item": s["source"], "value": s["articles"]} for s in d.sources]
    rows += [{"section": "entity mentions", "item": f"{e['name']} ({e['label']})", "value": e["mentions"]}
             for e in d.entities]
    rows += [{"section": "quotes", "item": s["speaker"], "value": s["quotes"]} for s in d.speakers]
    rows += [{"section": "tone change", "item": s["source"], "value": s["change"]}
             for s in d.source_tone if s["change"] is not None]
    rows += [{"section": "sentiment change", "item": e["name"], "value": e["change"]} for e in d.entity_tone]
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
    if value is None:
        return "–"
    return str(value).replace("|", "\\|").replace("\n", " ")

