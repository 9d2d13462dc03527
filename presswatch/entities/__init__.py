"""Cross-document entity resolution (issue 13): which raw entity ids (sha256(label|name), one per
spelling and label) are one real-world entity across the archive. Pure: frames in, frames out;
warehouse/entities.py stores the decisions, docs/entities.md lists the rules."""

from presswatch.entities.resolve import Rules, resolve
from presswatch.entities.watchlist import Watchlist, WatchlistError, load_watchlist

__all__ = ["Rules", "Watchlist", "WatchlistError", "load_watchlist", "resolve"]
