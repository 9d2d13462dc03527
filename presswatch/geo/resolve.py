"""Resolve one article's place names, CLIFF-style: unambiguous names first, they set the article's
focus country (the country it is mostly about), then each ambiguous name takes the candidate in
a country the article names, the focus country first, else the most populous."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from presswatch.geo.gazetteer import CITY, COUNTRY, REGION, STATE, Gazetteer, Place, gazetteer

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A city this big wins over a same-named US state ("New York", "Washington" is the capital).
BIG_CITY = 600_000
# A town outside every country the article names must be this big to be believed ("Essex" in a
# British article is not Essex, Maryland).
SMALL_TOWN = 50_000
# A region (pycountry: no population) weighs like a town this big: above a small town of its name
# abroad (`Essex`, Maryland), below a big city (`Hanover` is Hannover, not the Jamaican parish).
REGION_SIZE = 200_000


@dataclass(frozen=True)
class ArticlePlaces:
    focus_country: str | None
    places: dict[str, Place]  # name -> place, for the names that resolved


def candidates(name: str, gaz: Gazetteer | None = None) -> list[Place]:
    """Every reading of a name, the likeliest in a vacuum first."""
    gaz = gaz or gazetteer()
    name = name.removeprefix("the ").strip()
    out: list[Place] = []
    if name in gaz.countries:
        out.append(gaz.countries[name])
    if name in gaz.continents:
        out.append(gaz.continents[name])
    # GeoNames names first, then towns that also go by this name ("Newcastle upon Tyne").
    cities = list(gaz.cities.get(name, ()))
    cities += [c for c in gaz.city_alternates.get(name, ()) if c not in cities]
    if name in gaz.states:
        state = gaz.states[name]
        big = [c for c in cities if c.population >= BIG_CITY and c.country_code == state.country_code]
        out.extend(big)
        out.append(state)
        cities = [c for c in cities if c not in big]
    # A region (`Essex`, `Aceh`) before the smaller towns of its name, after the bigger ones
    # (`Hanover` is Hannover first), as _score weighs them.
    big = [c for c in cities if c.population >= REGION_SIZE]
    out.extend(big)
    out.extend(gaz.regions.get(name, ()) if gaz.regions else ())
    out.extend(c for c in cities if c not in big)
    return out


def resolve_article(names: dict[str, int], gaz: Gazetteer | None = None, *,
                    facilities: frozenset[str] = frozenset()) -> ArticlePlaces:
    """names: each place name of one article with its mention count. facilities: the names tagged
    FAC (stadiums, theatres: "Villa Park", "Olympic"): they do not vote for the focus and resolve
    only to a place in a country the article names, since most share a name with some town."""
    gaz = gaz or gazetteer()
    cands = {n: candidates(n, gaz) for n in names}
    cands = {n: c for n, c in cands.items() if c}
    facility = {n: c for n, c in cands.items() if n in facilities}
    cands = {n: c for n, c in cands.items() if n not in facilities}
    # Countries the article names for sure: unambiguous names (a lone town only when it is no
    # small town), and names whose first reading is a country (it beats a town called the same).
    votes: Counter = Counter()
    for n, c in cands.items():
        lone = len(c) == 1 and (c[0].feature != CITY or c[0].population >= SMALL_TOWN)
        sure = c[0] if lone or (c[0].feature == COUNTRY and not _also_state(c)) else None
        if sure is not None and sure.country_code:
            votes[sure.country_code] += names[n]
    focus = _focus(votes, cands, names)
    named = set(votes) | ({focus} if focus else set())
    chosen = {n: _pick(c, named, focus) for n, c in cands.items()}
    for n, c in facility.items():
        inside = [p for p in c if p.country_code in named]
        chosen[n] = _pick(inside, named, focus) if inside else None
    return ArticlePlaces(focus, {n: p for n, p in chosen.items() if p is not None})


def _focus(votes: Counter, cands: dict[str, list[Place]], names: dict[str, int]) -> str | None:
    if not votes:
        # Only ambiguous names: each one's likeliest reading votes.
        for n, c in cands.items():
            if c[0].country_code:
                votes[c[0].country_code] += names[n]
    if not votes:
        return None
    return max(votes, key=lambda cc: (votes[cc], cc))


def _also_state(cands: list[Place]) -> bool:
    """"Georgia": a country and a US state."""
    return any(c.feature == STATE for c in cands)


def _pick(cands: list[Place], named: set[str], focus: str | None) -> Place | None:
    if cands[0].feature == COUNTRY and _also_state(cands):
        state = next(c for c in cands if c.feature == STATE)
        return state if focus == state.country_code else cands[0]
    if cands[0].feature not in (CITY, REGION):
        return cands[0]
    # Towns and regions of one name (`Kent`, `Punjab`, `Hanover`) compete on size and context.
    best = max((c for c in cands if c.feature in (CITY, REGION)), key=lambda c: _score(c, named, focus))
    if best.feature == CITY and best.country_code not in named and best.population < SMALL_TOWN:
        return None  # a small town abroad is likelier a county or a street of the same name
    return best


def _score(c: Place, named: set[str], focus: str | None) -> float:
    """Size (log10 population; a region counts as REGION_SIZE), plus 1 in the focus country and
    0.5 in any country named."""
    size = REGION_SIZE if c.feature == REGION else c.population
    return math.log10(max(size, 1)) + (c.country_code == focus) + 0.5 * (c.country_code in named)
