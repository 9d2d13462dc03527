"""Date expressions (spaCy DATE entities) resolved against the article's publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Doc

from presswatch.records import DateMention

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ["jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"]
    )
    for m in names.split()
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
RELATIVE = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
            "this evening": 0, "yesterday": -1, "tomorrow": 1}
_MONTH = r"(?P<month>[a-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
PATTERNS = [
    re.compile(rf"^(?:on\s+)?(?:[a-z]+day,?\s+)?{_MONTH}\s+{_DAY}{_YEAR}$"),  # October 7, 2023
    re.compile(rf"^(?:on\s+)?(?:[a-z]+day,?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}{_YEAR}$"),
    re.compile(r"^(?P<year>\d{4})-(?P<mnum>\d\d)-(?P<day>\d\d)$"),
]


def find_dates(doc: Doc, body: str, published: date | None) -> list[DateMention]:
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        start, end = ent.start_char, ent.end_char
        surface = body[start:end]
        out.append(DateMention(surface, resolve(surface, published), start, end))
    return out


def resolve(text: str, published: date | None) -> date | None:
    """A calendar day for the expression, or None when it names no single day."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    t = re.sub(r"^(?:the|on|by|until|since|from) ", "", t)
    for p in PATTERNS:
        m = p.match(t)
        if m:
            return _calendar(m, published)
    if published is None:
        return None
    if t in RELATIVE:
        return published + timedelta(days=RELATIVE[t])
    m = re.fullmatch(r"(last |this |next |)(\w+?)(?: (?:morning|afternoon|evening|night))?", t)
    if m and m.group(2) in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS.index(m.group(2))) % 7
        if m.group(1) == "next ":
            return published + timedelta(days=(7 - back) % 7 or 7)
        if m.group(1) == "last " and back == 0:
            back = 7
        return published - timedelta(days=back)
    return None


def _calendar(m: re.Match, published: date | None) -> date | None:
    groups = m.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS.get(groups["month"])
    if month is None:
        return None
    day = int(groups["day"])
    if groups.get("year"):
        return _safe(int(groups["year"]), month, day)
    if published is None:
        return None
    # No year given: the reading closest to the publication date (news looks back, mostly).
    options = [d for y in (published.year - 1, published.year, published.year + 1)
               if (d := _safe(y, month, day)) is not None]
    return min(options, key=lambda d: abs((d - published).days), default=None)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
