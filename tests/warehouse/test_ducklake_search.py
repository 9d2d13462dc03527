"""Full-text search on a DuckLake warehouse (SQLite catalog): the index lives in a DuckDB side file
built from the lake's articles, and every query, score and saved-search hit equals the DuckDB
file's on the same small corpus (tests/warehouse/search_corpus.py)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from presswatch.search.saved import parse_searches
from tests.warehouse.search_corpus import ARTICLES, build
from tests.warehouse.test_search import CASES, SEARCHES
from warehouse import lake
from warehouse.db import open_db, writer
from warehouse.search import INDEX, after_ingest, refresh_index, run_saved, search

NEW = [("n1", "Blair thanks Brown", "Blair thanked Brown warmly at the bank.", "2005-07-01"),
       ("n2", "Zebra crossing", "A zebra crossed near the river bank.", "2005-07-02")]


def _lake(tmp_path) -> str:
    return f"ducklake:sqlite:{tmp_path / 'cat.sqlite'}?data_path={tmp_path / 'files'}/"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(DuckDB file, lake), both built from the same corpus and indexed."""
    root = tmp_path_factory.mktemp("lake-search")
    return build(root / "w.duckdb"), build(_lake(root))


def _hits(target, query: str) -> list[tuple[str, float]]:
    con = open_db(target, read_only=True)
    try:
        return [(h.article_id, round(h.score, 9)) for h in search(con, query, limit=None).hits]
    finally:
        con.close()


def test_the_index_is_a_side_file_and_the_lake_holds_no_index_tables(pair):
    _, target = pair
    side = lake.search_file(lake.parse_target(target).catalog)
    assert side.is_file()
    con = duckdb.connect(str(side), read_only=True)
    try:
        assert con.execute(f"SELECT num_docs FROM {INDEX}.stats").fetchone() == (len(ARTICLES),)
    finally:
        con.close()
    with open_db(target, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_schemas() WHERE database_name = 'lake' "
                           "AND schema_name = ?", [INDEX]).fetchone() == (0,)


def test_every_query_finds_and_scores_as_on_the_duckdb_file(pair):
    file, lake_con = (open_db(target, read_only=True) for target in pair)
    try:
        for query, expected in CASES:
            on_file, on_lake = ([(h.article_id, round(h.score, 9)) for h in search(con, query, limit=None).hits]
                                for con in (file, lake_con))
            assert {a for a, _ in on_lake} == expected, query
            assert on_lake == on_file, query
    finally:
        file.close()
        lake_con.close()


def test_saved_searches_and_appended_articles_match_the_duckdb_file(tmp_path):
    searches = parse_searches(SEARCHES)
    results = []
    for target in (build(tmp_path / "w.duckdb"), build(_lake(tmp_path))):
        with writer(target) as con:
            first = [(r.name, r.new_hits) for r in run_saved(con, searches, "run-1")]
            for article_id, title, body, day in NEW:
                con.execute("INSERT INTO articles (article_id, title, body, published_at, ingested_at) "
                            "VALUES (?, ?, ?, ?, ?)", [article_id, title, body, day, datetime(2026, 2, 1)])
            refreshed = refresh_index(con)
            third = [(r.name, r.new_hits) for r in run_saved(con, searches, "run-3")]
            hits = con.execute("SELECT search_name, article_id, round(score, 9), flow_run_id FROM search_hits "
                               "ORDER BY 1, 2").fetchall()
        results.append((first, (refreshed.mode, refreshed.added, refreshed.articles), third, hits,
                        _hits(target, "bank OR zebra OR brown")))
    assert results[0][1] == ("added", 2, len(ARTICLES) + 2)
    assert results[1] == results[0]


def test_the_ingest_step_refreshes_the_index_and_lets_the_side_file_go(tmp_path):
    target = build(_lake(tmp_path), articles=ARTICLES[:4])
    side = lake.search_file(lake.parse_target(target).catalog)
    with writer(target) as con:
        con.execute("INSERT INTO articles (article_id, title, body, ingested_at) "
                    "VALUES ('n2', 'Zebra crossing', 'A zebra crossed', ?)", [datetime(2026, 2, 1)])
        step = after_ingest(con, [], "run-2")
        assert (step.index.mode, step.index.added, step.index.articles) == ("added", 1, 5)
        # The writer is still open, but the index file is free: a reader in another process could open it.
        other = duckdb.connect(str(side), read_only=True)
        other.close()
    assert [a for a, _ in _hits(target, "zebra")] == ["n2"]
