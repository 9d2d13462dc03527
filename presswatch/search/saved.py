"""searches.toml: the user's saved searches, validated with errors that name the entry and key.

    [[search]]
    name = "blair-brown"                      # unique; the name search_hits rows carry
    query = 'blair NEAR/5 brown'              # the Boolean language of presswatch/search/parser.py
    since = 2005-01-01                        # optional: only articles of this day or later
    notes = "who succeeds whom"               # optional, free text
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from presswatch.search.parser import Node, QuerySyntaxError, parse

EXAMPLE = "[[search]]\nname = \"brexit\"\nquery = 'brexit OR \"article 50\"'\n"


class SearchesFileError(ValueError):
    """searches.toml is unreadable or invalid; the message names the file, the entry and the key."""


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    since: date | None = None
    notes: str = ""
    node: Node = field(default=None, compare=False, repr=False)  # the parsed query


class _Search(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    query: str = Field(min_length=1)
    since: date | None = None
    notes: str = ""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    search: list[_Search] = []


def load_searches(path: Path, *, missing_ok: bool = True) -> list[SavedSearch]:
    """The saved searches of the file, in file order. A missing file is no searches (they are
    optional) unless missing_ok is False."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return []
        raise SearchesFileError(f"no saved searches file at {path}: create it (one [[search]] table per "
                                f"search, e.g. {EXAMPLE!r}) or set PRESSWATCH_SEARCHES") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchesFileError(f"cannot read the saved searches file {path}: {exc}") from None
    return parse_searches(text, where=str(path))


def parse_searches(text: str, where: str = "searches.toml") -> list[SavedSearch]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SearchesFileError(f"{where} is not valid TOML: {exc}") from None
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        raise SearchesFileError(f"{where}: {_describe(exc, data)}") from None
    searches, seen = [], {}
    for number, s in enumerate(parsed.search, 1):
        label = f"[[search]] #{number} ({s.name!r})"
        try:
            node = parse(s.query)
        except QuerySyntaxError as exc:
            raise SearchesFileError(f"{where}: {label}: query {s.query!r}: {exc}") from None
        if s.name.casefold() in seen:
            raise SearchesFileError(f"{where}: {label} repeats the name of [[search]] #{seen[s.name.casefold()]}")
        seen[s.name.casefold()] = number
        searches.append(SavedSearch(s.name, s.query, s.since, s.notes, node))
    return searches


def _describe(exc: ValidationError, data: dict) -> str:
    """One clause per error: which [[search]] (by number and name), which key, what is wrong."""
    entries = data.get("search") if isinstance(data.get("search"), list) else []
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        reason = err["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
        reason = reason.replace("String should have", "must have")
        if err["type"] == "extra_forbidden":
            reason = ("is not a known key (name, query, since, notes)" if len(loc) > 2
                      else "is not a known table (saved searches are [[search]] tables)")
        elif err["type"] == "missing":
            reason = "is missing"
        elif err["type"] == "string_pattern_mismatch":
            reason = "must be one line of printable text"
        if len(loc) >= 2 and loc[0] == "search" and isinstance(loc[1], int):
            entry = entries[loc[1]] if loc[1] < len(entries) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            label = f"[[search]] #{loc[1] + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
            key = ".".join(str(part) for part in loc[2:]) or "entry"
            lines.append(f"{label}: {key} {reason}")
        else:
            lines.append(f"{'.'.join(str(part) for part in loc) or 'file'} {reason}")
    return "; ".join(lines)


def pick(searches: list[SavedSearch], name: str | None, where: str = "searches.toml") -> list[SavedSearch]:
    """All searches, or the one named (any case); SearchesFileError naming the known ones."""
    if name is None:
        return searches
    found = [s for s in searches if s.name.casefold() == name.casefold()]
    if not found:
        known = ", ".join(s.name for s in searches) or "none"
        raise SearchesFileError(f"no saved search named {name!r} in {where} (saved searches: {known})")
    return found
