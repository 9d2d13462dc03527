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
    except OSError as exc:  # a folder, no permission: said in one line, not a traceback
        raise WatchlistError(f"cannot read the watchlist {path}: {exc.strerror or exc}") from None
    # A typo'd table ([[entities]]) would otherwise be an empty watchlist, silently.
    unknown_tables = set(data) - {"entity"}
    if unknown_tables:
        raise WatchlistError(f"{path}: unknown table(s) {', '.join(sorted(unknown_tables))}: the watchlist is "
                             "[[entity]] tables")
    if not isinstance(data.get("entity", []), list):
        raise WatchlistError(f"{path}: entity must be [[entity]] tables (double brackets), one per entity")
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
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise WatchlistError(f"{where} ({raw['name']}): {key} must be a list of names")
            lists[key] = tuple(value)
        wikidata = raw.get("wikidata")
        if wikidata is not None and not (isinstance(wikidata, str) and wikidata[:1] == "Q" and wikidata[1:].isdigit()):
            raise WatchlistError(f"{where} ({raw['name']}): wikidata must be an id like Q207, not {wikidata!r}")
        unknown = set(raw) - {"name", "label", "aliases", "exclude", "wikidata"}
        if unknown:
            raise WatchlistError(f"{where} ({raw['name']}): unknown field(s) {', '.join(sorted(unknown))}")
        entries.append(WatchEntry(raw["name"].strip(), label, lists["aliases"], lists["exclude"], wikidata))
    _refuse_shared_spellings(entries, path)
    return Watchlist(tuple(entries))


def _refuse_shared_spellings(entries: list[WatchEntry], path: Path) -> None:
    """Two entries claiming one spelling (by name key: case, dots and titles aside): the rebuild
    would silently give it to the first (resolve.py keeps one entry per key)."""
    import polars as pl

    from presswatch.entities.names import entity_key

    rows = [(i, spelled, e.label) for i, e in enumerate(entries) for spelled in (e.name, *e.aliases)]
    frame = pl.DataFrame(rows, schema={"entry": pl.Int64, "spelled": pl.String, "label": pl.String}, orient="row")
    keys = frame.with_columns(key=entity_key(pl.col("spelled"), pl.col("label")))
    owner: dict[str, tuple[int, str]] = {}
    for entry, spelled, key in keys.select("entry", "spelled", "key").iter_rows():
        if key in owner and owner[key][0] != entry:
            first, said = owner[key]
            raise WatchlistError(f"{path}: [[entity]] #{entry + 1} ({entries[entry].name}) claims {spelled!r}, "
                                 f"already {said!r} of [[entity]] #{first + 1} ({entries[first].name}): "
                                 "one spelling, one entity")
        owner.setdefault(key, (entry, spelled))
