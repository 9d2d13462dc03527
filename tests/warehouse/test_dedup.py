"""warehouse/dedup.py + stories.py: the batch compared with the warehouse, inside load_batch."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from presswatch.dedup.near import NearDupIndex, copy_of, doc
from presswatch.dedup.stories import StoryIndex, story_doc
from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Tone
from warehouse.db import migrate, sync_views
from warehouse.load import load_batch

NOW = datetime(2024, 1, 5, 12, 0)
WORDS = ("market bank shares rose fell minister said government company profit election vote court police "
         "river storm budget deal talks trade oil price energy health school union strike airline rail").split()


def _text(rng: random.Random, n: int) -> str:
    paras = []
    while n > 0:
        k = min(n, 40)
        paras.append(" ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(k)) + ".")
        n -= k
    return "\n\n".join(paras)


def _load(con, items: list[tuple[str, str, date, str, str | None]], at: datetime = NOW) -> None:
    """items: (title, body, day, source, authors)."""
    outcomes, pairs = [], []
    for i, (title, body, day, source, authors) in enumerate(items):
        path = f"/drop/{source}-{at.timestamp()}-{i}.txt"
        art = Article(title=title, body=body, published_at=day, source=source, language="en",
                      source_path=path, file_sha256=f"{hash((path, body)) & 0xffffffff:08x}", authors=authors)
        outcomes.append(FileOutcome(FileRef(Path(path), 10, 1, art.file_sha256), articles=[art]))
        pairs.append((art, Extraction(article_id=art.article_id, tone=Tone(0, 0, 0, 0, 0, 0, 1),
                                      sentiment_method="lexicon")))
    load_batch(con, outcomes, to_frames(pairs, flow_run_id="r", ingested_at=at), flow_run_id="r", seen_at=at)


@pytest.fixture()
def con():
    c = duckdb.connect(":memory:")
    migrate(c)
    sync_views(c)
    return c


def test_a_trimmed_copy_in_a_later_batch_is_a_copy_of_the_original(con):
    rng = random.Random(1)
    original = "PARIS, Jan 5 (AFP) - " + _text(rng, 300)
    other = _text(rng, 300)
    _load(con, [("Original", original, date(2024, 1, 5), "afp.com", None),
                ("Other", other, date(2024, 1, 5), "x", None)])
    # the outlet dropped the credit and the end, and added a local paragraph
    trimmed = ("\n\n".join(original.split("\n\n")[:4]).removeprefix("PARIS, Jan 5 (AFP) - ")
               + "\n\nA local council said it would study the plan.")
    _load(con, [("Rewritten headline", trimmed, date(2024, 1, 6), "local.news", None)], at=NOW + timedelta(hours=30))
    rows = con.execute("SELECT a.title, c.is_copy, c.has_copies, c.similarity, c.wire_agency, c.is_wire_copy, "
                       "c.wire_source, (SELECT title FROM articles WHERE article_id = c.copy_of) "
                       "FROM article_copies c JOIN articles a USING (article_id) ORDER BY a.title").fetchall()
    by = {r[0]: r[1:] for r in rows}
    assert by["Rewritten headline"][0] is True and by["Rewritten headline"][-1] == "Original"
    assert by["Rewritten headline"][2] >= 0.8  # containment: the copy lies inside the original
    assert by["Rewritten headline"][3:6] == ("AFP", True, "copy")
    assert by["Original"][:2] == (False, True) and by["Original"][3:6] == ("AFP", True, "lead")
    assert by["Other"][:2] == (False, False) and by["Other"][3] is None
    # the copy joined the original's story; the unrelated article has its own
    stories = dict(con.execute("SELECT a.title, c.story_id FROM article_copies c JOIN articles a USING (article_id)")
                   .fetchall())
    assert stories["Rewritten headline"] == stories["Original"] != stories["Other"]
    s = con.execute("SELECT article_count, outlets, title FROM stories WHERE story_id = ?",
                    [stories["Original"]]).fetchone()
    assert s == (2, 2, "Original")
    lag = con.execute("SELECT original_source, copy_source, lag_hours FROM syndication").fetchall()
    assert lag == [("afp.com", "local.news", 24)]


def test_copies_outside_the_window_are_not_linked(con):
    rng = random.Random(2)
    body = _text(rng, 200)
    _load(con, [("A", body, date(2024, 1, 1), "a", None)])
    _load(con, [("B", body + " Extra words at the end of the copy.", date(2024, 3, 1), "b", None)],
          at=NOW + timedelta(days=60))
    assert con.execute("SELECT count(*) FROM near_duplicates").fetchone() == (0,)


def test_warehouse_agrees_with_the_in_memory_index_over_batches(con):
    """The persisted LSH + SQL window give the same pairs, copy_of and stories as the in-memory twin."""
    rng = random.Random(3)
    bases = [_text(rng, rng.randint(80, 300)) for _ in range(12)]
    items = []
    for i, b in enumerate(bases):
        day = date(2024, 1, 1 + i % 4)
        items.append((f"story {i}", b, day, f"src{i % 3}", None))
        for j in range(rng.randint(0, 3)):
            paras = b.split("\n\n")
            copy = "\n\n".join(paras[:max(1, len(paras) - j)]) + f"\n\nLocal note {j} for outlet {i}."
            items.append((f"copy {j} of {i}", copy, day + timedelta(days=j % 2), f"out{j}", None))
    rng.shuffle(items)
    batches = [items[k:k + 7] for k in range(0, len(items), 7)]
    near, stories = NearDupIndex(), StoryIndex()
    links: dict[str, set[str]] = {}
    order = {}
    for n, batch in enumerate(batches):
        at = NOW + timedelta(minutes=n)
        _load(con, batch, at=at)
        docs = []
        for title, body, day, _, _ in batch:
            art = Article(title=title, body=body, published_at=day, source="", language="en")
            order[art.article_id] = (day, at, art.article_id)
            docs.append((art.article_id, title, body, day))
        pairs = near.add([doc(a, d, body) for a, _, body, d in docs])
        for p in pairs:
            links.setdefault(p.a, set()).add(p.b)
            links.setdefault(p.b, set()).add(p.a)
        stories.add_batch([story_doc(a, d, t, body) for a, t, body, d in docs], links, order)
    want_pairs = {(a, b) for a, bs in links.items() for b in bs if a < b}
    got_pairs = set(con.execute("SELECT article_id, other_id FROM near_duplicates").fetchall())
    assert got_pairs == want_pairs and len(want_pairs) >= 10
    got_copy = dict(con.execute("SELECT article_id, copy_of FROM article_copies WHERE is_copy").fetchall())
    from presswatch.dedup.near import Pair
    assert got_copy == copy_of([Pair(a, b, 1, 1) for a, b in want_pairs], order)
    got_story = dict(con.execute("SELECT article_id, story_id FROM article_copies").fetchall())
    assert got_story == stories.clusters()


@pytest.mark.parametrize("gap", [5, 6, 7])
def test_a_copy_of_an_article_beyond_the_story_window_joins_its_story(con, gap):
    """A near-duplicate partner `gap` days before the batch (past the story window, 3 days, inside
    the near window, 7) is still read back (its terms, its story): the day bounds of the SQL window
    reach as far as the near window. A copy 40 days older is in no window: no pair, its own story."""
    rng = random.Random(10 + gap)
    body = _text(rng, 200)
    day = date(2024, 2, 20)
    _load(con, [("Old", body + "\n\nFrom our archive.", day - timedelta(days=40), "old.example", None),
                ("Noise", _text(rng, 200), day - timedelta(days=40), "noise.example", None)],
          at=NOW - timedelta(days=30))
    _load(con, [("Partner", body, day, "a.example", None),
                ("Other", _text(rng, 200), day, "b.example", None)], at=NOW + timedelta(days=45))
    _load(con, [("Copy", body + "\n\nA local council said it would study the plan.", day + timedelta(days=gap),
                 "c.example", None)], at=NOW + timedelta(days=45 + gap))
    ids = dict(con.execute("SELECT title, article_id FROM articles").fetchall())
    pairs = con.execute("SELECT article_id, other_id FROM near_duplicates").fetchall()
    assert pairs == [tuple(sorted((ids["Partner"], ids["Copy"])))]
    story = dict(con.execute("SELECT a.title, c.story_id FROM article_copies c JOIN articles a USING (article_id)")
                 .fetchall())
    assert story["Copy"] == story["Partner"] == "s" + ids["Partner"]
    assert len({story["Old"], story["Partner"], story["Other"], story["Noise"]}) == 4
    assert con.execute("SELECT article_count FROM stories WHERE story_id = ?", [story["Partner"]]).fetchone() == (2,)
    copy = con.execute("SELECT is_copy, (SELECT title FROM articles WHERE article_id = c.copy_of) "
                       "FROM article_copies c WHERE article_id = ?", [ids["Copy"]]).fetchone()
    assert copy == (True, "Partner")
