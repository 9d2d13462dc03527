"""One transaction per batch; duplicates and quarantine decided inside it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.records import Article, Extraction, Mention, Quote, Sentence, Tone
from presswatch.read.batch import FileOutcome
from presswatch.load import entity_id, to_frames
from warehouse.db import migrate
from warehouse.load import load_batch

NOW = datetime(2024, 1, 1, 12, 0)


def _article(body: str, path: str, sha: str) -> Article:
    return Article(title="T", body=body, published_at=date(2023, 10, 12), source="AFP",
                   language="en", source_path=path, file_sha256=sha)


def _extraction(article: Article) -> Extraction:
    end = article.body.index(" ")
    return Extraction(
        article_id=article.article_id,
        sentences=[Sentence(0, 0, len(article.body), -0.5)],
        mentions=[Mention("Blinken", "GPE", 0, 0, end, canonical="Antony Blinken",
                          entity_label="PERSON", sentiment=-0.5)],
        quotes=[Quote(0, "We have their back", "Antony Blinken", "said", 0, end,
                      speaker_label="PERSON")],
        tone=Tone(-2.0, 1.0, 3.0, 4.0, 10.0, 1.0, len(article.body.split())),
        sentiment_method="lexicon")


def _batch(*files: tuple[str, str, str | None, str | None]):
    """files: (path, sha, body or None, error or None)."""
    outcomes, pairs = [], []
    for path, sha, body, error in files:
        ref = FileRef(Path(path), 10, 1, sha)
        if error:
            outcomes.append(FileOutcome(ref, error=error))
            continue
        art = _article(body, path, sha)
        outcomes.append(FileOutcome(ref, articles=[art]))
        pairs.append((art, _extraction(art)))
    return outcomes, to_frames(pairs, flow_run_id="run-1", ingested_at=NOW)


@pytest.fixture()
def con():
    c = duckdb.connect(":memory:")
    migrate(c)
    return c


def test_batch_loads_articles_children_and_ledger(con):
    outcomes, frames = _batch(("a.txt", "h1", "Blinken flew to Israel.", None),
                              ("b.json", "h2", None, "invalid JSON: Expecting value"))
    result = load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    assert result.articles_loaded == 1
    assert con.execute("SELECT status, error FROM ingest_log ORDER BY source_path").fetchall() == [
        ("loaded", None), ("quarantined", "invalid JSON: Expecting value")]
    eid = entity_id("Antony Blinken", "PERSON")
    assert con.execute("SELECT entity_id, name, label FROM entities").fetchall() == [
        (eid, "Antony Blinken", "PERSON")]
    assert con.execute("SELECT label, ner_label FROM mentions").fetchall() == [("PERSON", "GPE")]
    assert con.execute("SELECT speaker_entity_id FROM quotes").fetchall() == [(eid,)]
    assert con.execute("SELECT tone, sentiment_method FROM articles").fetchall() == [(-2.0, "lexicon")]


def test_same_article_under_another_name_is_a_duplicate(con):
    body = "Blinken flew to Israel."
    outcomes, frames = _batch(("a.txt", "h1", body, None), ("copy.txt", "h1", body, None),
                              ("reworded.txt", "h3", "  blinken   flew to Israel. ", None))
    result = load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    assert [e.status for e in result.entries] == ["loaded", "duplicate", "duplicate"]
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM mentions").fetchone() == (1,)
    # A later batch with the same article is a duplicate too, pointing at the first.
    outcomes, frames = _batch(("later.txt", "h4", body, None))
    result = load_batch(con, outcomes, frames, flow_run_id="run-2", seen_at=NOW)
    assert result.entries[0].status == "duplicate"
    assert result.entries[0].article_id == con.execute("SELECT article_id FROM articles").fetchone()[0]


def test_every_record_of_a_dump_is_counted_even_those_the_warehouse_already_holds(con):
    # Overlapping hourly API dumps: a file repeating 2 stored articles beside 1 new one read
    # "article_count 1, records_found 3, duplicate_records 0", two records counted nowhere.
    bodies = ["Blinken flew to Israel.", "Blinken met Netanyahu.", "Blinken left Tel Aviv."]
    outcomes, frames = _batch(("hour1.jsonl", "h1", bodies[0], None), ("hour1b.jsonl", "h2", bodies[1], None))
    load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    arts = [_article(b, "hour2.jsonl", "h3") for b in bodies + [bodies[2]]]  # the last record repeated
    for i, a in enumerate(arts):
        a.record_idx = i
    ref = FileRef(Path("hour2.jsonl"), 10, 1, "h3")
    outcome = FileOutcome(ref, articles=arts, records_found=4)
    frames = to_frames([(a, _extraction(a)) for a in arts], flow_run_id="run-2", ingested_at=NOW)
    (entry,) = load_batch(con, [outcome], frames, flow_run_id="run-2", seen_at=NOW).entries
    assert (entry.status, entry.articles, entry.duplicate_records, entry.known_records) == ("loaded", 1, 1, 2)
    assert con.execute("SELECT article_count, duplicate_records, known_records, records_found FROM ingest_log "
                       "WHERE source_path = 'hour2.jsonl'").fetchone() == (1, 1, 2, 4)
    # A file of nothing new: every record known.
    outcomes, frames = _batch(("hour3.jsonl", "h4", bodies[1], None))
    (entry,) = load_batch(con, outcomes, frames, flow_run_id="run-3", seen_at=NOW).entries
    assert (entry.status, entry.articles, entry.known_records) == ("duplicate", 0, 1)


def test_a_file_already_in_the_ledger_is_skipped_not_recorded_twice(con):
    outcomes, frames = _batch(("a.txt", "h1", "Blinken flew to Israel.", None))
    load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    result = load_batch(con, outcomes, frames, flow_run_id="run-2", seen_at=NOW)
    assert [e.status for e in result.entries] == ["skipped"]
    assert con.execute("SELECT count(*) FROM ingest_log").fetchone() == (1,)


def test_a_failing_batch_leaves_nothing_behind(con, monkeypatch):
    outcomes, frames = _batch(("a.txt", "h1", "Blinken flew to Israel.", None))
    # Break the last insert of the transaction: the ledger row.
    frames.tables["sentences"] = frames["sentences"].with_columns(
        frames["sentences"]["sentence_idx"].alias("no_such_column"))
    with pytest.raises(duckdb.Error):
        load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    for table in ("articles", "entities", "mentions", "quotes", "ingest_log"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


def test_a_batch_runs_on_one_duckdb_thread_and_gives_the_setting_back(con, monkeypatch):
    import warehouse.load as load

    con.execute("SET threads = 3")
    seen = []
    real = load.update_aggregates
    monkeypatch.setattr(load, "update_aggregates", lambda c, *a: seen.append(
        c.execute("SELECT current_setting('threads')").fetchone()[0]) or real(c, *a))
    outcomes, frames = _batch(("a.txt", "h1", "Blinken flew to Israel.", None))
    load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    assert seen == [load.LOAD_THREADS]
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 3
    # a failed batch gives it back too
    outcomes, frames = _batch(("b.txt", "h2", "Blinken flew to Gaza.", None))
    frames.tables["sentences"] = frames["sentences"].with_columns(
        frames["sentences"]["sentence_idx"].alias("no_such_column"))
    with pytest.raises(duckdb.Error):
        load_batch(con, outcomes, frames, flow_run_id="run-1", seen_at=NOW)
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 3
