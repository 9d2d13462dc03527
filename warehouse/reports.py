"""The figures of a report or of the digest's charts, read with the SQL in queries/report/.

Every query is limited to the period's article days, and reads the views built on the load-time
aggregates (entity_mentions_daily, entity_attention_daily, agg_entity_article), never all
mentions. Any connection will do; read-only is enough.
"""

from __future__ import annotations

from datetime import date

import duckdb

from presswatch.monitor.rules import SpikeRules
from presswatch.reports.model import Figures, Report
from warehouse.db import QUERIES
from warehouse.spikes import canonical_spike_days

REPORT_QUERIES = QUERIES / "report"
DEFAULT_RULES = SpikeRules()


def report_rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    sql = (REPORT_QUERIES / f"{name}.sql").read_text()
    cur = con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def read_figures(con: duckdb.DuckDBPyConnection, start: date, end: date, *, entity: str | None = None,
                 rules: SpikeRules = DEFAULT_RULES, limit: int = 8, names: dict | None = None) -> Figures:
    """What the charts of [start, end] show (of `entity` when given: its attention, tone and spikes,
    the speakers of its articles). `names`: `named(con, entity)` when the caller has it already."""
    params = {"from": start, "to": end, "entity": entity, "limit": limit, "k": rules.k,
              "min_articles": rules.min_articles} | (names or named(con, entity))
    return Figures(start=start, end=end, entity=entity,
                   attention=report_rows(con, "attention", params),
                   spikes=_spikes(con, params),
                   share_of_voice=report_rows(con, "share_of_voice", params | {"limit": 10}),
                   tone=report_rows(con, "tone", params | {"limit": 12}),
                   speakers=report_rows(con, "speakers", params | {"limit": 10}))


def named(con: duckdb.DuckDBPyConnection, entity: str | None) -> dict:
    """What `entity` names, as the queries' parameters: the canonical ids whose name or any spelling
    it is (`canonical_ids`) and every spelling of those (`entity_ids`); None for no entity."""
    if entity is None:
        return {"canonical_ids": None, "entity_ids": None}
    rows = report_rows(con, "named", {"entity": entity})
    return {"canonical_ids": sorted({r["canonical_id"] for r in rows}),
            "entity_ids": sorted({r["entity_id"] for r in rows})}


def _spikes(con: duckdb.DuckDBPyConnection, params: dict) -> list[dict]:
    with canonical_spike_days(con, params["from"], params["to"]):  # scores the period only
        return report_rows(con, "spikes", params)


def read_report(con: duckdb.DuckDBPyConnection, start: date, end: date, *, entity: str | None = None,
                rules: SpikeRules = DEFAULT_RULES, limit: int = 8) -> Report:
    """A period's report: the figures, the totals and the articles to list."""
    names = named(con, entity)  # one lookup for the figures and the titles
    figures = read_figures(con, start, end, entity=entity, rules=rules, limit=limit, names=names)
    [overview] = report_rows(con, "overview", {"from": start, "to": end})
    titles = report_rows(con, "articles", {"from": start, "to": end, "entity": entity, "limit": 50} | names)
    return Report(figures, articles=int(overview["articles"]), sources=overview["sources"], days=overview["days"],
                  titles=titles, k=rules.k, min_articles=rules.min_articles)


def newest_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The newest article day (a report's default end)."""
    return con.execute("SELECT max(day) FROM stg_articles").fetchone()[0]
