"""Name keys: two spellings of one name share a key (`George W. Bush`, `George W Bush`,
`President George W. Bush`, `Mr Bush's` -> `george w bush` / `bush`). Polars expressions, so a
key is computed over the entity table at once, never per mention."""

from __future__ import annotations

import polars as pl

from presswatch.entities.places import ABBREVIATIONS, GPE_SHORT_FORMS, OTHER_NAMES, country_names

# Titles and roles written before a name; repeated ones go too ("Prime Minister Mr Blair").
TITLES = (
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor", "rev",
    "president", "vice president", "prime minister", "minister", "chancellor", "secretary",
    "foreign secretary", "home secretary", "senator", "sen", "rep", "governor", "gov", "king",
    "queen", "prince", "princess", "pope", "general", "gen", "col", "colonel", "captain", "capt",
    "judge", "justice", "mayor", "ambassador", "chairman", "chief executive", "coach", "manager",
    "leader", "premier", "sheikh", "st",
)
_TITLE_ALTERNATIVES = "|".join(sorted((t.replace(" ", r"\s+") for t in TITLES), key=len, reverse=True))
_TITLE_RE = r"^(?:(?:" + _TITLE_ALTERNATIVES + r")\.?\s+)+"


def display_name(name: pl.Expr) -> pl.Expr:
    """The name as a canonical entity shows it: the spelling kept, but no leaked HTML entity,
    possessive or leading title (`Prof Joni Lovenduski` -> `Joni Lovenduski`)."""
    return (name.str.replace_all(r"&#?\w+;s$", "")
            .str.replace_all(r"&#?\w+;", " ")
            .str.replace(r"['’]s$", "")
            .str.replace("(?i)" + _TITLE_RE, "")
            .str.replace_all(r"\s+", " ")
            .str.strip_chars())


def name_key(name: pl.Expr) -> pl.Expr:
    """The comparison key of a name: HTML entities and possessives dropped, titles stripped,
    dots and hyphens as nothing/space, lower case, a leading "the" dropped, known
    abbreviations (US, U.S., UK, UN, EU) and country names (pycountry) made one."""
    key = (
        name.str.replace_all(r"&#?\w+;s$", "")  # `Blair&#191;s`: an apostrophe that leaked as an entity
        .str.replace_all(r"&#?\w+;", " ")
        .str.replace(r"['’]s$", "")
        .str.to_lowercase()
        .str.replace(_TITLE_RE, "")
        .str.replace_all(r"\.", "")
        .str.replace_all(r"[-‐–—_/,]", " ")
        .str.replace_all(r"['’\"“”()]", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.replace(r"^the ", "")
    )
    countries = {**country_names(), **OTHER_NAMES}
    key = key.replace(list(countries), list(countries.values()))
    # An abbreviation only when written as one (`US`, `U.S.`, `the EU`): `Us` is a pronoun.
    written = name.str.replace(r"^(?i:the)\s+", "").str.contains("[a-z]")
    return pl.when(written).then(key).otherwise(key.replace(list(ABBREVIATIONS), list(ABBREVIATIONS.values())))


def entity_key(name: pl.Expr, label: pl.Expr) -> pl.Expr:
    """name_key, and for a GPE its wire short form spelled out (`Calif.` -> california,
    `S. Korea` -> south korea): the key the rebuild and the load compare."""
    key = name_key(name)
    return pl.when(label == "GPE").then(key.replace(list(GPE_SHORT_FORMS), list(GPE_SHORT_FORMS.values()))) \
        .otherwise(key)
