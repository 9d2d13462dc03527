"""feed_state and feed_items: one transaction per poll, read back as the next poll needs them."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from presswatch.feeds.poll import FeedOutcome, FeedState, ItemOutcome, PollResult
from warehouse.db import writer
from warehouse.feeds import load_feed_state, load_written_keys, save_poll

T1, T2 = datetime(2026, 11, 30, 9, 0), datetime(2026, 11, 30, 9, 15)


def _item(key: str, status: str = "written", error: str | None = None) -> ItemOutcome:
    return ItemOutcome("World", key, key, f"https://n.example/{key}", f"Title {key}", status,
                       f"/drop/feeds/{key}.json" if status != "skipped" else None, None, error)


def _rows(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_missing_warehouse_remembers_nothing(tmp_path):
    missing = tmp_path / "none.duckdb"
    assert load_feed_state(missing) == {}
    assert load_written_keys(missing, [("World", "a")]) == set()
    assert not missing.exists()


def test_a_warehouse_without_the_feed_tables_remembers_nothing(tmp_path):
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()
    assert load_feed_state(path) == {} and load_written_keys(path, [("World", "a")]) == set()


def test_poll_round_trip(tmp_path):
    path = tmp_path / "w.duckdb"
    first = PollResult(T1, [
        FeedOutcome("World", "https://n.example/rss", "ok", FeedState("https://n.example/rss", '"e1"', "Mon"), 200,
                    items_in_feed=3, items=[_item("a"), _item("b", "failed", "page: HTTP 404"), _item("c", "skipped",
                                                                                                     "no content")]),
        FeedOutcome("Tech", "https://t.example/atom", "failed", FeedState("https://t.example/atom", None, None, 1),
                    500, "HTTP 500 Internal Server Error"),
    ])
    save_poll(path, first)
    assert load_feed_state(path) == {"World": FeedState("https://n.example/rss", '"e1"', "Mon", 0, 1),
                                     "Tech": FeedState("https://t.example/atom", None, None, 1)}
    asked = [("World", "a"), ("World", "b"), ("World", "c"), ("World", "zzz"), ("Tech", "a")]
    assert load_written_keys(path, asked) == {("World", "a")}  # failed and skipped are tried again

    second = PollResult(T2, [
        FeedOutcome("World", "https://n.example/rss", "ok", FeedState("https://n.example/rss", '"e2"', None), 200,
                    items_in_feed=3, items=[_item("b"), _item("c", "skipped", "no content")], seen_again=["a"]),
        FeedOutcome("Tech", "https://t.example/atom", "failed", FeedState("https://t.example/atom", None, None, 2),
                    None, "timed out after 20 s"),
    ])
    save_poll(path, second)
    rows = _rows(path, "SELECT item_key, status, first_seen_at, last_seen_at, attempts, error FROM feed_items "
                       "ORDER BY item_key")
    assert rows == [("a", "written", T1, T2, 1, None), ("b", "written", T1, T2, 2, None),
                    ("c", "skipped", T1, T2, 2, "no content")]
    state = _rows(path, "SELECT feed, etag, last_polled_at, last_status, http_status, consecutive_failures, "
                        "last_error FROM feed_state ORDER BY feed")
    assert state == [("Tech", None, T2, "failed", None, 2, "timed out after 20 s"),
                     ("World", '"e2"', T2, "ok", 200, 0, None)]


def test_the_record_is_one_transaction(tmp_path):
    path = tmp_path / "w.duckdb"
    bad = PollResult(T1, [FeedOutcome("World", "u", "ok", FeedState("u"), 200,
                                      items=[_item("a"), _item("b", status="lost")])])  # violates the CHECK
    with pytest.raises(duckdb.Error, match="CHECK constraint"):
        save_poll(path, bad)
    with writer(path) as con:
        assert con.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM feed_state").fetchone()[0] == 0
