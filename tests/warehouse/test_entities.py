"""Cross-document resolution stored in a real DuckDB warehouse (warehouse/entities.py,
migration 015): the rebuild, its idempotence, the load's incremental step, the watchlist."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.entities.watchlist import WatchEntry, Watchlist
from presswatch.load import entity_id, to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Mention, Sentence
from warehouse.db import QUERIES, migrate
from warehouse.entities import rebuild_due, rebuild_entities, refresh_entities
from warehouse.load import load_batch
from warehouse.reports import read_figures


def _load(con, articles: list[list[tuple[str, str]]], at: datetime, first: int = 0) -> None:
    """Each article: its (name, label) mentions, written out in the body so spans are real."""
    outcomes, pairs = [], []
    for i, names in enumerate(articles, start=first):
        body = f"Story {i}. " + " ".join(f"{name} spoke." for name, _ in names)
        art = Article(title=f"T{i}", body=body, published_at=date(2004, 3, 1), source="BBC", language="en",
                      source_path=f"f{i}.txt", file_sha256=f"h{i}")
        mentions, pos = [], 0
        for name, label in names:
            pos = body.index(name, pos)
            mentions.append(Mention(name, label, 0, pos, pos + len(name), canonical=name, entity_label=label))
            pos += len(name)
        ex = Extraction(article_id=art.article_id, sentences=[Sentence(0, 0, len(body), None)], mentions=mentions)
        outcomes.append(FileOutcome(FileRef(Path(art.source_path), 10, 1, art.file_sha256), articles=[art]))
        pairs.append((art, ex))
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="r", ingested_at=at), flow_run_id="r", seen_at=at)


ARCHIVE = (
    [[("George W Bush", "PERSON"), ("George W Bush", "PERSON"), ("Tony Blair", "PERSON")]] * 6
    + [[("Bush", "PERSON"), ("Yukos", "ORG")]] * 3
    + [[("George Bush", "PERSON"), ("Mr Blair", "ORG"), ("Yukos", "PERSON")]] * 2
    + [[("Kate Bush", "PERSON"), ("George W. Bush", "PERSON")]]
)


@pytest.fixture()
def con():
    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, ARCHIVE, datetime(2004, 3, 2))
    return con


def _canonical(con, name: str, label: str) -> tuple[str, str, str]:
    return con.execute("SELECT canonical_id, canonical_name, canonical_label FROM entity_canonical "
                       "WHERE name = ? AND label = ?", [name, label]).fetchone()


def test_the_rebuild_resolves_every_spelling_through_the_view(con):
    counts = rebuild_entities(con)
    assert counts["entity_aliases"] == 5  # Bush, George Bush, George W. Bush, Mr Blair, Yukos PERSON
    bush = _canonical(con, "George W Bush", "PERSON")
    assert bush == (entity_id("George W Bush", "PERSON"), "George W Bush", "PERSON")
    for name in ("Bush", "George Bush", "George W. Bush"):
        assert _canonical(con, name, "PERSON") == bush, name
    assert _canonical(con, "Kate Bush", "PERSON")[1] == "Kate Bush"
    assert _canonical(con, "Mr Blair", "ORG")[1:] == ("Tony Blair", "PERSON")
    assert _canonical(con, "Yukos", "PERSON") == (entity_id("Yukos", "ORG"), "Yukos", "ORG")
    # Every raw id is still there, meaning what it meant: the view adds, never replaces.
    assert con.execute("SELECT count(*) FROM entity_canonical").fetchone()[0] == \
        con.execute("SELECT count(*) FROM entities").fetchone()[0]


def test_the_run_report_and_the_digest_count_canonical_entities(con):
    """What an analyst reads first: `Bush`, `George Bush` and `George W. Bush` inside George W
    Bush, `Mr Blair` (tagged ORG) inside Tony Blair, `Yukos` under its voted label ORG."""
    rebuild_entities(con)
    top = con.execute((QUERIES / "top_entities.sql").read_text()).fetchall()
    assert top == [("George W Bush", "PERSON", 18), ("Tony Blair", "PERSON", 8), ("Yukos", "ORG", 5),
                   ("Kate Bush", "PERSON", 1)]
    digest = con.execute((QUERIES / "digest" / "entities.sql").read_text(),
                         {"day": date(2004, 3, 2), "limit": 10}).fetchall()
    assert [row[:4] for row in digest] == [("George W Bush", "PERSON", 18, 12), ("Tony Blair", "PERSON", 8, 8),
                                           ("Yukos", "ORG", 5, 5), ("Kate Bush", "PERSON", 1, 1)]


def test_the_report_counts_canonical_entities_and_shares_voice_over_the_watchlist(con):
    """`presswatch report`: every spelling within its entity, found by any spelling; with a
    watchlist, share of voice is the watchlist's (a brand against the competitors it chose)."""
    rebuild_entities(con)
    day = date(2004, 3, 1)
    voice = read_figures(con, day, day).share_of_voice
    assert [(r["name"], r["label"], r["mentions"], r["share"]) for r in voice] == [
        ("George W Bush", "PERSON", 18, 0.5625), ("Tony Blair", "PERSON", 8, 0.25), ("Yukos", "ORG", 5, 0.1563),
        ("Kate Bush", "PERSON", 1, 0.0313)]
    assert {r["basis"] for r in voice} == {"people and organisations"}
    blair = read_figures(con, day, day, entity="mr blair").attention  # an alias finds its entity
    assert [(r["name"], r["articles"], r["day_articles"]) for r in blair] == [("Tony Blair", 8, 12)]
    rebuild_entities(con, Watchlist((WatchEntry("Tony Blair", "PERSON"), WatchEntry("Yukos", "ORG"))))
    voice = read_figures(con, day, day).share_of_voice
    assert [(r["name"], r["mentions"], r["share"], r["basis"]) for r in voice] == [
        ("Tony Blair", 8, 0.6154, "watchlist"), ("Yukos", 5, 0.3846, "watchlist")]


