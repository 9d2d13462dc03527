"""Feed items as files in the drop folder: named by a hash, written whole or not at all.

An item becomes a JSON article file the JSON reader loads (and, when its feed asks, the
linked page as an .html file beside it). Names come from sha256(feed, item key), never from
the feed's text; the bytes are a function of the item only, so rewriting an item that was
already written leaves the same file, which ingest's ledger skips.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from presswatch.feeds.parse import FeedItem

FEEDS_SUBFOLDER = "feeds"  # drop/feeds/<hash>.json: the poller's files, apart from users'


def item_stem(feed: str, key: str) -> str:
    return hashlib.sha256(f"{feed}\0{key}".encode()).hexdigest()[:32]


def item_paths(drop: Path, feed: str, key: str) -> tuple[Path, Path]:
    """Where the item's JSON file and its page's HTML go."""
    stem = Path(drop) / FEEDS_SUBFOLDER / item_stem(feed, key)
    return stem.with_suffix(".json"), stem.with_suffix(".html")


def item_json(item: FeedItem, feed: str) -> bytes:
    """The article file: the keys the JSON reader maps (title, body, published_at, source, url)."""
    record = {
        "title": item.title,
        "body": item.body,
        "published_at": item.published_at,
        "source": feed,
        "url": item.url,
        "authors": list(item.authors),
    }
    if item.body_is_summary:
        record["body_is_summary"] = True
    return json.dumps({k: v for k, v in record.items() if v not in (None, [])},
                      ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `.name.part` beside path (ignored by discovery), then rename it into place.
    Returns False, writing nothing, when the file already holds exactly these bytes."""
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        with open(part, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # the rename must never expose a file whose bytes are not on disk
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return True
