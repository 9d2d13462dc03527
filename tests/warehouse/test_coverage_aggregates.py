"""coverage_daily's table (migration 028): kept by each load although dedup re-decides an older
article's copy flag and story after it was loaded; equal to a rebuild and to a recomputation; the
view gives the rows the view before it gave (tests/warehouse/reference_views/coverage_daily.sql)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Mention, Sentence, Tone
from tests.warehouse.identity import REFERENCE, Comparison, _compare
from tests.warehouse.test_aggregates import _table
from warehouse import dedup
from warehouse.aggregates import aggregate_differences, rebuild_aggregates
from warehouse.db import migrate
from warehouse.load import load_batch

D = date(2024, 1, 10)
AT = datetime(2024, 2, 1, 12, 0)
WORDS = ("market bank shares rose fell minister said government company profit election vote court police "
         "river storm budget deal talks trade oil price energy health school union strike airline rail").split()
NAMES = (("Acme", "ORG"), ("Kwame Mensah", "PERSON"))


def _text(rng: random.Random, n: int) -> str:
    return "\n\n".join(" ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(40)) + "."
                       for _ in range(n // 40))


def _load(con, items: list[tuple[str, str, date, str | None]], at: datetime) -> None:
    """items: (title, body, day, source); each article names Acme, every other one Kwame Mensah too."""
    outcomes, pairs = [], []
    for title, body, day, source in items:
        body = " ".join(n for n, _ in NAMES) + ". " + body
        path = f"/drop/{title}.txt"
        art = Article(title=title, body=body, published_at=day, source=source, language="en",
                      source_path=path, file_sha256=f"{hash((path, body)) & 0xffffffff:08x}")
        mentions = [Mention(n, lab, 0, body.index(n), body.index(n) + len(n), canonical=n, entity_label=lab,
                            sentiment=0.1) for n, lab in NAMES[: 1 + len(title) % 2]]
        outcomes.append(FileOutcome(FileRef(Path(path), 10, 1, art.file_sha256), articles=[art]))
        pairs.append((art, Extraction(article_id=art.article_id, sentences=[Sentence(0, 0, len(body), 0.1)],
                                      mentions=mentions, tone=Tone(0, 0, 0, 0, 0, 0, 1),
                                      sentiment_method="lexicon")))
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="r", ingested_at=at), flow_run_id="r", seen_at=at)


def _coverage(con) -> dict:
    return {(n, d): r for n, d, *r in con.execute(
        "SELECT name, day, articles, stories, outlets, copies FROM coverage_daily").fetchall()}


def _same_as_reference(con) -> Comparison:
    out = Comparison()
    _compare(con, "coverage_daily", (REFERENCE / "coverage_daily.sql").read_text(),
             "SELECT * FROM coverage_daily", {}, out)
    return out


def merge_scenario():
    """x and y on days D and D+1 (two stories), w a copy of y a week later (y's story), loaded;
    returns the connection and the last load: zz on day D holding both x and y, so y becomes a copy
    of zz (an older article's flag flips) and y's story is merged into x's, which moves w, an
    article zz is not a near-duplicate of (outside the window)."""
    rng = random.Random(7)
    x, y = _text(rng, 320), _text(rng, 320)
    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, [("x", x, D, "afp.com"), ("y", y, D + timedelta(1), None), ("other", _text(rng, 200), D, "bbc")], AT)
    w = "\n\n".join(y.split("\n\n")[:6]) + "\n\nA local note."
    _load(con, [("w", w, D + timedelta(8), "local.news")], AT + timedelta(hours=1))
    return con, lambda: _load(con, [("zz", x + "\n\n" + y, D, "wire")], AT + timedelta(hours=2))


@pytest.fixture(scope="module")
def loaded():
    con, load_zz = merge_scenario()
    con.execute("CREATE TABLE before_z AS SELECT * FROM coverage_daily")
    refreshed: list[list[str]] = []
    real = dedup.refresh_articles
    dedup.refresh_articles = lambda c, ids: (refreshed.append(ids), real(c, ids))
    try:
        load_zz()
    finally:
        dedup.refresh_articles = real
    yield con, refreshed
    con.close()


def test_dedup_changes_after_load_reach_the_table(loaded):
    con, refreshed = loaded
    titles = dict(con.execute("SELECT article_id, title FROM articles").fetchall())
    # the scenario happened: y is now a copy, w's story moved by the merge
    copies = dict(con.execute("SELECT article_id, is_copy FROM article_copies").fetchall())
    assert {titles[a] for a, c in copies.items() if c} == {"w", "y", "zz"}  # w copies y
    assert con.execute("SELECT count(*) FROM story_merges").fetchone()[0] >= 1
    assert {titles[a] for ids in refreshed for a in ids} >= {"x", "y", "w"}  # w only through the merge
    # y's entity-day counts a copy now, and the table says so without a rebuild
    before = {(n, d): r for n, d, *r in con.execute(
        "SELECT name, day, articles, stories, outlets, copies FROM before_z").fetchall()}
    after = _coverage(con)
    assert before[("Acme", D + timedelta(1))][3] == 0 and after[("Acme", D + timedelta(1))][3] == 1
    assert after != before
    assert aggregate_differences(con) == []


def test_the_view_gives_the_rows_of_the_view_before_it(loaded):
    con, _ = loaded
    out = _same_as_reference(con)
    assert out.rows >= 6 and out.differences == []
    # the unknown source is not an outlet, as count(distinct source) had it
    assert _coverage(con)[("Acme", D + timedelta(1))][2] == 0


def test_a_rebuild_gives_the_rows_the_loads_kept_and_the_check_names_a_tampered_row(loaded):
    con, _ = loaded
    kept = _table(con, "agg_coverage_day")
    rebuild_aggregates(con)
    assert _table(con, "agg_coverage_day") == kept
    con.execute("UPDATE agg_coverage_day SET stories = stories + 1 "
                "WHERE rowid = (SELECT min(rowid) FROM agg_coverage_day)")
    assert {d.table for d in aggregate_differences(con, limit=100)} == {"agg_coverage_day"}
    rebuild_aggregates(con)
    assert aggregate_differences(con) == []


def test_without_the_dedup_refresh_the_check_fails(monkeypatch):
    """The refresh in dedup.update is what keeps older articles' rows right."""
    monkeypatch.setattr(dedup, "refresh_articles", lambda con, ids: None)
    rng = random.Random(7)
    x, y = _text(rng, 320), _text(rng, 320)
    con = duckdb.connect(":memory:")
    migrate(con)
    _load(con, [("x", x, D, "afp.com"), ("y", y, D + timedelta(1), None)], AT)
    _load(con, [("zz", x + "\n\n" + y, D, "wire")], AT + timedelta(hours=2))
    assert {d.table for d in aggregate_differences(con, limit=100)} == {"agg_coverage_day"}


# --- agg_canonical_day: the canonical mapping changes at rebuild and at load --------------------

def _canonical_same_as_reference(con) -> Comparison:
    out = Comparison()
    _compare(con, "canonical_mentions_daily", (REFERENCE / "canonical_mentions_daily.sql").read_text(),
             "SELECT * FROM canonical_mentions_daily", {}, out)
    return out


def _archive():
    from tests.warehouse.test_entities import ARCHIVE
    from tests.warehouse.test_entities import _load as load_names

    con = duckdb.connect(":memory:")
    migrate(con)
    load_names(con, ARCHIVE, datetime(2004, 3, 2))
    return con, load_names


@pytest.mark.parametrize("lookup_max", [0, 2_000])
def test_the_rebuild_and_the_load_s_new_spellings_keep_the_canonical_rows(monkeypatch, lookup_max):
    """lookup_max: the load maps ids by joins (0) or by lookups in the key indexes (a watch run's)."""
    from warehouse import coverage_aggregates
    from warehouse.entities import rebuild_entities

    monkeypatch.setattr(coverage_aggregates, "INDEX_LOOKUP_MAX", lookup_max)
    con, load_names = _archive()
    assert aggregate_differences(con) == []  # before any rebuild: every id its own canonical
    rebuild_entities(con)
    assert aggregate_differences(con) == []
    # new spellings of Bush on the same day: the load joins them to George W Bush, counted once
    load_names(con, [[("President George W. Bush", "PERSON"), ("BUSH", "PERSON"), ("George W Bush", "PERSON")]],
               datetime(2004, 3, 3), first=100)
    assert aggregate_differences(con) == []
    out = _canonical_same_as_reference(con)
    assert out.rows == 4 and out.differences == [] and out.rounding_ties == []
    bush = con.execute("SELECT mentions, articles FROM canonical_mentions_daily "
                       "WHERE name = 'George W Bush'").fetchall()
    assert bush == [(6 * 2 + 3 + 2 + 1 + 3, 6 + 3 + 2 + 1 + 1)]


@pytest.mark.parametrize("step", ["refresh_aliased", "rebuild_canonical_days"])
def test_without_either_step_the_check_fails(monkeypatch, step):
    from warehouse import entities

    monkeypatch.setattr(entities, step, lambda *a: None)
    con, load_names = _archive()
    entities.rebuild_entities(con)
    load_names(con, [[("President George W. Bush", "PERSON"), ("BUSH", "PERSON")]], datetime(2004, 3, 3), first=100)
    assert {d.table for d in aggregate_differences(con, limit=100)} == {"agg_canonical_day"}
