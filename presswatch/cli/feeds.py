"""`presswatch feeds poll`: one poll of the feeds in feeds.toml (the flow `feeds/poll` serves)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from presswatch.cli.options import add_warehouse_option, drop_folder_missing
from presswatch.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    feeds = sub.add_parser("feeds", help="the feed poller: fetch the feeds of feeds.toml into the drop folder")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION")
    poll = actions.add_parser(
        "poll", help="poll every feed once: new items become files in DROP/feeds/, remembered in "
                     "the warehouse (feed_items, feed_state); exit 1 if a feed failed")
    poll.add_argument("drop", nargs="?", type=Path, help="drop folder (default: PRESSWATCH_DROP or ./drop)")
    poll.add_argument("--feeds", type=Path, help="the feeds file (default: PRESSWATCH_FEEDS or ./feeds.toml)")
    add_warehouse_option(poll)
    poll.set_defaults(func=cmd_poll)
    feeds.set_defaults(func=lambda args: _usage(feeds))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def cmd_poll(args: argparse.Namespace) -> int:
    settings = Settings.load(drop=args.drop, warehouse=args.warehouse, feeds=args.feeds)
    if drop_folder_missing(settings.drop):
        return 2
    from presswatch.feeds.config import FeedsFileError, load_feeds

    try:
        load_feeds(settings.feeds)  # said plainly here, before Prefect starts
    except FeedsFileError as exc:
        print(f"presswatch: {exc}", file=sys.stderr)
        return 2
    from flows.feeds import FeedParams, feed_poll
    from flows.ingest import one_shot_settings

    with one_shot_settings():
        result = feed_poll(FeedParams.from_settings(settings))
    print(result.render())
    return 1 if result.failed_feeds else 0
