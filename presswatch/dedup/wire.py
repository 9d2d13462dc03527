"""Wire credits: which agency an article credits, from its first/last lines or its byline.

Only credit *forms* count, never a bare mention: "(AFP)", "PARIS, Jan 5 (Reuters) -",
"AFP -" opening the text; "(AP)", "-- dpa", "(c) Bloomberg", "Copyright AFP" or an agency's
own sign-off ("Reporting by ...") closing it; or a byline that is the agency ("Reuters",
"By AFP", "AP staff"), or a source that is the agency (its feed; a wire header "... AFP"). An article
that merely writes about Reuters is not Reuters copy.
The agencies are a data file (presswatch/data/wire_agencies.toml) a user can extend.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from presswatch.errors import OperatorError  # a bad agency file stops the run with one line

DEFAULT_AGENCIES = Path(__file__).resolve().parents[1] / "data" / "wire_agencies.toml"
LINES = 2  # non-empty lines looked at, at each end of the body


class AgencyFileError(OperatorError, ValueError):
    """A wire agencies file that cannot be used; the message names the file and the entry."""

    exit_code = 2  # an invalid setting's file (README: exit code 2), like entities.toml


@dataclass(frozen=True)
class Agency:
    name: str
    credits: tuple[str, ...]
    signoffs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Credit:
    agency: str
    where: str  # lead | byline | source | tail
    text: str   # the matched credit, as written


def load_agencies(extra: Path | None = None) -> tuple[Agency, ...]:
    """The shipped agencies, then those of `extra` (same name: the user's entry wins)."""
    found = {a.name: a for a in _read(DEFAULT_AGENCIES)}
    if extra is not None:
        found.update({a.name: a for a in _read(extra)})
    return tuple(found.values())


def _read(path: Path) -> list[Agency]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AgencyFileError(f"wire agencies file {path}: {exc}") from None
    # A typo'd table or key would otherwise be dropped silently, its agencies never credited.
    if set(data) - {"agency"} or not isinstance(data.get("agency", []), list):
        raise AgencyFileError(f"wire agencies file {path}: agencies are [[agency]] tables (double brackets); "
                              f"found {', '.join(sorted(data)) or 'nothing'}")
    out, seen = [], {}
    for i, entry in enumerate(data.get("agency", [])):
        if not isinstance(entry, dict):
            raise AgencyFileError(f"wire agencies file {path}: [[agency]] #{i + 1} is not a table")
        unknown = set(entry) - {"name", "credits", "signoffs"}
        if unknown:
            raise AgencyFileError(f"wire agencies file {path}: [[agency]] #{i + 1}: unknown key(s) "
                                  f"{', '.join(sorted(unknown))} (keys: name, credits, signoffs)")
        name, credits = entry.get("name"), entry.get("credits")
        signoffs = entry.get("signoffs", [])
        if not isinstance(name, str) or not name.strip() or not isinstance(credits, list) or not credits \
                or not all(isinstance(c, str) and c.strip() for c in credits) \
                or not isinstance(signoffs, list) or not all(isinstance(s, str) for s in signoffs):
            raise AgencyFileError(f"wire agencies file {path}: [[agency]] #{i + 1} needs a name and a "
                                  "non-empty list of credits (strings); signoffs is an optional list of regexes")
        for s in signoffs:
            try:
                re.compile(s)
            except re.error as exc:
                raise AgencyFileError(f"wire agencies file {path}: agency {name!r}: bad signoff regex "
                                      f"{s!r}: {exc}") from None
        if name.strip() in seen:  # in one file: the later entry would replace the earlier, silently
            raise AgencyFileError(f"wire agencies file {path}: [[agency]] #{i + 1} repeats the name {name.strip()!r} "
                                  f"of [[agency]] #{seen[name.strip()]}")
        seen[name.strip()] = i + 1
        out.append(Agency(name.strip(), tuple(c.strip() for c in credits), tuple(signoffs)))
    return out


_DASH = r"\s*(?:-|–|—|:)"
# "PARIS", "CAPE CANAVERAL, Fla, Feb 26", "SOWETO, South Africa, March 2", "Berlin"
_DATELINE = r"[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.'’ -]{1,30}){0,2}(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"


class WireDetector:
    """Compiled once per agency list; credit(body, authors) -> the first Credit found.
    One regex per place for all agencies (then the credit names its agency): a regex per
    agency made this the slowest part of the dedup step."""

    def __init__(self, agencies: tuple[Agency, ...]):
        self._agency = {}
        for a in agencies:
            for c in a.credits:
                self._agency.setdefault(c, a.name)
        alt = "|".join(re.escape(c) for c in sorted(self._agency, key=len, reverse=True))
        name = rf"(?<![\w&])(?:{alt})(?![\w&])"
        # "Pittsburgh (PA) is" is Pennsylvania: a credit opens the line, or follows a dateline, and a dash follows it
        self._lead = re.compile(rf"^(?:{_DATELINE},?\s*)?(?:\(\s*(?P<c>{alt})\s*\)|(?P<d>{name})){_DASH}")
        self._tail = re.compile(rf"\(\s*(?P<c>{alt})\s*\)\s*$|^(?:-|–|—)*\s*(?P<d>{name})\s*$"
                                rf"|(?:©|\([cC]\)|Copyright)\s*(?:\d{{4}}\s*)?(?P<e>{name})")
        self._byline = re.compile(rf"^\s*(?:By\s+)?(?P<c>{name})(?:\s+(?:staff|Staff|reporters?))?\s*$")
        self._signoffs = [(a.name, re.compile(s)) for a in agencies for s in a.signoffs]

    def credit(self, body: str, authors: str | None = None, source: str | None = None) -> Credit | None:
        lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
        for ln in lines[:LINES]:
            if m := self._lead.search(ln[:300]):  # a dateline and credit open the line
                return self._credit(m, "lead")
        for part in re.split(r"\s*[;,]\s*|\s+and\s+", authors or ""):
            if part and (m := self._byline.match(part)):
                return self._credit(m, "byline")
        if source and source.strip() in self._agency:  # the agency's own feed, or a wire header naming it
            return Credit(self._agency[source.strip()], "source", source.strip())
        for ln in lines[-LINES:] if len(lines) > LINES else ():  # a short text's last lines are its first
            if m := self._tail.search(ln[-300:]):
                return self._credit(m, "tail")
            for agency, s in self._signoffs:
                if s.search(ln):
                    return Credit(agency, "tail", ln[:80])
        return None

    def _credit(self, m: re.Match, where: str) -> Credit:
        text = _matched(m)
        return Credit(self._agency[text], where, text)


def _matched(m: re.Match) -> str:
    return next(v for v in m.groupdict().values() if v)