def test_a_second_rebuild_changes_nothing(con):
    rebuild_entities(con, now=datetime(2024, 1, 1))
    first = con.execute("SELECT * FROM entity_aliases ORDER BY alias_id").fetchall()
    rebuild_entities(con, now=datetime(2024, 6, 1))
    assert con.execute("SELECT * FROM entity_aliases ORDER BY alias_id").fetchall() == first
    assert {r[4] for r in first} == {datetime(2024, 1, 1)}  # decided_at kept: nothing was re-decided


def test_the_load_joins_a_new_spelling_to_a_known_entity(con):
    rebuild_entities(con)
    _load(con, [[("President George W. Bush", "PERSON"), ("BUSH", "PERSON"), ("Gordon Brown", "PERSON")]],
          datetime(2004, 3, 3), first=100)
    rows = dict(con.execute("SELECT alias_id, reason FROM entity_aliases").fetchall())
    assert rows[entity_id("President George W. Bush", "PERSON")] == "load"
    assert rows[entity_id("BUSH", "PERSON")] == "load"  # the key of the alias `Bush`
    assert entity_id("Gordon Brown", "PERSON") not in rows
    assert _canonical(con, "BUSH", "PERSON")[1] == "George W Bush"


def test_the_watchlist_wins_and_an_edit_is_applied_by_the_next_rebuild(con):
    wl = Watchlist((WatchEntry("George W. Bush", "PERSON", aliases=("Bush",), exclude=("Kate Bush",),
                               wikidata="Q207"),))
    rebuild_entities(con, wl)
    got = con.execute("SELECT canonical_name, wikidata, watchlist, reason FROM entity_canonical "
                      "WHERE name = 'Bush'").fetchone()
    assert got == ("George W. Bush", "Q207", True, "watchlist")
    assert _canonical(con, "Kate Bush", "PERSON")[1] == "Kate Bush"
    rebuild_entities(con, Watchlist())  # the entry removed: back to the automatic rules
    assert _canonical(con, "Bush", "PERSON")[1] == "George W Bush"
    assert con.execute("SELECT count(*) FROM entity_canonicals WHERE watchlist").fetchone()[0] == 0


def test_a_failed_rebuild_leaves_the_previous_decisions(con, monkeypatch):
    rebuild_entities(con)
    before = con.execute("SELECT * FROM entity_aliases ORDER BY alias_id").fetchall()
    import warehouse.entities as module

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")
    monkeypatch.setattr(module, "query_frame", broken)
    with pytest.raises(RuntimeError):
        rebuild_entities(con)
    assert con.execute("SELECT * FROM entity_aliases ORDER BY alias_id").fetchall() == before


def test_a_run_re_resolves_the_archive_when_it_grew_a_lot(con):
    assert rebuild_due(con)  # never rebuilt: a first load
    rows = refresh_entities(con, growth=0.5)
    assert rows["entity_aliases"] > 0 and "places" in rows
    assert _canonical(con, "Bush", "PERSON")[1] == "George W Bush"
    entities = con.execute("SELECT count(*) FROM entities").fetchone()[0]
    assert con.execute("SELECT trigger, entities FROM entity_rebuilds").fetchall() == [("run", entities)]
    # New entities up to half the table since that rebuild: the load's incremental step is enough.
    new = [[(f"Person {chr(65 + i)} Smith", "PERSON")] for i in range(entities // 2)]
    _load(con, new, datetime(2004, 3, 3), first=100)
    assert refresh_entities(con, growth=0.5) is None
    _load(con, [[("Someone Else", "PERSON")]], datetime(2004, 3, 3), first=200)
    assert refresh_entities(con, growth=0.5) is not None
    assert con.execute("SELECT count(*) FROM entity_rebuilds").fetchone()[0] == 2


def test_the_command_rebuild_is_recorded_and_counts_for_the_next_run(con):
    rebuild_entities(con)
    assert con.execute("SELECT trigger FROM entity_rebuilds").fetchall() == [("command",)]
    assert not rebuild_due(con)


def test_the_run_end_rebuild_works_on_a_ducklake_target(tmp_path):
    from warehouse.db import writer

    target = f"ducklake:{tmp_path / 'cat.ducklake'}?data_path={tmp_path / 'files'}/"
    with writer(target) as con:
        _load(con, ARCHIVE, datetime(2004, 3, 2))
        assert refresh_entities(con) is not None
        assert _canonical(con, "Bush", "PERSON")[1] == "George W Bush"
        assert con.execute("SELECT trigger FROM entity_rebuilds").fetchall() == [("run",)]
        assert refresh_entities(con) is None
