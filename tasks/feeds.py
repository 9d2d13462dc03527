from __future__ import annotations

from functools import partial
from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from presswatch.feeds.config import FeedConfig
from presswatch.feeds.fetch import FetchLimits
from presswatch.feeds.poll import FeedState, PollResult, poll_feeds
from warehouse.feeds import load_feed_state, load_written_keys, save_poll


@task(name="feed-state", cache_policy=NONE, retries=2, retry_delay_seconds=10, timeout_seconds=900)
def read_feed_state(warehouse: Path) -> dict[str, FeedState]:
    """What earlier polls remembered of each feed (read-only; waits while an ingest run writes)."""
    return load_feed_state(warehouse)


# One task for the whole poll: every feed, every new item (never a task per item).
@task(name="poll-feeds", cache_policy=NONE, timeout_seconds=3600)
def poll_all_feeds(feeds: list[FeedConfig], state: dict[str, FeedState], drop: Path, limits: FetchLimits,
                   warehouse: Path) -> PollResult:
    """Fetch every feed and write its new items into the drop folder; a failing feed is an outcome."""
    return poll_feeds(feeds, state, drop, limits, seen=partial(load_written_keys, warehouse))


@task(name="record-poll", cache_policy=NONE, retries=3, retry_delay_seconds=[2, 10, 30], timeout_seconds=900)
def record_poll(warehouse: Path, result: PollResult) -> None:
    """feed_state and feed_items in one short write transaction."""
    save_poll(warehouse, result)
