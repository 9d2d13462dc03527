"""Context cues for the label vote: the word just before and just after each mention, counted
per entity. The tagger calls `Yukos` a PERSON 169 times in the BBC set, but the archive also
writes "oil firm Yukos" and "Yukos shares": words a person's name does not take."""

from __future__ import annotations

import polars as pl

# A word before the name that makes it an organisation ("oil firm Yukos", "rivals Chelsea").
ORG_BEFORE = ("firm", "company", "group", "giant", "club", "side", "bank", "maker", "carrier", "airline",
              "retailer", "insurer", "operator", "champions", "rivals", "holders", "conglomerate", "network",
              "broadcaster", "channel", "agency", "newspaper", "team", "outfit", "supplier", "producer")
# A word after it ("Yukos shares", "Chelsea striker", "Manchester United manager").
ORG_AFTER = ("shares", "shareholders", "stock", "plc", "ltd", "inc", "corp", "fc", "striker", "midfielder",
             "defender", "goalkeeper", "manager", "boss", "chairman", "board", "fans", "staff", "employees",
             "subsidiary", "unit", "headquarters", "spokeswoman", "executives", "players", "squad")
# A preposition of place before a name ("in Rajasthan", "from Davos"): what the archive writes
# before places, seldom before a firm or a film the tagger called a GPE (resolve.py).
# (`to`, `at`, `from` are left out: "sold to BT", "staff at BT", "a spokesman from BT".)
PLACE_BEFORE = ("in", "near", "across", "outside", "throughout", "inside", "around", "visit", "visited",
                "towards")
# Titles before a name make it a person ("Mr Blair", "President Bush").
PERSON_BEFORE = ("mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "president", "senator", "minister",
                 "secretary", "judge", "mayor", "governor", "general", "prince", "princess", "king", "queen")


def cue_counts(contexts: pl.DataFrame) -> pl.DataFrame:
    """contexts: entity_id, before (text just before a mention), after (text just after).
    Returns entity_id, org_cues, person_cues, place_cues: mentions with each kind of cue."""
    word_before = contexts["before"].str.to_lowercase().str.extract(r"([a-z]+)\.?\s*$")
    word_after = contexts["after"].str.to_lowercase().str.extract(r"^(?:['’]s)?\s*([a-z]+)")
    frame = contexts.select("entity_id").with_columns(
        org=word_before.is_in(ORG_BEFORE) | word_after.is_in(ORG_AFTER),
        person=word_before.is_in(PERSON_BEFORE),
        place=contexts["before"].str.to_lowercase().str.contains(  # "in Aceh", "in the Gulf"
            r"\b(?:" + "|".join(PLACE_BEFORE) + r")\s+(?:the\s+)?$"))
    return frame.group_by("entity_id").agg(org_cues=pl.col("org").sum().cast(pl.Int64),
                                            person_cues=pl.col("person").sum().cast(pl.Int64),
                                            place_cues=pl.col("place").sum().cast(pl.Int64))
