"""One poll: fetch every feed, write the items not written before, say what happened to each.

A feed that fails (HTTP error, timeout, over the size cap, not a feed) becomes a `failed`
outcome and the poll goes on; it is fetched again on the next poll. An item counts as done
once written: failed and skipped items are looked at again while their feed still lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from presswatch.feeds.config import FeedConfig
from presswatch.feeds.drop import item_json, item_paths, write_atomic
from presswatch.feeds.fetch import Fetcher, FetchError, FetchLimits, Response
from presswatch.feeds.parse import FeedItem, FeedParseError, ParsedFeed, parse_feed
from presswatch.text import plain

ItemStatus = Literal["written", "failed", "skipped"]
FeedStatus = Literal["ok", "not-modified", "failed"]
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
# Feeds fetched at once; the host limiter still keeps one host's requests apart.
POLL_THREADS = 4

# (feed name, item key) pairs in, the pairs among them already written out.
SeenLookup = Callable[[list[tuple[str, str]]], set[tuple[str, str]]]


@dataclass(frozen=True)
class FeedState:
    """What the warehouse remembers of a feed between polls."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0
    failed_items: int = 0  # items whose write failed: the next fetch is unconditional, to retry them


@dataclass(frozen=True)
class ItemOutcome:
    feed: str
    key: str
    guid: str | None
    url: str | None
    title: str | None
    status: ItemStatus
    drop_path: str | None = None  # the JSON article file
    page_path: str | None = None  # the linked page (feeds with fetch_pages)
    error: str | None = None


@dataclass
class FeedOutcome:
    feed: str
    url: str
    status: FeedStatus
    state: FeedState  # to remember for the next poll
    http_status: int | None = None
    error: str | None = None
    problem: str | None = None  # the parser recovered from this
    items_in_feed: int = 0
    items: list[ItemOutcome] = field(default_factory=list)  # this poll's new (or retried) items
    seen_again: list[str] = field(default_factory=list)  # keys written before, still listed

    def count(self, status: ItemStatus) -> int:
        return sum(item.status == status for item in self.items)

    def describe(self) -> str:
        """One line for logs and the CLI; errors quote servers and feeds, so they are escaped."""
        name = plain(self.feed)
        if self.status == "failed":
            return f"{name}: FAILED ({plain(self.error)}); fetched again next poll"
        if self.status == "not-modified":
            return f"{name}: not modified"
        parts = [f"{self.count('written')} new item(s) written"]
        parts += [f"{n} {s}" for s in ("failed", "skipped") if (n := self.count(s))]
        note = f"; parser recovered from {plain(self.problem)}" if self.problem else ""
        return f"{name}: {self.items_in_feed} item(s) in the feed, {', '.join(parts)}{note}"


@dataclass
class PollResult:
    polled_at: datetime  # UTC, naive (as the warehouse stores timestamps)
    feeds: list[FeedOutcome]

    @property
    def items(self) -> list[ItemOutcome]:
        return [item for feed in self.feeds for item in feed.items]

    def count(self, status: ItemStatus) -> int:
        return sum(item.status == status for item in self.items)

    @property
    def failed_feeds(self) -> list[FeedOutcome]:
        return [feed for feed in self.feeds if feed.status == "failed"]

    def render(self) -> str:
        head = (f"polled {len(self.feeds)} feed(s): {self.count('written')} item(s) written, "
                f"{self.count('failed')} failed, {self.count('skipped')} skipped, "
                f"{len(self.failed_feeds)} feed(s) failed")
        return "\n".join([head, *("  " + feed.describe() for feed in self.feeds)])


@dataclass
class _Fetched:
    feed: FeedConfig
    prior: FeedState | None
    response: Response | None = None
    parsed: ParsedFeed | None = None
    error: str | None = None
    http_status: int | None = None


def poll_feeds(feeds: list[FeedConfig], state: dict[str, FeedState], drop: Path, limits: FetchLimits,
               *, seen: SeenLookup, fetcher: Fetcher | None = None,
               now: datetime | None = None) -> PollResult:
    """Fetch each feed (conditionally, when its state has a validator for the same URL), ask
    `seen` once which items were written before, write the others to `drop`."""
    polled_at = now or datetime.now(timezone.utc).replace(tzinfo=None)
    own = fetcher is None
    fetcher = fetcher or Fetcher(limits)
    try:
        fetched = _each(lambda feed: _fetch(fetcher, feed, state.get(feed.name)), feeds)
        pairs = [(f.feed.name, item.key) for f in fetched if f.parsed for item in f.parsed.items]
        done = seen(pairs) if pairs else set()
        outcomes = _each(lambda f: _settle(fetcher, f, done, Path(drop)), fetched)
    finally:
        if own:
            fetcher.close()
    return PollResult(polled_at, outcomes)


