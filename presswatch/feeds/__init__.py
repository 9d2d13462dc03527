"""The feed poller's domain: feeds.toml, polite HTTP, feed parsing, item files in the drop folder.

    feeds = load_feeds(Path("feeds.toml"))
    result = poll_feeds(feeds, state, drop, limits, seen=...)   # presswatch/feeds/poll.py

No Prefect and no DuckDB here: the flow (flows/feeds.py) reads and records the warehouse's
memory of the feeds (warehouse/feeds.py) around one call of `poll_feeds`.
"""
