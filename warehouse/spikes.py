"""Bounding the `spikes` view to the days a caller needs (its session variables).

The view scores the whole archive unless the session sets `spikes_from` / `spikes_to`: a
window over every entity-day cannot be narrowed by a WHERE on the day afterwards, so the
alerts and reports set the bounds around their read and reset them after. The alerts and the
report read spikes of canonical entities: the view's own SQL over canonical baselines
(queries/canonical_spike_baseline.sql), through a temp view made for the bounded read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

from warehouse.db import QUERIES, VIEWS


@contextmanager
def spike_days(con: duckdb.DuckDBPyConnection, first: date, last: date | None = None) -> Iterator[None]:
    """Within the block, `spikes` (and `spike_explanations`) score only the days first..last."""
    con.execute("SET VARIABLE spikes_from = ?", [first])
    if last is not None:
        con.execute("SET VARIABLE spikes_to = ?", [last])
    try:
        yield
    finally:
        con.execute("RESET VARIABLE spikes_from")
        if last is not None:
            con.execute("RESET VARIABLE spikes_to")


# The `spikes` view reads its baselines from this table; the canonical spikes are the same view
# text reading the canonical baselines instead.
_BASELINE_TABLE = "from agg_spike_baseline b"


def canonical_spikes_sql() -> str:
    """The `spikes` view's SQL with queries/canonical_spike_baseline.sql in place of
    agg_spike_baseline: the same rule over canonical entities (`entity_id` the canonical id)."""
    view = (VIEWS / "marts" / "spikes.sql").read_text()
    if view.count(_BASELINE_TABLE) != 1:
        raise RuntimeError(f"views/marts/spikes.sql must read `{_BASELINE_TABLE}` once, for the canonical spikes")
    baseline = (QUERIES / "canonical_spike_baseline.sql").read_text()
    return view.replace(_BASELINE_TABLE, f"from (\n{baseline}\n) b")


@contextmanager
def canonical_spike_days(con: duckdb.DuckDBPyConnection, first: date, last: date | None = None) -> Iterator[None]:
    """Within the block, the temp view `canonical_spikes` (canonical_spikes_sql: spikes of canonical
    entities) scores the days first..last, as `spikes` does; it is dropped after."""
    con.execute("CREATE OR REPLACE TEMP VIEW canonical_spikes AS " + canonical_spikes_sql())
    try:
        with spike_days(con, first, last):
            yield
    finally:
        con.execute("DROP VIEW IF EXISTS temp.canonical_spikes")
