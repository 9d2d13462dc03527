"""The automatic resolution rules on small entity tables (presswatch/entities/resolve.py)."""

from __future__ import annotations

import polars as pl

from presswatch.entities import Rules, Watchlist, resolve
from presswatch.entities.resolve import demonym_links
from presswatch.entities.watchlist import WatchEntry
from presswatch.load import entity_id


def _table(rows: list[tuple]) -> pl.DataFrame:
    """rows: (name, label, mentions[, org_cues, person_cues[, place_cues]])"""
    full = [(*r, 0, 0, 0)[:6] for r in rows]
    return pl.DataFrame(
        [{"entity_id": entity_id(n, lab), "name": n, "label": lab, "mentions": m, "org_cues": o, "person_cues": p,
          "place_cues": c} for n, lab, m, o, p, c in full])


def _resolve(rows: list[tuple], watchlist: Watchlist | None = None, rules: Rules | None = None) -> dict:
    """(name, label) -> (canonical name, canonical label)"""
    table = _table(rows)
    out = resolve(table, watchlist, rules).join(table.select("entity_id", "name", "label"), on="entity_id")
    return {(n, lab): (cn, cl) for n, lab, cn, cl in
            out.select("name", "label", "canonical_name", "canonical_label").iter_rows()}


BUSH = [("George W Bush", "PERSON", 69), ("Bush", "PERSON", 34), ("George Bush", "PERSON", 13),
        ("George W. Bush", "PERSON", 1), ("President George W. Bush", "PERSON", 2), ("Kate Bush", "PERSON", 6),
        ("Mr Bush's", "ORG", 1)]


def test_the_four_spellings_of_george_w_bush_are_one_and_kate_bush_stays_apart():
    got = _resolve(BUSH)
    for spelled in ("George W Bush", "Bush", "George Bush", "George W. Bush", "President George W. Bush"):
        assert got[(spelled, "PERSON")] == ("George W Bush", "PERSON"), spelled
    assert got[("Mr Bush's", "ORG")] == ("George W Bush", "PERSON")
    assert got[("Kate Bush", "PERSON")] == ("Kate Bush", "PERSON")


def test_the_canonical_id_is_the_id_the_load_gives_that_name_and_label():
    t = _table(BUSH)
    out = resolve(t)
    ids = set(out["canonical_id"])
    assert entity_id("George W Bush", "PERSON") in ids and entity_id("Kate Bush", "PERSON") in ids
    kept = out.filter(pl.col("entity_id") == entity_id("George W Bush", "PERSON"))
    assert kept["reason"].to_list() == [None]  # the canonical itself is no alias
    assert out.height == t.height


def test_a_surname_shared_by_two_well_named_people_joins_neither():
    got = _resolve([("Tony Blair", "PERSON", 40), ("Ian Blair", "PERSON", 30), ("Blair", "PERSON", 20)])
    assert got[("Blair", "PERSON")] == ("Blair", "PERSON")
    got = _resolve([("Tony Blair", "PERSON", 40), ("Ian Blair", "PERSON", 3), ("Blair", "PERSON", 20),
                    ("Mr Blair", "ORG", 5)])
    assert got[("Blair", "PERSON")] == ("Tony Blair", "PERSON")
    assert got[("Mr Blair", "ORG")] == ("Tony Blair", "PERSON")


def test_the_label_is_voted_across_the_archive():
    got = _resolve([("Manchester United", "ORG", 120), ("Manchester United", "PERSON", 29),
                    ("Washington", "GPE", 50), ("Washington", "PERSON", 4)])
    assert got[("Manchester United", "PERSON")] == ("Manchester United", "ORG")
    assert got[("Washington", "PERSON")] == ("Washington", "GPE")


def test_context_cues_make_an_organisation_the_tagger_called_a_person():
    got = _resolve([("Yukos", "PERSON", 169, 31, 0), ("Yukos", "ORG", 10, 2, 0), ("Blair", "PERSON", 20, 0, 16),
                    ("Smith", "PERSON", 40, 1, 0)])
    assert got[("Yukos", "PERSON")] == ("Yukos", "ORG")
    assert got[("Blair", "PERSON")] == ("Blair", "PERSON")
    assert got[("Smith", "PERSON")] == ("Smith", "PERSON")  # one cue in 40 mentions is not evidence


def test_abbreviations_and_country_names_resolve():
    got = _resolve([("United States", "GPE", 50), ("US", "GPE", 80), ("U.S.", "GPE", 30), ("UN", "ORG", 9),
                    ("United Nations", "ORG", 12), ("the EU", "ORG", 3), ("European Union", "ORG", 5),
                    ("Plurinational State of Bolivia", "GPE", 1), ("Bolivia", "GPE", 20)])
    assert {got[(n, "GPE")] for n in ("United States", "US", "U.S.")} == {("US", "GPE")}
    assert got[("UN", "ORG")] == got[("United Nations", "ORG")]
    assert got[("the EU", "ORG")] == got[("European Union", "ORG")]
    assert got[("Plurinational State of Bolivia", "GPE")] == ("Bolivia", "GPE")  # pycountry's names


