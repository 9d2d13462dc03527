"""The feed poll flow (`feeds/poll` when served): feeds.toml -> new items in the drop folder.

The ingest deployment then picks the items up like any dropped file. A feed that fails is
recorded (feed_state.last_status, consecutive_failures) and fetched again next poll.
"""

from __future__ import annotations

from datetime import datetime, timezone

from prefect import flow, get_run_logger

from flows.params import FeedParams
from presswatch.feeds.config import load_feeds
from presswatch.feeds.fetch import FetchLimits
from presswatch.feeds.poll import PollResult
from tasks.feeds import poll_all_feeds, read_feed_state, record_poll

__all__ = ["FeedParams", "feed_poll"]


def _run_name() -> str:
    return f"poll feeds {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}"


@flow(name="feeds", flow_run_name=_run_name, log_prints=True)
def feed_poll(params: FeedParams) -> PollResult:
    log = get_run_logger()
    # Read every run, so an edit to feeds.toml counts from the next poll; an invalid file fails
    # the run with the message that names the entry.
    feeds = load_feeds(params.feeds)
    if not feeds:
        log.warning("%s lists no feeds ([[feed]] tables): nothing to poll", params.feeds)
        return PollResult(datetime.now(timezone.utc).replace(tzinfo=None), [])

    # 1. what earlier polls remembered (validators for conditional GETs)
    state = read_feed_state(params.warehouse)

    # 2. every feed fetched, its new items written into the drop folder
    limits = FetchLimits(timeout=params.feed_timeout, max_bytes=params.feed_max_bytes,
                         host_interval=params.feed_host_interval)
    result = poll_all_feeds(feeds, state, params.drop, limits, params.warehouse)

    # 3. remembered: feed_state and feed_items, one transaction
    record_poll(params.warehouse, result)

    for failed in result.failed_feeds:
        log.warning(failed.describe())
    log.info(result.render())
    return result
