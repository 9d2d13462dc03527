"""Alerts: a spike or a saved-search match, with the key that makes it once-only and the
payload its Prefect event carries (entity, figures, why, links).

Names, titles and quotes are web text: in the payload they stay data (JSON strings) but pass
through `plain` (one line, control characters shown as escapes, length capped), and only
http(s) links are kept, so a template that puts them into a message cannot be fed a
`javascript:` link or a 5 MB title.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from presswatch.text import plain, safe_url

SPIKE_EVENT = "presswatch.alert.spike"
MATCH_EVENT = "presswatch.alert.match"
WHY_ITEMS = 5  # articles, outlets, co-mentioned entities and quotes shown in a payload


@dataclass(frozen=True)
class Alert:
    key: str
    kind: str                       # spike | match
    event: str
    payload: dict = field(hash=False)
    entity_id: str | None = None
    day: date | None = None
    search_name: str | None = None
    article_id: str | None = None
    # The Prefect event's id, drawn once and stored with the alert: a re-sent alert keeps it (the
    # server stores one event per id); random, so two warehouses' equal keys never collide.
    event_id: uuid.UUID = field(default_factory=uuid.uuid4, compare=False)

    @property
    def resource(self) -> dict[str, str]:
        """The Prefect event's resource: the entity, or the saved search."""
        if self.kind == "spike":
            entity = self.payload["entity"]
            return {"prefect.resource.id": f"presswatch.entity.{entity['id']}",
                    "prefect.resource.name": entity["name"], "presswatch.entity.label": str(entity["label"])}
        return {"prefect.resource.id": f"presswatch.search.{self.payload['search']}",
                "prefect.resource.name": self.payload["search"]}


def spike_key(entity_id: str, day: date) -> str:
    return f"spike:{entity_id}:{day.isoformat()}"


def match_key(search_name: str, article_id: str) -> str:
    return f"match:{search_name}:{article_id}"


def flow_run_link(ui_url: str | None, flow_run_id: str | None) -> str | None:
    if not ui_url or not flow_run_id:
        return None
    return f"{ui_url.rstrip('/')}/runs/flow-run/{flow_run_id}"


def spike_alert(spike: dict, why: dict | None, k: float, ui_url: str | None = None,
                flow_run_id: str | None = None) -> Alert:
    """The alert of one spike of a canonical entity (warehouse.spikes.canonical_spikes_sql; `entity_id` is the
    canonical id), explained by its main spelling's explanation lists (or None)."""
    why = why or {}
    name, label, day = plain(spike["name"], 120), spike["label"], spike["day"]
    articles = [{"title": plain(a.get("title") or "", 200), "source": plain(a.get("source") or "(unknown)", 80),
                 "url": safe_url(a.get("url")), "article_id": a.get("article_id")}
                for a in (why.get("top_articles") or [])[:WHY_ITEMS]]
    figures = {name_: _number(spike.get(name_)) for name_ in
               ("articles", "mentions", "baseline_mean", "baseline_sd", "baseline_days", "previous_day",
                "same_weekday", "z_score", "spike_level")}
    payload = {
        "kind": "spike",
        "entity": {"id": spike["entity_id"], "name": name, "label": label},
        "day": day.isoformat(),
        "figures": figures,
        "sensitivity": k,
        "summary": plain(f"{name} ({label}): {figures['articles']} articles on {day.isoformat()}, "
                         f"usually {figures['baseline_mean']} a day (z {figures['z_score']})"),
        "why": {
            "articles": articles,
            "outlets": [{"source": plain(o.get("source") or "(unknown)", 80), "articles": o.get("articles")}
                        for o in (why.get("outlets") or [])[:WHY_ITEMS]],
            "co_mentioned": [{"name": plain(c.get("name") or "", 120), "label": c.get("label"),
                              "articles": c.get("articles")} for c in (why.get("co_mentioned") or [])[:WHY_ITEMS]],
            "quotes": [{"speaker": plain(q.get("speaker") or "", 120), "text": plain(q.get("text") or "", 300)}
                       for q in (why.get("quotes") or [])[:WHY_ITEMS]],
        },
        "links": {"flow_run": flow_run_link(ui_url, flow_run_id),
                  "articles": [a["url"] for a in articles if a["url"]]},
        # the canonical entity's days behind the spike (its 14 days before and the day itself)
        "sql": f"SELECT * FROM canonical_mentions_daily WHERE canonical_id = '{_sql_text(spike['entity_id'])}' "
               f"AND day BETWEEN DATE '{(day - timedelta(days=14)).isoformat()}' AND DATE '{day.isoformat()}' "
               "ORDER BY day",
    }
    return Alert(spike_key(spike["entity_id"], day), "spike", SPIKE_EVENT, payload,
                 entity_id=spike["entity_id"], day=day)


def match_alert(hit: dict, ui_url: str | None = None, flow_run_id: str | None = None) -> Alert:
    """The alert of one new `search_hits` row joined with its article (title, source, url, day)."""
    search = plain(hit["search_name"], 120)
    title = plain(hit.get("title") or "", 200)
    payload = {
        "kind": "match",
        "search": search,
        "article": {"id": hit["article_id"], "title": title, "source": plain(hit.get("source") or "(unknown)", 80),
                    "day": hit["day"].isoformat() if hit.get("day") else None, "url": safe_url(hit.get("url"))},
        "figures": {"score": _number(hit.get("score"))},
        "summary": plain(f"saved search {search} matched: {title}"),
        "links": {"flow_run": flow_run_link(ui_url, flow_run_id), "article": safe_url(hit.get("url"))},
    }
    return Alert(match_key(hit["search_name"], hit["article_id"]), "match", MATCH_EVENT, payload,
                 search_name=hit["search_name"], article_id=hit["article_id"], day=hit.get("day"))


def _number(value: object) -> object:
    """Decimals from DuckDB as floats (JSON has no Decimal); ints and None as they are."""
    if value is None or isinstance(value, (int, float)):
        return value
    return float(value)


def _sql_text(value: str) -> str:
    return value.replace("'", "''")
