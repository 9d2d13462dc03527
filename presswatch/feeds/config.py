"""feeds.toml: the user's list of feeds, validated with errors that name the entry and the key.

    [[feed]]
    name = "Example News"
    url = "https://example.com/rss.xml"
    fetch_pages = true          # optional: also drop each item's linked page as HTML
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

EXAMPLE = '[[feed]]\nname = "Example News"\nurl = "https://example.com/rss.xml"\n'


class FeedsFileError(ValueError):
    """feeds.toml is missing or invalid; the message names the file, the entry and the key."""


@dataclass(frozen=True)
class FeedConfig:
    name: str  # the feed's identity: its items' keys, file names and `source` hang on it
    url: str
    fetch_pages: bool = False


class _Feed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    url: str
    fetch_pages: StrictBool = False

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feed: list[_Feed] = []


def load_feeds(path: Path) -> list[FeedConfig]:
    """The feeds of the file, in file order. An empty file (no [[feed]]) is an empty list."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FeedsFileError(f"no feeds file at {path}: create it (one [[feed]] table per feed, "
                             f"e.g. {EXAMPLE!r}) or set PRESSWATCH_FEEDS") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedsFileError(f"cannot read the feeds file {path}: {exc}") from None
    return parse_feeds(text, where=str(path))


def parse_feeds(text: str, where: str = "feeds.toml") -> list[FeedConfig]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedsFileError(f"{where} is not valid TOML: {exc}") from None
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        raise FeedsFileError(f"{where}: {_describe(exc, data)}") from None
    feeds = [FeedConfig(f.name, f.url, f.fetch_pages) for f in parsed.feed]
    _refuse_repeats(feeds, where)
    return feeds


def _describe(exc: ValidationError, data: dict) -> str:
    """One clause per error: which [[feed]] (by number and name), which key, what is wrong."""
    entries = data.get("feed") if isinstance(data.get("feed"), list) else []
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        reason = err["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
        reason = reason.replace("String should have", "must have")
        if err["type"] == "extra_forbidden":
            reason = "is not a known key (name, url, fetch_pages)" if len(loc) > 2 else \
                "is not a known table (feeds are [[feed]] tables)"
        if err["type"] == "missing":
            reason = "is missing"
        if len(loc) >= 2 and loc[0] == "feed" and isinstance(loc[1], int):
            entry = entries[loc[1]] if loc[1] < len(entries) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            label = f"[[feed]] #{loc[1] + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
            key = ".".join(str(part) for part in loc[2:]) or "entry"
            lines.append(f"{label}: {key} {reason}")
        else:
            lines.append(f"{'.'.join(str(part) for part in loc) or 'file'} {reason}")
    return "; ".join(lines)


def _refuse_repeats(feeds: list[FeedConfig], where: str) -> None:
    """Two entries with one name would share items; with one URL, every item would drop twice."""
    for attr in ("name", "url"):
        seen: dict[str, int] = {}
        for number, feed in enumerate(feeds, 1):
            value = getattr(feed, attr)
            key = value.casefold() if attr == "name" else value
            if key in seen:
                raise FeedsFileError(f"{where}: [[feed]] #{number} repeats the {attr} {value!r} "
                                     f"of [[feed]] #{seen[key]}")
            seen[key] = number
