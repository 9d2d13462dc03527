"""The daily digest flow: a markdown artifact of the day and a table artifact."""

from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run

from flows.params import DigestParams
from tasks.alerts import spike_rules
from presswatch.digest import default_day
from tasks.digest import publish_digest, read_day

__all__ = ["DigestParams", "digest"]


def _scheduled_day():
    # The day the run was due on: the 23:55 run started after midnight digested the new, empty day.
    return default_day(flow_run.scheduled_start_time)


def _run_name() -> str:
    params = flow_run.parameters.get("params")
    day = params.get("day") if isinstance(params, dict) else getattr(params, "day", None)
    return f"digest {day or _scheduled_day()}"


@flow(name="digest", flow_run_name=_run_name, log_prints=True)
def digest(params: DigestParams) -> str:
    day = params.day or _scheduled_day()

    # 1. the day's figures from the warehouse (read-only)
    figures = read_day(params.warehouse, day, spike_rules(params))

    # 2. the markdown and table artifacts
    return publish_digest(figures)
