"""The full-text index kept by the loads (warehouse/search_index.py: index_loaded): each batch's
articles go into the index in the batch's own transaction, and the index they make is the one a
rebuild over the same articles makes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Sentence
from warehouse import search_index
from warehouse.db import migrate
from warehouse.load import load_batch
from tests.warehouse.test_search import INDEX_TABLES
from warehouse.search import INDEX, refresh_index, search

# Invented articles, three batches.
BATCHES = [
    ["Harbour ferries stop as dockers strike over pay.",
     "The orchestra opened its winter season with a new symphony.",
     "Dockers at the northern harbour voted to strike again next week."],
    ["A rare owl was seen nesting in the old mill.",
     "Ferries resumed after the strike ended on Friday."],
    ["The mill will become a museum of river trade.",
     "Owl watchers gathered at dawn near the river."],
]


def _batch(bodies: list[str], n: int, at: datetime):
    outcomes, pairs = [], []
    for i, body in enumerate(bodies):
        path, sha = f"b{n}-{i}.txt", f"h{n}-{i}"
        article = Article(title=body.split()[1].title(), body=body, published_at=date(2026, 11, n + 1),
                          language="en", source_path=path, file_sha256=sha)
        outcomes.append(FileOutcome(FileRef(Path(path), len(body), 1, sha), articles=[article]))
        pairs.append((article, Extraction(article_id=article.article_id,
                                          sentences=[Sentence(0, 0, len(body), 0.0)])))
    return outcomes, to_frames(pairs, flow_run_id=f"run-{n}", ingested_at=at)


def _load(con, n: int, bodies: list[str] | None = None) -> None:
    at = datetime(2026, 12, 1, 10, n)
    load_batch(con, *_batch(BATCHES[n] if bodies is None else bodies, n, at), flow_run_id=f"run-{n}", seen_at=at)


def _fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    migrate(con)
    return con


def _index(con) -> dict[str, list[tuple]]:
    return {name: sorted(con.execute(sql).fetchall()) for name, sql in INDEX_TABLES.items()}


def _record(con) -> tuple:
    return con.execute("SELECT articles, last_ingested_at FROM search_index").fetchone()


def _current(con) -> tuple:
    return con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone()


def test_loads_build_then_append_the_index_a_rebuild_makes():
    con = _fresh()
    for n in range(len(BATCHES)):
        _load(con, n)
        assert _record(con) == _current(con), n  # current after every batch's commit
    loaded, hits = _index(con), _hits(con)
    assert refresh_index(con).mode == "unchanged"  # the run's search step: nothing left to do
    assert refresh_index(con, force=True).mode == "rebuilt"
    assert _index(con) == loaded
    assert len(hits) == 6 and _hits(con) == hits


def _hits(con) -> list[tuple[str, float]]:
    return [(h.article_id, round(h.score, 9)) for h in search(con, "strike OR owl OR mill", limit=None).hits]


def _articles_without_index(con) -> None:
    _load(con, 0)
    con.execute(f"DROP SCHEMA {INDEX} CASCADE")
    con.execute("DELETE FROM search_index")


def _an_article_the_index_lacks(con) -> None:
    _load(con, 0)
    con.execute("INSERT INTO articles (article_id, title, body, ingested_at) "
                "VALUES ('x1', 'Strike', 'Bakers strike too.', ?)", [datetime(2026, 12, 1, 9)])


# (a warehouse before the next batch, what the batch's load does with the index)
CASES = [
    ("an empty warehouse", lambda con: None, "built"),
    ("a current index", lambda con: _load(con, 0), "added"),
    ("articles and no index", _articles_without_index, "left"),
    ("an article not indexed yet", _an_article_the_index_lacks, "left"),
]


@pytest.mark.parametrize("before,mode", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_load_indexes_its_batch_only_from_a_current_index(before, mode, monkeypatch):
    con = _fresh()
    before(con)
    seen = []
    real = search_index.index_loaded
    monkeypatch.setattr("warehouse.load.index_loaded", lambda *a: seen.append(real(*a)) or seen[-1])
    _load(con, 1)
    assert seen == [mode]
    if mode == "left":  # the run's search step then brings the index up to every article, as before
        assert refresh_index(con).built
    assert _record(con) == _current(con)
    assert {h.article_id for h in search(con, "owl", limit=None).hits} == {
        a for (a,) in con.execute("SELECT article_id FROM articles WHERE body ILIKE '%owl%'").fetchall()}


def test_a_batch_of_known_articles_leaves_the_index_record_alone():
    con = _fresh()
    _load(con, 0)
    record = con.execute("SELECT * FROM search_index").fetchall()
    _load(con, 1, BATCHES[0])  # the same bodies again: duplicates, no new article
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(BATCHES[0])
    assert con.execute("SELECT * FROM search_index").fetchall() == record


def test_without_the_extension_the_batch_still_loads(monkeypatch):
    def missing():
        raise search_index.SearchUnavailable("the fts extension is not installed")

    monkeypatch.setattr(search_index, "fts_extension", missing)
    con = _fresh()
    _load(con, 0)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(BATCHES[0])
    assert not search_index.has_index(con)
