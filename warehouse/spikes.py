"""Bounding the `spikes` view to the days a caller needs (its session variables).

The view scores the whole archive unless the session sets `spikes_from` / `spikes_to`: a
window over every entity-day cannot be narrowed by a WHERE on the day afterwards, so the
alerts and reports set the bounds around their read and reset them after. The alerts and the
report read spikes of canonical entities (queries/canonical_spikes.sql), through a temp view
made for the bounded read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

from warehouse.db import QUERIES


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


@contextmanager
def canonical_spike_days(con: duckdb.DuckDBPyConnection, first: date, last: date | None = None) -> Iterator[None]:
    """Within the block, the temp view `canonical_spikes` (queries/canonical_spikes.sql: spikes of
    canonical entities) scores the days first..last, as `spikes` does; it is dropped after."""
    con.execute("CREATE OR REPLACE TEMP VIEW canonical_spikes AS " + (QUERIES / "canonical_spikes.sql").read_text())
    try:
        with spike_days(con, first, last):
            yield
    finally:
        con.execute("DROP VIEW IF EXISTS temp.canonical_spikes")
