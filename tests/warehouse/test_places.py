"""The places and article_focus tables (migration 016): kept at load, rebuilt from the archive,
counted per country and day by the mentions_by_country_daily view. Real DuckDB file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import entity_id, to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Mention
from warehouse.db import migrate
from warehouse.load import load_batch
from warehouse.places import rebuild_places

AT = datetime(2024, 3, 2, 12, 0)


def _pair(i: int, names: list[tuple[str, str]], day: date) -> tuple[Article, Extraction]:
    body = f"Story {i}. " + " ".join(f"{name} spoke." for name, _ in names)
    art = Article(title=f"T{i}", body=body, published_at=day, source="AFP", language="en",
                  source_path=f"f{i}.txt", file_sha256=f"h{i}")
    mentions = []
    for name, label in names:
        start = body.index(name)
        mentions.append(Mention(name, label, 0, start, start + len(name), canonical=name, entity_label=label))
    return art, Extraction(article_id=art.article_id, sentences=[], mentions=mentions)


def _load(con, pairs) -> None:
    outcomes = [FileOutcome(FileRef(Path(a.source_path), 10, 1, a.file_sha256), articles=[a]) for a, _ in pairs]
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="run", ingested_at=AT), flow_run_id="run", seen_at=AT)


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(c)
    yield c
    c.close()


ARTICLES = [
    (1, [("Birmingham", "GPE"), ("England", "GPE"), ("Hamas", "ORG")], date(2024, 3, 1)),
    (2, [("Birmingham", "GPE"), ("Alabama", "GPE"), ("Alabama", "GPE")], date(2024, 3, 1)),
    (3, [("Birmingham", "GPE"), ("England", "GPE"), ("Gazprom", "GPE")], date(2024, 3, 2)),
]


def test_load_puts_places_on_the_map_and_rebuild_revotes(con):
    _load(con, [_pair(i, names, day) for i, names, day in ARTICLES[:2]])
    rows = dict(con.execute("SELECT entity_id, country_code FROM places").fetchall())
    # Hamas is no place; Birmingham's first batch is a tie between GB and US (lowest GeoNames id).
    assert entity_id("Hamas", "ORG") not in rows
    assert rows[entity_id("England", "GPE")] == "GB" and rows[entity_id("Alabama", "GPE")] == "US"
    focus = con.execute("SELECT country_code FROM article_focus ORDER BY country_code").fetchall()
    assert focus == [("GB",), ("US",)]

    _load(con, [_pair(3, ARTICLES[2][1], ARTICLES[2][2])])
    assert con.execute("SELECT count(*) FROM article_focus").fetchone() == (3,)
    assert rebuild_places(con) == (3, 3)  # Birmingham, England, Alabama; Gazprom resolves nowhere
    bham = con.execute("SELECT country_code, articles, agreement FROM places WHERE entity_id = ?",
                       [entity_id("Birmingham", "GPE")]).fetchone()
    assert bham == ("GB", 3, round(2 / 3, 4))
    assert rebuild_places(con) == (3, 3)  # idempotent


def test_mentions_by_country_daily(con):
    _load(con, [_pair(i, names, day) for i, names, day in ARTICLES])
    rebuild_places(con)
    got = con.execute("SELECT country_code, day, mentions, articles FROM mentions_by_country_daily "
                      "ORDER BY day, country_code").fetchall()
    # Article 2's Birmingham is in Alabama although the entity's row (2 articles of 3) says England.
    assert got == [("GB", date(2024, 3, 1), 2, 1), ("US", date(2024, 3, 1), 3, 1),
                   ("GB", date(2024, 3, 2), 2, 1)]
    assert con.execute("SELECT country_code FROM places WHERE entity_id = ?",
                       [entity_id("Birmingham", "GPE")]).fetchone() == ("GB",)


def test_sample_placed_gives_each_mention_its_articles_reading_and_sentence(con):
    from warehouse.places import sample_placed

    _load(con, [_pair(i, names, day) for i, names, day in ARTICLES])
    rebuild_places(con)
    got = sample_placed(con, 50)
    # Every placed GPE mention once (Gazprom and Hamas are on no map): 7 mentions of 3 places.
    assert len(got) == 7
    assert sample_placed(con, 50) == got  # the same seed, the same sample
    assert len(sample_placed(con, 3)) == 3
    alabama = [r for r in got if r["sentence"].startswith("Birmingham") and r["country_code"] == "US"]
    assert alabama and alabama[0]["feature"] == "city" and alabama[0]["latitude"] == pytest.approx(33.5, abs=0.2)
    assert {r["sentence"] for r in got if r["surface"] == "England"} == {"England spoke."}


def test_a_file_loaded_again_adds_no_place_rows(con):
    """The load writes focus and place rows only for articles new to the archive (plain inserts
    since session 18): loading the same files again, or with a new one, adds no second row."""
    pairs = [_pair(i, names, day) for i, names, day in ARTICLES[:2]]
    _load(con, pairs)
    counts = ("SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM article_focus), "
              "(SELECT count(*) FROM article_places)")
    first = con.execute(counts).fetchone()
    _load(con, pairs)
    assert con.execute(counts).fetchone() == first
    _load(con, [*pairs, _pair(3, ARTICLES[2][1], ARTICLES[2][2])])  # article 3 names known places only
    places, focus, placed = con.execute(counts).fetchone()
    assert (places, focus) == (first[0], first[1] + 1) and placed == first[2] + 2  # its Birmingham and England
    for table, key in (("places", "entity_id"), ("article_focus", "article_id"),
                       ("article_places", "article_id, entity_id")):
        assert con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
                           ).fetchone()[0] == 0, table
