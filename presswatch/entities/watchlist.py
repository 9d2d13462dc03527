"""The user's watchlist (entities.toml): entities an analyst names, with their aliases and
exclusions. Watchlist entries win over the automatic rules (presswatch/entities/resolve.py)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.errors import OperatorError

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")


class WatchlistError(OperatorError):
    """An entities.toml that cannot be used: the file and the entry say what to fix (every
    command prints it in one line, exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class WatchEntry:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # names that must never join this entity ("Kate Bush" for Bush)
    wikidata: str | None = None


@dataclass(frozen=True)
class Watchlist:
    entries: tuple[WatchEntry, ...] = field(default_factory=tuple)


def load_watchlist(path: Path | None) -> Watchlist:
    """Read entities.toml ([[entity]] tables); a missing file is an empty watchlist."""
    if path is None or not Path(path).exists():
        return Watchlist()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WatchlistError(f"{path}: not valid TOML ({exc})") from exc
    entries = []
    for i, raw in enumerate(data.get("entity", [])):
        where = f"{path}: [[entity]] #{i + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            raise WatchlistError(f"{where}: needs a name")
        label = raw.get("label", "")
        if label not in LABELS:
            raise WatchlistError(f"{where} ({raw['name']}): label must be one of {', '.join(LABELS)}, not {label!r}")
        lists = {}
        for key in ("aliases", "exclude"):
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise WatchlistError(f"{where} ({raw['name']}): {key} must be a list of names")
            lists[key] = tuple(value)
        wikidata = raw.get("wikidata")
        if wikidata is not None and not (isinstance(wikidata, str) and wikidata[:1] == "Q" and wikidata[1:].isdigit()):
            raise WatchlistError(f"{where} ({raw['name']}): wikidata must be an id like Q207, not {wikidata!r}")
        unknown = set(raw) - {"name", "label", "aliases", "exclude", "wikidata"}
        if unknown:
            raise WatchlistError(f"{where} ({raw['name']}): unknown field(s) {', '.join(sorted(unknown))}")
        entries.append(WatchEntry(raw["name"].strip(), label, lists["aliases"], lists["exclude"], wikidata))
    return Watchlist(tuple(entries))
