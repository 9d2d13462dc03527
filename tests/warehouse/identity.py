"""The views and queries as they were before the aggregates (reference_views/), run beside
today's, row for row: the comparison the views-identity tests make."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.db import QUERIES
from warehouse.leaders import top_entities

REFERENCE = Path(__file__).resolve().parent / "reference_views"
# Reference views that read each other, in build order.
VIEWS = ("entity_mentions_daily", "share_of_voice", "cooccurrence", "entity_article_sentiment",
         "entity_article_sentiment_daily", "tone_daily", "duplicates", "spikes", "top_quoted",
         "theme_attention_daily", "theme_attention_by_language", "theme_attention_by_source",
         "entity_attention_by_language", "entity_attention_by_source", "entity_tone_daily",
         "coverage_daily", "canonical_mentions_daily", "mentions_by_country_daily", "story_timeline")
DIGEST = ("entities", "entity_tone", "source_tone", "sources", "speakers", "titles")
_NAMES = re.compile(r"\b(" + "|".join(VIEWS) + r")\b")


@dataclass
class Comparison:
    rows: int = 0
    # (what, row key, column, reference value, value): values that differ
    differences: list[tuple] = field(default_factory=list)
    # float cells that differ by at most one unit of their rounding: a tie at the rounding's
    # half-way point, where the old view itself depended on the order DuckDB added the values
    rounding_ties: list[tuple] = field(default_factory=list)


def create_reference_views(con: duckdb.DuckDBPyConnection) -> None:
    """ref_<view> for each reference view, reading the other ref_ views."""
    for name in VIEWS:
        sql = (REFERENCE / f"{name}.sql").read_text().rstrip().rstrip(";")
        con.execute(f"CREATE OR REPLACE TEMP VIEW ref_{name} AS " + _NAMES.sub(r"ref_\1", sql))


def compare_views(con: duckdb.DuckDBPyConnection, out: Comparison | None = None) -> Comparison:
    create_reference_views(con)
    out = out or Comparison()
    for name in VIEWS:
        _compare(con, name, f"SELECT * FROM ref_{name}", f'SELECT * FROM "{name}"', {}, out)
    return out


def compare_queries(con: duckdb.DuckDBPyConnection, days: list, limits=(10, 100_000),
                    out: Comparison | None = None) -> Comparison:
    """The digest queries for each of `days` (and each limit), and the report's top entities."""
    out = out or Comparison()
    for name in DIGEST:
        ref = (REFERENCE / "digest" / f"{name}.sql").read_text()
        new = (QUERIES / "digest" / f"{name}.sql").read_text()
        for day in days:
            for limit in limits:
                params = {"day": day, "limit": limit}
                _compare(con, f"digest {name} {day} limit {limit}", ref, new, params, out)
    _compare(con, "top_entities", (REFERENCE / "top_entities.sql").read_text(),
             (QUERIES / "top_entities.sql").read_text(), {}, out)
    # what the run report reads: the leaders kept at load when they decide it (migration 036)
    reference = _run(con, (REFERENCE / "top_entities.sql").read_text(), {})[1]
    if (kept := top_entities(con)) != reference:
        out.differences.append(("top_entities (kept leaders)", None, "rows", reference, kept))
    out.rows += len(kept)
    return out


def _run(con, sql: str, params: dict):
    params = {k: v for k, v in params.items() if f"${k}" in sql}
    cur = con.execute(sql.rstrip().rstrip(";"), params)
    return [(d[0], str(d[1])) for d in cur.description], cur.fetchall()


def _compare(con, what: str, ref_sql: str, new_sql: str, params: dict, out: Comparison) -> None:
    unit = 1e-3 if what.startswith("digest") or what == "tone_daily" else 1e-4  # their round(x, n)
    ref_cols, ref_rows = _run(con, ref_sql, params)
    cols, rows = _run(con, new_sql, params)
    if cols != ref_cols:
        out.differences.append((what, None, "columns", ref_cols, cols))
        return
    if len(rows) != len(ref_rows):
        out.differences.append((what, None, "row count", len(ref_rows), len(rows)))
        return
    # Compared as sets of rows: an ORDER BY with ties (two labels of one name) orders them
    # either way, in the old query as in the new.
    ref_rows, rows = sorted(ref_rows, key=_key), sorted(rows, key=_key)
    out.rows += len(rows)
    for ref, row in zip(ref_rows, rows):
        for col, a, b in zip(ref_cols, ref, row):
            if a == b or (a is None and b is None):
                continue
            if isinstance(a, float) and isinstance(b, float) and _one_rounding_unit(a, b, unit):
                out.rounding_ties.append((what, _key(ref), col[0], a, b))
            else:
                out.differences.append((what, _key(ref), col[0], a, b))


def _key(row: tuple) -> tuple:
    """Sort key: the row's non-float cells first (its identity), then its floats."""
    exact = tuple("" if v is None else str(v) for v in row if not isinstance(v, float))
    floats = tuple(-math.inf if v is None else v for v in row if isinstance(v, float))
    return exact + tuple(str(round(f, 2)) for f in floats)


def _one_rounding_unit(a: float, b: float, unit: float) -> bool:
    """a and b are on the rounding's grid and one unit apart."""
    on_grid = abs(a / unit - round(a / unit)) < 1e-6 and abs(b / unit - round(b / unit)) < 1e-6
    return on_grid and abs(abs(a - b) - unit) < unit * 1e-6
