"""The digest flow's day when none is given: the day the run was scheduled for."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import flows.digest as digest_flow
from flows.params import DigestParams


def test_a_late_start_after_midnight_digests_the_day_it_was_scheduled_for(monkeypatch, tmp_path):
    """The 23:55 run that started at 00:10 digested the new day (nothing in yet), and the day it
    was due on was never digested."""
    seen = []
    monkeypatch.setattr(digest_flow, "flow_run", SimpleNamespace(
        scheduled_start_time=datetime(2024, 3, 5, 23, 55, tzinfo=timezone.utc), parameters={}))
    monkeypatch.setattr(digest_flow, "read_day", lambda warehouse, day, rules: seen.append(day) or day)
    monkeypatch.setattr(digest_flow, "publish_digest", lambda figures: str(figures))
    assert digest_flow.digest.fn(DigestParams(warehouse=tmp_path / "w.duckdb")) == "2024-03-05"
    assert digest_flow._run_name() == "digest 2024-03-05"
    assert digest_flow.digest.fn(DigestParams(warehouse=tmp_path / "w.duckdb", day=date(2024, 3, 1))) == "2024-03-01"