def _each(work: Callable, things: Iterable) -> list:
    things = list(things)
    if len(things) <= 1:
        return [work(thing) for thing in things]
    with ThreadPoolExecutor(max_workers=POLL_THREADS, thread_name_prefix="presswatch-feeds") as pool:
        return list(pool.map(work, things))


def _fetch(fetcher: Fetcher, feed: FeedConfig, prior: FeedState | None) -> _Fetched:
    # A feed's new URL starts afresh; items still to retry need the document, not a 304.
    same = prior is not None and prior.url == feed.url and not prior.failed_items
    out = _Fetched(feed, prior)
    try:
        out.response = fetcher.get(feed.url, etag=prior.etag if same else None,
                                   last_modified=prior.last_modified if same else None, accept=FEED_ACCEPT)
        out.http_status = out.response.status
        if not out.response.not_modified:
            out.parsed = parse_feed(out.response.body, out.response.url, out.response.content_type)
    except (FetchError, FeedParseError) as exc:
        out.error = str(exc)
    except Exception as exc:  # one feed's surprise never stops the others; it is recorded
        out.error = f"unexpected {type(exc).__name__}: {exc}"
    return out


def _settle(fetcher: Fetcher, fetched: _Fetched, done: set[tuple[str, str]], drop: Path) -> FeedOutcome:
    feed, prior = fetched.feed, fetched.prior
    if fetched.error is not None:
        base = prior if prior is not None and prior.url == feed.url else FeedState(feed.url)
        state = replace(base, consecutive_failures=base.consecutive_failures + 1)
        return FeedOutcome(feed.name, feed.url, "failed", state, fetched.http_status, fetched.error)
    response = fetched.response
    state = FeedState(feed.url, response.etag, response.last_modified)
    if fetched.parsed is None:
        return FeedOutcome(feed.name, feed.url, "not-modified", state, response.status)
    out = FeedOutcome(feed.name, feed.url, "ok", state, response.status, problem=fetched.parsed.problem,
                      items_in_feed=len(fetched.parsed.items))
    keys: set[str] = set()
    for item in fetched.parsed.items:
        if item.key in keys:  # listed twice in one document: handled once
            continue
        keys.add(item.key)
        if (feed.name, item.key) in done:
            out.seen_again.append(item.key)
        else:
            out.items.append(_write_or_fail(fetcher, feed, item, drop))
    out.state = replace(state, failed_items=out.count("failed"))
    return out


def _write_or_fail(fetcher: Fetcher, feed: FeedConfig, item: FeedItem, drop: Path) -> ItemOutcome:
    try:
        return write_item(fetcher, feed, item, drop)
    except Exception as exc:  # one item's surprise never stops its feed; it is recorded
        return ItemOutcome(feed.name, item.key, item.guid, item.url, item.title, "failed",
                           error=f"unexpected {type(exc).__name__}: {exc}")


def write_item(fetcher: Fetcher, feed: FeedConfig, item: FeedItem, drop: Path) -> ItemOutcome:
    """The item's JSON article file (when it has a body) and, for fetch_pages feeds, its page."""
    json_path, page_path = item_paths(drop, feed.name, item.key)
    wrote_json = wrote_page = None
    errors = []
    if item.body:
        try:
            write_atomic(json_path, item_json(item, feed.name))
            wrote_json = str(json_path)
        except OSError as exc:
            errors.append(f"cannot write {json_path}: {exc}")
    if feed.fetch_pages and item.url:
        try:
            write_atomic(page_path, fetch_page(fetcher, item.url))
            wrote_page = str(page_path)
        except FetchError as exc:
            errors.append(f"page: {exc}")
        except OSError as exc:
            errors.append(f"cannot write {page_path}: {exc}")
    if errors:
        status, error = "failed", "; ".join(errors)
    elif wrote_json or wrote_page:
        status, error = "written", None
    else:
        status, error = "skipped", ("no content, summary or link to write" if feed.fetch_pages else
                                    "no content or summary to write (fetch_pages = true would fetch "
                                    "the linked page)")
    return ItemOutcome(feed.name, item.key, item.guid, item.url, item.title, status,
                       wrote_json, wrote_page, error)


def fetch_page(fetcher: Fetcher, url: str) -> bytes:
    """The linked page's HTML: http(s) only (a link is untrusted), HTML only, same limits."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) link: {url[:200]!r}")
    page = fetcher.get(url, accept=PAGE_ACCEPT)
    if "html" not in page.content_type.lower():
        raise FetchError(f"not an HTML page (Content-Type {page.content_type or 'missing'!r}): {page.url}")
    return page.body
