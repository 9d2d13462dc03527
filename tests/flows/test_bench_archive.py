"""The archive benchmark's parts on a small archive: synthesis, the probes, the table."""

from __future__ import annotations

from datetime import datetime

import duckdb

from flows.bench_archive import COPIES, render, synthesize, time_queries, write_copy_files, write_probe_files
from tests.warehouse.test_aggregates import _load
from warehouse.aggregates import aggregate_differences
from warehouse.db import STORAGE_VERSION, migrate
from warehouse.entities import rebuild_entities


def test_a_small_archive_is_synthesized_timed_and_printed(tmp_path):
    source, archive = tmp_path / "src.duckdb", tmp_path / "archive.duckdb"
    con = duckdb.connect(str(source))
    migrate(con)
    _load(con, range(0, 30), datetime(2024, 3, 5, 9))
    con.close()
    fig = synthesize(source, archive, 600, say=lambda _line: None)
    con = duckdb.connect(str(archive), read_only=True)
    try:
        days = con.execute("SELECT count(DISTINCT day), min(day), max(day) FROM stg_articles").fetchone()
        long_tail = con.execute("SELECT count(*) FROM mentions WHERE surface LIKE 'Long tail %'").fetchone()[0]
        assert aggregate_differences(con) == []
        # the writers' format, as a warehouse grown by runs has it (not DuckDB's default v1.0.0)
        version = con.execute("SELECT tags['storage_version'] FROM duckdb_databases() "
                              "WHERE database_name = current_database()").fetchone()[0]
    finally:
        con.close()
    assert version == f"{STORAGE_VERSION}+"
    assert fig["rows"]["articles"] == 600 and days[0] > 300  # spread over the year
    assert 0.05 < long_tail / fig["rows"]["mentions"] < 0.15  # ~10% of the mentions
    con = duckdb.connect(str(archive))
    try:  # long-tail ids are the product's own (sha256 of label|name): a rebuild aliases none of them
        rebuild_entities(con)  # but a "GPE" no gazetteer knows, which the label vote makes an ORG
        aliased = con.execute("SELECT DISTINCT a.reason, e.label FROM entity_aliases a JOIN entities e "
                              "ON e.entity_id = a.alias_id WHERE e.name LIKE 'Long tail %'").fetchall()
        assert set(aliased) <= {("label vote", "GPE")}, aliased
        assert con.execute("SELECT count(*) FROM entities WHERE name LIKE 'Long tail %'").fetchone()[0] > 100
    finally:
        con.close()
    timed = time_queries(archive, repeat=1, say=lambda _line: None,
                         only=["cooccurrence", "entity_mentions_daily", "share_of_voice", "spikes", "top_quoted",
                               "entity_article_sentiment_daily"])
    probes = timed["probes"]
    assert {"cooccurrence: top 20", "cooccurrence: one entity", "entity_mentions_daily: one day",
            "share_of_voice: one entity", "spikes: one day", "top_quoted: top 20",
            "entity_article_sentiment_daily: count",
            "digest entities", "digest entity_tone", "report top_entities"} <= set(probes)
    assert probes["top_quoted: count"]["rows"] == 1 and probes["share_of_voice: top 20"]["rows"] == 20
    assert probes["cooccurrence: top 20"]["rows"] == 20 and probes["report top_entities"]["rows"] > 0
    report = {"machine": {"cpu": "x", "cpus": 2, "memory_gb": 1}, "started": "now", "load_before": [0, 0, 0],
              "load_after": [0, 0, 0], "sizes": {"600": {"articles": 600, "mb": 1.0, "synthesis": fig,
                                                          "queries": timed}}}
    text = render(report)
    assert "cooccurrence: top 20" in text and "peak RSS MB" in text


def _watch(loaded: int, copies_loaded: int = 10) -> dict:
    run = {"wall_s": 3.0, "articles_loaded": loaded, "stages": {"load": 1.0, "spacy": 0.5}}
    return {**run, "copies": {**run, "articles_loaded": copies_loaded, "stages": {"load": 2.0, "dedup": 0.5}}}


def test_a_watch_run_that_loaded_fewer_files_is_printed_as_not_comparable():
    def report(loaded_at_1m: int) -> dict:
        queries = {"probes": {}, "peak_rss_mb": 1.0}
        return {"machine": {"cpu": "x", "cpus": 2, "memory_gb": 1}, "started": "now",
                "load_before": [0, 0, 0], "load_after": [0, 0, 0],
                "sizes": {"base": {"articles": 10, "mb": 1.0, "queries": queries, "watch": _watch(10)},
                          "1000000": {"articles": 10, "mb": 1.0, "queries": queries,
                                      "watch": _watch(loaded_at_1m)}}}

    assert "NOT COMPARABLE" not in render(report(10))
    assert "NOT COMPARABLE: the timed run loaded other than 10 articles on 1000000 (0)" in render(report(0))
    text = render(report(10))
    copies = text.split(f"watch-mode run of 10 new files with {COPIES} earlier copies each")[1]
    assert "  of which dedup" in copies and "0.500 (1.00x)" in copies and "2.000 (1.00x)" in copies


def test_copy_files_are_new_articles_each_near_the_others(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i:03d}.txt").write_text(f"Story {i}.\n\nA body.\n", encoding="utf-8")
    write_copy_files(corpus, tmp_path / "c", 1, "2026-12-07T06:00:00")
    texts = [p.read_text() for p in sorted((tmp_path / "c").rglob("*.txt"))]
    assert len(texts) == COPIES * 2 and len(set(texts)) == COPIES * 2  # every file a distinct article
    assert sum(t.startswith("Story 1.\n\nA body.") for t in texts) == COPIES  # each text COPIES times


def test_probe_files_of_two_benches_differ_so_a_source_that_loaded_one_set_loads_the_other(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i:03d}.txt").write_text(f"Story {i}.\n\nA body.\n", encoding="utf-8")
    write_probe_files(corpus, tmp_path / "a", 1, "2026-12-06T10:00:00", n=2)
    write_probe_files(corpus, tmp_path / "b", 1, "2026-12-06T11:00:00", n=2)
    a = sorted(p.read_text() for p in (tmp_path / "a").iterdir())
    b = sorted(p.read_text() for p in (tmp_path / "b").iterdir())
    assert len(a) == len(b) == 2 and a[0].startswith("Story 1.") and b[1].startswith("Story 2.")
    assert set(a).isdisjoint(b)
