"""Limits on the sizes of untrusted fields: a 5 MB title is cut, with a note, not stored."""

from __future__ import annotations

from presswatch.records import Article

# Characters kept of each short field of an Article; a longer value is cut and the cut noted
# in the file's problems (its ledger row). Generous for real headlines, bylines and URLs.
FIELD_LIMITS = {"title": 1_000, "source": 200, "authors": 1_000, "url": 2_048}


def capped(value: str | None, name: str, problems: list[str], where: str = "") -> str | None:
    """`value` cut to its field's limit; a cut is noted in problems, e.g. "title cut from
    5,000,000 to 1,000 chars"."""
    limit = FIELD_LIMITS[name]
    if not isinstance(value, str) or len(value) <= limit:
        return value
    problems.append(f"{where}{name} cut from {len(value):,} to {limit:,} chars")
    return value[:limit]


def cap_fields(article: Article, problems: list[str], where: str = "") -> Article:
    """Every capped field of the article cut to its limit (the one place limits apply)."""
    for name in FIELD_LIMITS:
        if hasattr(article, name):
            setattr(article, name, capped(getattr(article, name), name, problems, where))
    return article
