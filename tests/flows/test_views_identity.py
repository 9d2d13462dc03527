"""The views, digest queries and report query on the aggregates give the rows the old views
gave (tests/warehouse/reference_views/), on real warehouses:

- the seed warehouse and 300 BBC articles, loaded by the ingest flow in batches (the
  aggregates kept by each load);
- a BBC-size archive (2,500 articles, ~10% of mentions on long-tail entities) synthesized in
  SQL from the 300 by the archive benchmark's own synthesizer (aggregates rebuilt). A full BBC
  ingest would cost ~4 minutes of CI; this costs well under one.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import eval_dir
from tests.flows.conftest import seed_run
from tests.warehouse.identity import compare_queries, compare_views
from warehouse.aggregates import aggregate_differences

pytestmark = [pytest.mark.usefixtures("prefect_server"), pytest.mark.slow]

BBC_FILES = 300


def _assert_identical(path, days: int = 4):
    con = duckdb.connect(str(path))
    try:
        assert aggregate_differences(con) == []
        ingest_days = [r[0] for r in con.execute(
            "SELECT DISTINCT ingest_day FROM stg_articles ORDER BY 1").fetchall()]
        picked = sorted(set(ingest_days[:: max(1, len(ingest_days) // days)] + ingest_days[-1:]))
        views = compare_views(con)
        queries = compare_queries(con, picked)
    finally:
        con.close()
    assert views.differences == [] and queries.differences == []
    # Averages at a rounding's half-way point may round either way (the old views summed in
    # DuckDB's thread order too); there must be only a handful of them.
    assert len(views.rounding_ties) <= max(2, views.rows // 2000), views.rounding_ties[:5]
    assert len(queries.rounding_ties) <= max(2, queries.rows // 2000), queries.rounding_ties[:5]
    return views, queries


def test_the_seed_warehouse(tmp_path):
    from flows.ingest import ingest

    params = seed_run(tmp_path)
    ingest(params)
    views, _ = _assert_identical(params.warehouse)
    assert views.rows > 50


@pytest.fixture(scope="module")
def bbc(tmp_path_factory):
    """300 BBC articles (60 per section) loaded by the ingest flow in batches of 100."""
    from flows.ingest import IngestParams, ingest

    root = eval_dir() / "bbc_news" / "bbc"
    if not root.is_dir():
        pytest.skip(f"BBC articles not found at {root} (see tests/conftest.py: eval_dir)")
    tmp = tmp_path_factory.mktemp("identity")
    drop = tmp / "drop"
    for section in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(section.glob("*.txt"))[: BBC_FILES // 5]:
            (drop / section.name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, drop / section.name / path.name)
    params = IngestParams(drop=drop, warehouse=tmp / "bbc.duckdb", batch_size=100)
    ingest(params)
    return params.warehouse


def test_bbc_articles_loaded_in_batches(bbc):
    views, queries = _assert_identical(bbc)
    assert views.rows > 10_000 and queries.rows > 100


def test_a_bbc_size_archive_synthesized_from_them(bbc, tmp_path):
    from flows.bench_archive import synthesize

    archive = tmp_path / "archive.duckdb"
    fig = synthesize(bbc, archive, 2_500, say=lambda _line: None)
    assert fig["rows"]["articles"] == 2_500 and fig["rows"]["agg_cooccurrence"] > 0
    views, _ = _assert_identical(archive)
    assert views.rows > 100_000