def test_other_labels_are_left_alone():
    got = _resolve([("May", "DATE", 10), ("May", "PERSON", 2), ("$5", "MONEY", 3)])
    assert got[("May", "DATE")] == ("May", "DATE")
    assert got[("May", "PERSON")] == ("May", "PERSON")


def test_the_watchlist_wins_and_its_exclusions_stay_apart():
    wl = Watchlist((WatchEntry("George W. Bush", "PERSON", aliases=("Dubya", "Bush"), exclude=("Kate Bush",),
                               wikidata="Q207"),))
    got = _resolve(BUSH + [("Dubya", "PERSON", 2)], wl)
    assert got[("Dubya", "PERSON")] == ("George W. Bush", "PERSON")
    assert got[("Bush", "PERSON")] == ("George W. Bush", "PERSON")
    assert got[("Kate Bush", "PERSON")] == ("Kate Bush", "PERSON")
    out = resolve(_table(BUSH), wl)
    assert set(out.filter(pl.col("reason") == "watchlist")["wikidata"]) == {"Q207"}


def test_what_the_rules_join_to_a_watchlist_spelling_joins_the_watchlist_entry():
    """`George Bush` (`George W Bush` without the initial) goes where `George W Bush` goes: with a
    watchlist that lists it, to the entry, not to an entity of its own beside it."""
    wl = Watchlist((WatchEntry("George W. Bush", "PERSON", aliases=("Bush",), exclude=("Kate Bush",)),))
    got = _resolve([("George W Bush", "PERSON", 69), ("George Bush", "PERSON", 13), ("Bush", "PERSON", 34),
                    ("Kate Bush", "PERSON", 3)], wl)
    assert got[("George Bush", "PERSON")] == ("George W. Bush", "PERSON")
    assert got[("George W Bush", "PERSON")] == ("George W. Bush", "PERSON")
    assert got[("Kate Bush", "PERSON")] == ("Kate Bush", "PERSON")
    reasons = dict(resolve(_table([("George W Bush", "PERSON", 69), ("George Bush", "PERSON", 13)]), wl)
                   .select("entity_id", "reason").iter_rows())
    assert reasons == {entity_id("George W Bush", "PERSON"): "watchlist", entity_id("George Bush", "PERSON"): "initial"}


def test_stricter_rules_merge_less():
    loose = _resolve([("Tony Blair", "PERSON", 30), ("Ian Blair", "PERSON", 10), ("Blair", "PERSON", 5)])
    strict = _resolve([("Tony Blair", "PERSON", 30), ("Ian Blair", "PERSON", 10), ("Blair", "PERSON", 5)],
                      rules=Rules(surname_share=0.9))
    assert loose[("Blair", "PERSON")] == ("Tony Blair", "PERSON")
    assert strict[("Blair", "PERSON")] == ("Blair", "PERSON")


def test_an_empty_table_resolves_to_nothing():
    empty = pl.DataFrame(schema={"entity_id": pl.String, "name": pl.String, "label": pl.String, "mentions": pl.Int64})
    assert resolve(empty).height == 0


def test_demonyms_link_to_their_country_and_keep_their_own_row():
    out = resolve(_table([("British", "NORP", 10), ("Iraqi", "NORP", 4), ("Britain", "GPE", 9), ("Blue", "NORP", 1)]))
    links = demonym_links(out)
    assert dict(zip(links["entity_id"], links["related_id"])) == {
        # the archive's own canonical for the country (`Britain`), else the id its short name would get
        entity_id("British", "NORP"): entity_id("Britain", "GPE"), entity_id("Iraqi", "NORP"): entity_id("Iraq", "GPE")}
    assert out.filter(pl.col("entity_id") == entity_id("British", "NORP"))["canonical_label"].to_list() == ["NORP"]


def test_spelling_and_initial_variants_of_one_person_join():
    got = _resolve([("Marc Dutroux", "PERSON", 23), ("Mark Dutroux", "PERSON", 13), ("Alexander Lebed", "PERSON", 36),
                    ("Aleksander Lebed", "PERSON", 4), ("Robert Croft", "PERSON", 8), ("R. Croft", "PERSON", 6),
                    ("John Smith", "PERSON", 5), ("Jane Smith", "PERSON", 5)])
    assert got[("Mark Dutroux", "PERSON")] == ("Marc Dutroux", "PERSON")
    assert got[("Aleksander Lebed", "PERSON")] == ("Alexander Lebed", "PERSON")
    assert got[("R. Croft", "PERSON")] == ("Robert Croft", "PERSON")
    assert got[("Jane Smith", "PERSON")] == ("Jane Smith", "PERSON")  # two letters apart: two people


