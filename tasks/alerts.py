"""The alerts step after each ingest: new spikes and saved-search matches become Prefect
events (presswatch.alert.spike / presswatch.alert.match), each recorded once in `alerts`."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE
from prefect.events import emit_event
from prefect.settings import PREFECT_UI_URL

from presswatch.monitor.alerts import Alert
from presswatch.monitor.rules import SpikeRules
from tasks.retry import worth_retrying
from warehouse.alerts import mark_emitted, new_match_alerts, new_spike_alerts, pending, record_new
from warehouse.db import writer


# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="alerts", cache_policy=NONE, retries=2, retry_delay_seconds=5, timeout_seconds=300,
      retry_condition_fn=worth_retrying)
def raise_alerts(warehouse: Path, run_id: str, rules: SpikeRules) -> list[str]:
    """Record this run's new alerts, emit every pending one, and return the keys emitted."""
    ui_url = PREFECT_UI_URL.value()
    with writer(warehouse) as con:
        found = (new_spike_alerts(con, run_id, rules, ui_url=ui_url)
                 + new_match_alerts(con, run_id, rules, ui_url=ui_url))
        record_new(con, found, run_id)
        emitted = [a.key for a in pending(con) if emit(a) is not None]
        mark_emitted(con, emitted)
    if emitted:
        print(f"alerts: {len(emitted)} event(s) emitted: " + ", ".join(emitted[:10]))
    return emitted


def emit(alert: Alert):
    """One Prefect event under the id stored with the alert: a re-send after a crash is the same event."""
    return emit_event(event=alert.event, resource=alert.resource, payload=alert.payload, id=alert.event_id)


def spike_rules(params: object) -> SpikeRules:
    """The alert rules of an ingest or digest run's parameters (spike_sensitivity, spike_min_articles,
    alert_max_age_days, spike_entities); the defaults for parameters of runs that predate them."""
    given = {"k": getattr(params, "spike_sensitivity", None),
             "min_articles": getattr(params, "spike_min_articles", None),
             "max_age_days": getattr(params, "alert_max_age_days", None),
             "entities": getattr(params, "spike_entities", None)}
    return SpikeRules(**{k: v for k, v in given.items() if v is not None})
