"""Alerts in the warehouse: which spikes and saved-search matches an ingest run made, and the
`alerts` table that makes each one once-only (migration 012).

Two steps around the emission (tasks/alerts.py): `record_new` writes the new alerts pending
in one transaction; after each event is handed to Prefect, `mark_emitted` stamps it. A crash
in between leaves pending rows that the next run emits again with their stored event id (the
Prefect server stores one event per id). Spikes are those of canonical entities (every spelling
of one real-world entity counted once: the `spikes` rule over queries/canonical_spike_baseline.sql, and
the explanation lists of the entity's main spelling), read for the run's days only, never over
all mentions; of the watchlist's entities only when the rules say so (SpikeRules.entities).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import duckdb

from presswatch.monitor.alerts import Alert, match_alert, spike_alert
from presswatch.monitor.rules import SpikeRules
from warehouse.db import QUERIES
from warehouse.spikes import canonical_spike_days

ALERT_QUERIES = QUERIES / "alerts"


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    cur = con.execute((ALERT_QUERIES / f"{name}.sql").read_text(), params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def oldest_day(rules: SpikeRules, today: date | None = None) -> date:
    today = today or datetime.now(timezone.utc).date()
    return today - timedelta(days=rules.max_age_days)


def new_spike_alerts(con: duckdb.DuckDBPyConnection, run_id: str, rules: SpikeRules, *,
                     today: date | None = None, ui_url: str | None = None) -> list[Alert]:
    """The spikes this run made that have no alert yet, each with its explanation."""
    days = [r["day"] for r in _rows(con, "run_days", {"run_id": run_id, "oldest_day": oldest_day(rules, today)})]
    if not days:  # nothing new on a recent day: the spikes are not even scored
        return []
    with canonical_spike_days(con, min(days), max(days)):  # scores these days only
        spikes = _rows(con, "new_spikes", {"days": days, "k": rules.k, "min_articles": rules.min_articles,
                                           "watchlist_only": watchlist_only(con, rules)})
    if not spikes:
        return []
    why = {(r["canonical_id"], r["day"]): _without_spellings(r) for r in _rows(con, "explain_spike", {
        "canonical_ids": sorted({s["entity_id"] for s in spikes}), "days": sorted({s["day"] for s in spikes})})}
    return [spike_alert(s, why.get((s["entity_id"], s["day"])), rules.k, ui_url, run_id) for s in spikes]


def watchlist_only(con: duckdb.DuckDBPyConnection, rules: SpikeRules) -> bool:
    """Whether the alerts are the watchlist's entities' only: `watchlist`, or `auto` with a watchlist
    applied (entities.toml entries in entity_canonicals, by `presswatch entities rebuild`)."""
    if rules.entities != "auto":
        return rules.entities == "watchlist"
    return con.execute("SELECT count(*) > 0 FROM entity_canonicals WHERE watchlist").fetchone()[0]


def _without_spellings(why: dict) -> dict:
    """An explanation row with the canonical entity's own spellings dropped from its co-mentioned."""
    own = set(why["spellings"])
    return why | {"co_mentioned": [c for c in why["co_mentioned"] or [] if c.get("entity_id") not in own]}


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
                       "AND database_name = current_database()", [name]).fetchone()[0] > 0


def new_match_alerts(con: duckdb.DuckDBPyConnection, run_id: str, rules: SpikeRules, *,
                     today: date | None = None, ui_url: str | None = None) -> list[Alert]:
    """The saved-search matches this run made that have no alert yet (none while the warehouse
    has no search_hits table: saved searches are optional)."""
    if not has_table(con, "search_hits"):
        return []
    hits = _rows(con, "new_matches", {"run_id": run_id, "oldest_day": oldest_day(rules, today)})
    return [match_alert(hit, ui_url, run_id) for hit in hits]


def record_new(con: duckdb.DuckDBPyConnection, alerts: list[Alert], run_id: str) -> int:
    """Write the alerts pending, one transaction; a key already there is left as it was.
    Returns how many were new."""
    if not alerts:
        return 0
    now = _now()
    rows = [(a.key, a.kind, a.event, str(a.event_id), a.entity_id, a.day, a.search_name, a.article_id,
             json.dumps(a.payload, ensure_ascii=False), run_id, now) for a in alerts]
    before = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany("INSERT INTO alerts (alert_key, kind, event, event_id, entity_id, day, search_name, "
                        "article_id, payload, flow_run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return con.execute("SELECT count(*) FROM alerts").fetchone()[0] - before


def pending(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    """Alerts written but not yet handed to Prefect (this run's, or a crashed run's), oldest first."""
    rows = con.execute("SELECT alert_key, kind, event, entity_id, day, search_name, article_id, payload, event_id "
                       "FROM alerts WHERE emitted_at IS NULL ORDER BY created_at, alert_key").fetchall()
    out = []
    for key, kind, event, entity_id, day, search_name, article_id, payload, event_id in rows:
        out.append(Alert(key, kind, event, json.loads(payload), entity_id=entity_id, day=day,
                         search_name=search_name, article_id=article_id, event_id=event_id))
    return out


def mark_emitted(con: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
    if keys:
        con.execute("UPDATE alerts SET emitted_at = ? WHERE alert_key IN (SELECT unnest(?))", [_now(), keys])


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