def test_a_canonical_name_shows_no_title_possessive_or_html_entity():
    got = _resolve([("Prof Joni Lovenduski", "PERSON", 3), ("Blair&#191;s", "PERSON", 2),
                    ("President Putin's", "PERSON", 1)])
    assert got[("Prof Joni Lovenduski", "PERSON")] == ("Joni Lovenduski", "PERSON")
    assert got[("Blair&#191;s", "PERSON")] == ("Blair", "PERSON")
    assert got[("President Putin's", "PERSON")] == ("Putin", "PERSON")


def test_an_abbreviation_counts_only_when_written_as_one_and_a_first_name_only_for_a_person():
    got = _resolve([("United States", "GPE", 50), ("Us", "GPE", 1), ("Labour", "ORG", 484), ("Labour MPs", "PERSON", 9),
                    ("MPs", "ORG", 32), ("Robert Kilroy Silk", "PERSON", 83), ("Silk", "ORG", 56)])
    assert got[("Us", "GPE")][0] == "Us"  # not the United States (its label: see the not-a-place test)
    assert got[("Labour", "ORG")] == ("Labour", "ORG")
    assert got[("MPs", "ORG")] == ("MPs", "ORG")
    assert got[("Silk", "ORG")] == ("Robert Kilroy Silk", "PERSON")


def test_a_city_and_its_club_both_named_often_stay_two():
    got = _resolve([("Liverpool", "ORG", 96), ("Liverpool", "GPE", 45), ("Liverpool", "PERSON", 1),
                    ("Europe", "LOC", 329), ("Europe", "ORG", 2)])
    assert got[("Liverpool", "GPE")] == ("Liverpool", "GPE")
    assert got[("Liverpool", "PERSON")] == ("Liverpool", "ORG")
    assert got[("Europe", "ORG")] == ("Europe", "LOC")  # 2 of 331: outvoted


def test_a_gpe_no_gazetteer_knows_and_never_written_as_a_place_is_no_place():
    got = _resolve([("BT", "GPE", 41, 0, 0, 0), ("BT", "ORG", 45), ("Sideways", "GPE", 29, 0, 0, 0),
                    ("Davos", "GPE", 14, 0, 0, 6), ("Rajasthan", "GPE", 9, 0, 0, 0), ("London", "GPE", 90, 0, 0, 0)])
    assert got[("BT", "GPE")] == ("BT", "ORG")  # the label its other mentions carry
    assert got[("Sideways", "GPE")] == ("Sideways", "ORG")  # none: the tagger's usual confusion
    assert got[("Davos", "GPE")] == ("Davos", "GPE")  # "in Davos": written as a place
    assert got[("Rajasthan", "GPE")] == ("Rajasthan", "GPE")  # a region the gazetteer knows
    assert got[("London", "GPE")] == ("London", "GPE")
    kept = _resolve([("Sideways", "GPE", 29, 0, 0, 0)], rules=Rules(place_check=False))
    assert kept[("Sideways", "GPE")] == ("Sideways", "GPE")


def test_an_acronym_joins_the_one_organisation_it_spells_and_wire_short_forms_their_place():
    got = _resolve([("Kurdistan Democratic Party", "ORG", 6), ("KDP", "ORG", 7),
                    ("Organisation of Petroleum Exporting Countries", "ORG", 3), ("OPEC", "ORG", 9),
                    ("Bank of England", "ORG", 5), ("British Broadcasting Executive", "ORG", 2), ("BBE", "ORG", 4),
                    ("S. Korea", "GPE", 2), ("South Korea", "GPE", 8),
                    ("Mass", "EVENT", 3)])
    assert got[("KDP", "ORG")] == ("Kurdistan Democratic Party", "ORG")
    assert got[("OPEC", "ORG")] == ("Organisation of Petroleum Exporting Countries", "ORG")
    assert got[("BBE", "ORG")] == ("British Broadcasting Executive", "ORG")  # BoE is not BBE
    assert got[("S. Korea", "GPE")] == ("South Korea", "GPE")
    assert got[("Mass", "EVENT")] == ("Mass", "EVENT")  # no state abbreviation
    two = _resolve([("Bank of New England", "ORG", 5), ("British National Energy", "ORG", 5), ("BNE", "ORG", 3)])
    assert two[("BNE", "ORG")] == ("BNE", "ORG")  # two organisations spell it: left apart


