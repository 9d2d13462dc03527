"""The feed poller's memory: feed_state (validators, health) and feed_items (what was written).

Reads open the warehouse read-only and briefly; a poll's record is one short write
transaction, waiting politely (warehouse.db.writer) while an ingest run holds the file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from presswatch.feeds.poll import FeedState, PollResult
from warehouse.db import open_db, writer

_TABLES = ["feed_items", "feed_state"]


def read_feed_state(con: duckdb.DuckDBPyConnection) -> dict[str, FeedState]:
    if not _has_tables(con):
        return {}
    rows = con.execute(
        "SELECT s.feed, s.url, s.etag, s.last_modified, s.consecutive_failures, count(i.item_key) "
        "FROM feed_state s LEFT JOIN feed_items i ON i.feed = s.feed AND i.status = 'failed' "
        "GROUP BY ALL").fetchall()
    return {feed: FeedState(url, etag, modified, failures, pending)
            for feed, url, etag, modified, failures, pending in rows}


def written_keys(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (feed, item_key) pairs among `pairs` whose items were written in an earlier poll."""
    if not pairs or not _has_tables(con):
        return set()
    asked = pl.DataFrame(pairs, schema={"feed": pl.String, "item_key": pl.String}, orient="row")
    con.register("asked_items", asked)
    try:
        rows = con.execute("SELECT i.feed, i.item_key FROM feed_items i JOIN asked_items a "
                           "USING (feed, item_key) WHERE i.status = 'written'").fetchall()
    finally:
        con.unregister("asked_items")
    return set(rows)


def record_poll(con: duckdb.DuckDBPyConnection, result: PollResult) -> None:
    """Every feed's state and every item handled, in one transaction."""
    at = result.polled_at
    items = pl.DataFrame(
        [(i.feed, i.key, i.guid, i.url, i.title, i.status, i.drop_path, i.page_path, i.error)
         for i in result.items],
        schema={name: pl.String for name in ("feed", "item_key", "guid", "url", "title", "status",
                                             "drop_path", "page_path", "error")}, orient="row")
    again = pl.DataFrame([(f.feed, key) for f in result.feeds for key in f.seen_again],
                         schema={"feed": pl.String, "item_key": pl.String}, orient="row")
    states = [(f.feed, f.state.url, f.state.etag, f.state.last_modified, at, f.status, f.http_status,
               f.state.consecutive_failures, f.error) for f in result.feeds]
    con.register("polled_items", items)
    con.register("listed_again", again)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO feed_items SELECT feed, item_key, guid, url, title, $at, $at, status, drop_path, "
            "page_path, error, 1 FROM polled_items "
            "ON CONFLICT (feed, item_key) DO UPDATE SET guid = excluded.guid, url = excluded.url, "
            "title = excluded.title, last_seen_at = excluded.last_seen_at, status = excluded.status, "
            "drop_path = excluded.drop_path, page_path = excluded.page_path, error = excluded.error, "
            "attempts = attempts + 1", {"at": at})
        con.execute("UPDATE feed_items SET last_seen_at = $at FROM listed_again a "
                    "WHERE feed_items.feed = a.feed AND feed_items.item_key = a.item_key", {"at": at})
        if states:
            con.executemany("INSERT OR REPLACE INTO feed_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", states)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("polled_items")
        con.unregister("listed_again")


# --- by path: what the flow's tasks call ---------------------------------------------------

def load_feed_state(warehouse: Path, timeout: float = 600.0) -> dict[str, FeedState]:
    """The feeds' state, read-only; empty before the warehouse exists."""
    return _read(warehouse, timeout, read_feed_state)


def load_written_keys(warehouse: Path, pairs: list[tuple[str, str]], timeout: float = 600.0) -> set[tuple[str, str]]:
    return _read(warehouse, timeout, lambda con: written_keys(con, pairs)) if pairs else set()


def save_poll(warehouse: Path, result: PollResult, timeout: float = 600.0) -> None:
    """Record the poll: the one writer, held for one transaction."""
    with writer(warehouse, timeout=timeout) as con:
        record_poll(con, result)


def _read(warehouse: Path, timeout: float, read):
    # Before the first load there is no file: an empty database gives the empty answers.
    con = (open_db(warehouse, read_only=True, timeout=timeout) if Path(warehouse).exists()
           else duckdb.connect(":memory:"))
    try:
        return read(con)
    finally:
        con.close()


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                        "AND list_contains(?, table_name)", [_TABLES]).fetchone()[0]
    return found == len(_TABLES)
