"""The day's digest figures, read from the warehouse with the SQL in queries/digest/.

"The day" is a UTC calendar day of `articles.ingested_at` (stg_articles.ingest_day): what
arrived that day, whatever its publication date. Any connection will do; read-only is enough.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from presswatch.digest import CHART_DAYS, DayDigest
from presswatch.monitor.rules import SpikeRules
from warehouse.db import QUERIES
from warehouse.reports import read_figures

DIGEST_QUERIES = QUERIES / "digest"


def digest_sql(name: str) -> str:
    return (DIGEST_QUERIES / f"{name}.sql").read_text()


def read_day_digest(con: duckdb.DuckDBPyConnection, day: date, limit: int = 10,
                    rules: SpikeRules | None = None) -> DayDigest:
    """The day's figures: sources, titles, entities, speakers and the tone moves; and the
    charts' figures over the CHART_DAYS article days up to the day (spikes by `rules`)."""
    def rows(name: str) -> list[dict]:
        sql = digest_sql(name)
        params: dict = {"day": day}
        if "$limit" in sql:
            params["limit"] = limit
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    d = DayDigest(day=day)
    d.sources = rows("sources")
    d.articles = sum(r["articles"] for r in d.sources)
    d.titles = rows("titles")
    d.entities = rows("entities")
    d.speakers = rows("speakers")
    d.source_tone = rows("source_tone")
    d.entity_tone = rows("entity_tone")
    d.figures = read_figures(con, day - timedelta(days=CHART_DAYS - 1), day, rules=rules or SpikeRules())
    return d
