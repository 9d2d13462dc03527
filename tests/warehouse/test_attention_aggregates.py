"""The attention and tone aggregates (migration 026): kept by each load, equal to a rebuild and
to a recomputation, and the views on them give the rows the views before them gave
(tests/warehouse/reference_views/)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Theme, Tone
from tests.warehouse.identity import REFERENCE, Comparison, _compare
from tests.warehouse.test_aggregates import _article, _table
from warehouse.aggregates import aggregate_differences, rebuild_aggregates
from warehouse.attention_aggregates import ATTENTION_AGGREGATES
from warehouse.db import migrate
from warehouse.load import load_batch

VIEWS = ("theme_attention_daily", "theme_attention_by_language", "theme_attention_by_source",
         "entity_attention_by_language", "entity_attention_by_source", "entity_tone_daily")
THEMES = ("ECON", "HEALTH", "ELECTION", "ECON")


def _load_day(con, day: int, burst: int, at: datetime) -> None:
    """`burst` articles published on day `day` of March 2024, in two languages and three sources,
    some without a tone, with 0-3 themes (one repeated within an article)."""
    outcomes, pairs = [], []
    for i in range(day * 10, day * 10 + burst):
        art, ex = _article(i)
        art.published_at, art.file_sha256, art.source_path = date(2024, 3, 1) + timedelta(day), f"s{i}", f"s{i}"
        art.source, art.language = ["AFP", "Reuters", None][i % 3], ["en", "fr"][i % 2]
        ex.themes = [Theme(t, 1, 0.5) for t in THEMES[i % 3: i % 3 + i % 4]]
        ex.tone = None if i % 5 == 0 else Tone((i % 9 - 4) / 3, 2.0, 1.0, 3.0, 20.0, 1.0, 100)
        outcomes.append(FileOutcome(FileRef(Path(art.source_path), 10, 1, art.file_sha256), articles=[art]))
        pairs.append((art, ex))
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="run", ingested_at=at), flow_run_id="run", seen_at=at)


def _compare_views(con) -> Comparison:
    out = Comparison()
    for view in VIEWS:
        ref = (REFERENCE / f"{view}.sql").read_text()
        _compare(con, view, ref, f"SELECT * FROM {view}", {}, out)
    return out


@pytest.fixture(scope="module")
def loaded():
    """Days loaded late, early and in between (a backfill): each load touches the 7-day windows
    of days already loaded after it."""
    con = duckdb.connect(":memory:")
    migrate(con)
    order = [*range(12, 20), *range(0, 6), 9, 7, 11, 6, 8, 10]
    for n, day in enumerate(order):
        _load_day(con, day, 2 + day % 4, datetime(2024, 4, 1) + timedelta(hours=n))
    yield con
    con.close()


def test_each_load_keeps_the_tables_equal_to_the_base_tables(loaded):
    assert all(loaded.execute(f"SELECT count(*) FROM {t}").fetchone()[0] > 0 for t in ATTENTION_AGGREGATES)
    assert aggregate_differences(loaded) == []


def test_the_views_give_the_rows_of_the_views_before_them(loaded):
    views = _compare_views(loaded)
    assert views.rows > 300
    assert views.differences == [] and views.rounding_ties == []
    # languages, sources (an unknown one among them) and tones are all there
    assert loaded.execute("SELECT count(DISTINCT source) FROM entity_attention_by_source").fetchone()[0] == 3
    assert loaded.execute("SELECT count(*) FROM theme_attention_daily WHERE avg_tone IS NOT NULL").fetchone()[0] > 0


def test_a_rebuild_gives_the_rows_the_loads_kept(loaded):
    kept = {t: _table(loaded, t) for t in ATTENTION_AGGREGATES}
    rebuild_aggregates(loaded)
    assert {t: _table(loaded, t) for t in ATTENTION_AGGREGATES} == kept
    assert _compare_views(loaded).differences == []


def test_the_check_names_a_tampered_row_of_each_table(loaded):
    for table in ATTENTION_AGGREGATES:
        loaded.execute(f"UPDATE {table} SET articles = articles + 1 WHERE rowid = (SELECT min(rowid) FROM {table})")
    found = aggregate_differences(loaded, limit=1000)
    assert {d.table for d in found} == set(ATTENTION_AGGREGATES)
    rebuild_aggregates(loaded)
    assert aggregate_differences(loaded) == []
