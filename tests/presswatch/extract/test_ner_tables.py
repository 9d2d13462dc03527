"""Names in results and standings lines, datelines and ALL-CAPS headlines (issue 13 found rate):
the small model misses most of them."""

from presswatch.records import Article
from presswatch.extract.extraction import extract_articles

RESULTS = """SOCCER - ENGLISH LEAGUE RESULTS .
LONDON 1996-08-31
Results of English league matches on Saturday :
Bolton 3 Barnet 1
Reading 2 Stoke 2
Postponed : Walsall v Wrexham
Standings ( tabulate under played , won , drawn , lost , goals for , against , points ) :
Cowdenbeath 3 2 0 1 4 3 6
Clydebank 2 1 0 1 1 3 3
The league said on Monday it was pleased with the attendance .
"""


def found(nlp, text):
    (x,) = extract_articles(nlp, [Article(title=None, body=text)])
    return {(m.surface, m.entity_label) for m in x.mentions}


def test_team_names_in_results_lines(nlp):
    surfaces = {s for s, _ in found(nlp, RESULTS)}
    for team in ("Bolton", "Barnet", "Reading", "Stoke", "Walsall", "Wrexham", "Cowdenbeath", "Clydebank"):
        assert team in surfaces, team
    # Header words and days are not names.
    assert not surfaces & {"Postponed", "Standings", "Saturday", "Monday"}


def test_dateline_place(nlp):
    assert ("LONDON", "GPE") in found(nlp, RESULTS)


def test_prose_with_numbers_gains_no_names(nlp):
    text = "Prices rose 3 percent in May and 4 percent in June , the statistics office said .\n"
    assert not {s for s, _ in found(nlp, text)} & {"Prices"}


BASEBALL = """BASEBALL - ORIOLES WIN .
BALTIMORE 1996-08-29
Baltimore beat Seattle 5-3 on Thursday .
Seattle 3 Baltimore 5
Romania beat Lithuania 2-1 in their European under-21 match .
The mayor of Baltimore opened a new park in Baltimore on Friday .
"""


def test_a_place_that_plays_is_its_team(nlp):
    ents = [(e.text, e.label_) for e in nlp(BASEBALL).ents]
    assert ("Romania", "ORG") in ents  # the subject of "beat" in a sentence with a score
    assert ents.count(("Baltimore", "ORG")) >= 2 and ("Seattle", "ORG") in ents  # "Seattle 3 Baltimore 5"
    assert ("BALTIMORE", "GPE") in ents  # the dateline stays the city ...
    assert ents.count(("Baltimore", "GPE")) == 2  # ... and so does the city of the mayor


def test_a_place_in_prose_without_a_result_stays_a_place(nlp):
    ents = [(e.text, e.label_) for e in nlp("Romania beat back the floods , officials in Bucharest said .\n").ents]
    assert ("Romania", "GPE") in ents


def test_dateline_region_and_a_place_the_model_dated(nlp):
    # The model tags "Corsica 1996-08-29" and whole datelines as one DATE: the place is taken back.
    text = ("Bombs in Corsica .\nAJACCIO , Corsica 1996-08-29\nSeparatist guerrillas planted two bombs .\n"
            "Nepal king visits India .\nKATHMANDU 1996-08-23\nKing Birendra left Nepal on Friday .\n")
    got = found(nlp, text)
    assert {("AJACCIO", "GPE"), ("Corsica", "GPE"), ("KATHMANDU", "GPE")} <= got


def test_standings_names_the_model_called_works_of_art(nlp):
    text = ("SOCCER - SCOTTISH TABLE .\nStandings :\nAberdeen 3 1 2 0 8 4 5\nMotherwell 3 1 2 0 6 3 5\n"
            "Hearts 2 0 2 0 2 2 2\n")
    surfaces = {s for s, _ in found(nlp, text)}
    assert {"Aberdeen", "Motherwell", "Hearts"} <= surfaces