def test_an_acronym_an_article_introduced_for_one_name_is_that_name_in_every_article():
    table = _table([("Kurdistan Workers Party", "ORG", 5), ("PKK", "ORG", 9), ("ETA", "ORG", 4),
                    ("Basque Homeland and Freedom", "ORG", 1), ("Basque Separatist Group", "ORG", 1)])
    surfaces = pl.DataFrame({"entity_id": [entity_id("Kurdistan Workers Party", "ORG"),
                                           entity_id("Basque Homeland and Freedom", "ORG"),
                                           entity_id("Basque Separatist Group", "ORG")],
                             "surface": ["PKK", "ETA", "ETA"]})
    out = resolve(table, surfaces=surfaces).join(table.select("entity_id", "name"), on="entity_id")
    got = dict(out.select("name", "canonical_name").iter_rows())
    assert got["PKK"] == "Kurdistan Workers Party"
    assert got["ETA"] == "ETA"  # introduced for two different names: left apart
    assert resolve(table).filter(pl.col("entity_id") == entity_id("PKK", "ORG"))["canonical_name"][0] == "PKK"


def test_a_one_word_club_name_joins_the_one_longer_club_it_starts_or_ends():
    got = _resolve([("Baltimore Orioles", "ORG", 4), ("BALTIMORE", "ORG", 24), ("Orioles", "ORG", 6),
                    ("New York Yankees", "ORG", 4), ("New York Mets", "ORG", 3), ("Yankees", "ORG", 8),
                    ("Mets", "ORG", 2), ("New York", "ORG", 9), ("Reuters", "ORG", 900),
                    ("Reuters Television", "ORG", 2), ("Norfolk High School", "ORG", 4), ("Norfolk", "ORG", 6)])
    assert got[("BALTIMORE", "ORG")] == ("Baltimore Orioles", "ORG")
    assert got[("Orioles", "ORG")] == ("Baltimore Orioles", "ORG")
    assert got[("Yankees", "ORG")] == ("New York Yankees", "ORG")
    assert got[("New York", "ORG")] == ("New York", "ORG")  # two clubs: which one is not known
    assert got[("Reuters", "ORG")] == ("Reuters", "ORG")  # a far smaller name does not take it
    assert got[("Norfolk", "ORG")] == ("Norfolk", "ORG")  # a school is no club: no nickname named alone


def test_a_demonym_stays_a_demonym_whatever_sports_words_follow_it():
    # "French striker", "Dutch champions": the cue words describe a player, not a firm called French.
    got = _resolve([("French", "NORP", 60, 12, 0), ("Yukos", "PERSON", 40, 10, 0)])
    assert got[("French", "NORP")] == ("French", "NORP")
    assert got[("Yukos", "PERSON")] == ("Yukos", "ORG")


def test_a_city_written_in_capitals_as_an_org_is_its_one_plural_club():
    # "SEATTLE 5 Baltimore 3": the results line's city is the Mariners even when the archive never
    # names `Mariners` alone; a city written in mixed case, or with a name that is no club, stays.
    got = _resolve([("Seattle Mariners", "ORG", 10), ("SEATTLE", "ORG", 40), ("Leeds Rhinos", "ORG", 2),
                    ("Leeds", "ORG", 30), ("Norfolk High School", "ORG", 4), ("NORFOLK", "ORG", 6)])
    assert got[("SEATTLE", "ORG")] == ("Seattle Mariners", "ORG")
    assert got[("Leeds", "ORG")] == ("Leeds", "ORG")  # mixed case (and Rhinos far smaller)
    assert got[("NORFOLK", "ORG")] == ("NORFOLK", "ORG")  # School: no plural nickname


def test_demonyms_link_to_a_continent_by_a_demonym_ending_only():
    out = resolve(_table([("European", "NORP", 12), ("Europe", "LOC", 30), ("African", "NORP", 3),
                          ("Africa", "LOC", 4), ("Northern", "NORP", 3), ("North", "LOC", 5), ("Casino", "NORP", 2),
                          ("Casio", "GPE", 2), ("English", "NORP", 5), ("England", "GPE", 9)]))
    links = dict(zip(*demonym_links(out).select("entity_id", "related_id")))
    # `Northern` is no demonym of `North`, `Casino` none of `Casio`; `English` stays unlinked.
    assert links == {entity_id("European", "NORP"): entity_id("Europe", "LOC"),
                     entity_id("African", "NORP"): entity_id("Africa", "LOC")}


def test_the_same_table_in_any_row_order_resolves_the_same():
    # A merged group's words were an arbitrary member's (`Mark` of `Mark Dutroux`): reruns differed.
    rows = BUSH + [("Marc Dutroux", "PERSON", 23), ("Mark Dutroux", "PERSON", 13), ("Dutroux", "PERSON", 9),
                   ("Mark", "PERSON", 2), ("Marc", "PERSON", 3), ("Serena Williams", "PERSON", 8),
                   ("Serena", "PERSON", 2)]
    table = _table(rows)
    first = resolve(table).sort("entity_id")
    for seed in range(8):
        assert resolve(table.sample(fraction=1.0, shuffle=True, seed=seed)).sort("entity_id").equals(first)
