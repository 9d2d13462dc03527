"""The automatic rules: one canonical entity per real-world entity, decided from the whole
archive's entity table (name, label, mention count per raw entity id). Set-based polars over
entities, never a loop over mentions; docs/entities.md explains each rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from presswatch.entities.names import display_name, entity_key, name_key
from presswatch.entities.watchlist import Watchlist
from presswatch.load import entity_id

OUT_SCHEMA = {"entity_id": pl.String, "canonical_id": pl.String, "canonical_name": pl.String,
              "canonical_label": pl.String, "key": pl.String, "reason": pl.String,
              "wikidata": pl.String}
# Labels that name people, organisations and places: only these vote and merge across labels
# (a DATE or a MONEY that shares a spelling is not the same thing).
NAME_RULES = ("watchlist", "initial", "spelling", "surname", "first name", "acronym", "short name")
# Words an acronym skips (`Organisation of Petroleum Exporting Countries` -> OPEC).
_MINOR = ["of", "the", "and", "for", "de", "du", "des", "la", "le", "del", "on", "in", "&"]
NAMED = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")


@dataclass(frozen=True)
class Rules:
    """Thresholds of the surname rule, checked on AIDA train (docs/entities.md)."""
    surname_share: float = 0.6  # the full name holds at least this share of that surname's full names
    surname_min_mentions: int = 2  # ... and was named this often
    org_cue_share: float = 0.05  # mentions with an organisation cue (cues.py) that make a name ORG ...
    org_cue_min: int = 3  # ... at least this many, and twice its title cues
    place_check: bool = True  # a GPE no gazetteer knows and seldom written as a place is no place
    split_share: float = 0.2  # a place/ORG minority this large stays apart (city and club) ...
    split_min: int = 5  # ... when named at least this often
    short_orgs: bool = True  # a one-word ORG that starts or ends exactly one longer ORG is it (`Orioles`)
    team_min: int = 2  # a country's ORG mentions (its national side: extract/ner.py) this many stay apart


def resolve(entities: pl.DataFrame, watchlist: Watchlist | None = None,
            rules: Rules | None = None, surfaces: pl.DataFrame | None = None) -> pl.DataFrame:
    """entities: entity_id, name, label, mentions (one row per raw id). surfaces (optional):
    entity_id, surface of mentions written otherwise than their entity's name (an article's own
    grouping: `PKK` as a mention of `Kurdistan Workers Party`). Returns one row per raw id with
    its canonical_id (sha256(label|name) of the canonical name and label, as presswatch.load
    makes ids), canonical name and label, the key and the rule that decided."""
    if not entities.height:
        return pl.DataFrame(schema=OUT_SCHEMA)
    rules = rules or Rules()
    cues = [pl.col(c).cast(pl.Int64).fill_null(0) if c in entities.columns else pl.lit(0, pl.Int64).alias(c)
            for c in ("org_cues", "person_cues", "place_cues")]
    df = entities.select("entity_id", "name", "label", pl.col("mentions").cast(pl.Int64).fill_null(1), *cues)
    df = df.with_columns(key=pl.when(pl.col("label").is_in(NAMED)).then(entity_key(pl.col("name"), pl.col("label")))
                         .otherwise(pl.lit(None)))
    # Entities the rules leave alone: other labels, an empty key, the watchlist's exclusions.
    wl = _watch_frames(watchlist or Watchlist())
    df = df.with_columns(key=pl.when(pl.col("key").is_in(wl["excluded"]) | (pl.col("key") == ""))
                         .then(pl.lit(None)).otherwise(pl.col("key")))
    df = _place_or_organisation(df, rules)
    named = df.filter(pl.col("key").is_not_null())
    groups = _label_vote(named, rules)
    target = _initials(groups)
    target = _add(target, _first_name_variants(groups, target))
    target = _add(target, _initial_first_names(groups, target, rules))
    target = _surnames(groups, target, rules)
    target = _add(target, _acronyms(groups, target))
    if surfaces is not None:
        target = _add(target, _introduced(groups, target, df, surfaces))
    if rules.short_orgs:
        target = _add(target, _short_orgs(groups, target))
    # key -> the key of its canonical group, then that group's name and label.
    canon = (groups.join(target, on="key", how="left")
             .with_columns(to=pl.coalesce("to", "key"), rule=pl.col("rule").fill_null("same name"))
             .join(groups.select(pl.col("key").alias("to"), pl.col("name").alias("canonical_name"),
                                 pl.col("label").alias("canonical_label")), on="to")
             .select("key", "to", "canonical_name", "canonical_label", "rule"))
    # The watchlist wins: a key it lists goes to its entry whatever the rules said, and so does a
    # key the rules joined to a listed one (`George Bush` with `George W Bush`: else the rules'
    # group, without its listed key, stayed an entity of its own beside the entry).
    by_target = wl["aliases"].rename({"key": "to", "wl_name": "to_name", "wl_label": "to_label",
                                      "wikidata": "to_wikidata"})
    canon = (canon.join(wl["aliases"], on="key", how="left").join(by_target, on="to", how="left")
             .select("key", pl.coalesce("wl_name", "to_name", "canonical_name").alias("canonical_name"),
                     pl.coalesce("wl_label", "to_label", "canonical_label").alias("canonical_label"),
                     pl.when(pl.col("wl_name").is_not_null()).then(pl.lit("watchlist"))
                     .otherwise(pl.col("rule")).alias("rule"),
                     pl.coalesce("wikidata", "to_wikidata").alias("wikidata")))
    out = (df.join(canon, on="key", how="left")
           .with_columns(canonical_name=pl.coalesce("canonical_name", "name"),
                         canonical_label=pl.coalesce("canonical_label", "label")))
    pairs = out.select("canonical_name", "canonical_label").unique()
    # One hash per canonical entity (not per mention): the same id presswatch.load would give.
    pairs = pairs.with_columns(canonical_id=pl.Series(
        [entity_id(n, lab) for n, lab in pairs.iter_rows()], dtype=pl.String))
    out = out.join(pairs, on=["canonical_name", "canonical_label"], how="left")
    reason = (pl.when(pl.col("canonical_id") == pl.col("entity_id")).then(pl.lit(None))
              .when(pl.col("rule").is_in(NAME_RULES)).then(pl.col("rule"))
              .when(pl.col("label") != pl.col("canonical_label")).then(pl.lit("label vote"))
              .otherwise(pl.lit("same name")))
    return out.with_columns(reason=reason).select(list(OUT_SCHEMA)).cast(OUT_SCHEMA)


def _place_or_organisation(df: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """A city and its club share a name (`Liverpool` GPE 45, ORG 96): when the tagger gives a
    key both a place label and ORG, each often, the minority stays its own entity (its key
    marked with its label) instead of being outvoted."""
    kind = pl.when(pl.col("label").is_in(["GPE", "LOC"])).then(pl.lit("place")).when(pl.col("label") == "ORG") \
        .then(pl.lit("org")).otherwise(pl.lit(None))
    shares = (df.filter(pl.col("key").is_not_null()).with_columns(kind=kind).filter(pl.col("kind").is_not_null())
              .group_by("key", "kind").agg(pl.col("mentions").sum())
              .with_columns(total=pl.col("mentions").sum().over("key"), kinds=pl.len().over("key")))
    from presswatch.entities.places import countries

    # A country written as an ORG is its national side (only the team rules label one so), however
    # few: `Australia` ORG 11 against GPE 115 is the cricket team, not a vote to lose.
    nations = [*countries(), *_HOME_NATIONS]
    team = pl.col("key").is_in(nations) & (pl.col("mentions") >= rules.team_min) & (rules.team_min > 0)
    split = shares.filter((pl.col("kinds") == 2)
                          & (((pl.col("mentions") >= rules.split_min)
                              & (pl.col("mentions") >= rules.split_share * pl.col("total"))) | team)
                          # a tie splits too (`Pakistan` 52 GPE, 52 ORG): the place is marked
                          & ((pl.col("mentions") < pl.col("total") - pl.col("mentions"))
                             | ((2 * pl.col("mentions") == pl.col("total")) & (pl.col("kind") == "place"))))
    minority = split.select("key", "kind", split=pl.lit(True))
    return (df.with_columns(kind=kind).join(minority, on=["key", "kind"], how="left")
            .with_columns(key=pl.when(pl.col("split")).then(pl.col("key") + "#" + pl.col("kind"))
                          .otherwise(pl.col("key")))
            .drop("kind", "split"))


# Nations that field their own sides and that no country list holds (extract/gazetteer.py too).
_HOME_NATIONS = ("england", "scotland", "wales", "northern ireland")


def _label_vote(named: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One group per key: the label most of its mentions carry (ties: alphabetical), or ORG
    where the archive's context cues say organisation (cues.py), the spelling most used with
    that label, all its mentions, its tokens."""
    by_label = named.group_by("key", "label").agg(pl.col("mentions").sum())
    label = by_label.sort(["key", "mentions", "label"], descending=[False, True, False]).unique("key", keep="first")
    cues = named.group_by("key").agg(pl.col("org_cues", "person_cues", "mentions").sum())
    org = cues.filter((pl.col("org_cues") >= rules.org_cue_min)
                      & (pl.col("org_cues") >= rules.org_cue_share * pl.col("mentions"))
                      & (pl.col("org_cues") > 2 * pl.col("person_cues")))["key"]
    to_org = pl.col("key").is_in(org) & pl.col("label").is_in(["PERSON", "GPE"])
    label = label.with_columns(label=pl.when(to_org).then(pl.lit("ORG")).otherwise(pl.col("label")))
    if rules.place_check:
        label = _not_places(named, label)
    # The spelling is chosen among the group's raw rows of the winning label, or all of them.
    named = named.with_columns(label=pl.when(to_org).then(pl.lit("ORG")).otherwise(pl.col("label")))
    name = (named.join(label.select("key", voted="label"), on="key")
            .with_columns(same=pl.col("label") == pl.col("voted"))
            .sort(["key", "same", "mentions", "name"], descending=[False, True, True, False])
            .unique("key", keep="first"))
    total = named.group_by("key").agg(pl.col("mentions").sum())
    name = name.with_columns(name=pl.when(display_name(pl.col("name")) != "").then(display_name(pl.col("name")))
                             .otherwise(pl.col("name")))
    return (label.select("key", "label").join(name.select("key", "name"), on="key").join(total, on="key")
            .with_columns(tokens=pl.col("key").str.split(" ")))


def _not_places(named: pl.DataFrame, label: pl.DataFrame) -> pl.DataFrame:
    """A key voted GPE that no gazetteer reading has (presswatch.geo) and that the archive
    seldom writes after a preposition of place ("in", "near": cues.py) is a firm, a film or a
    virus the tagger took for a place (`BT`, `Sideways`, `Cabir`): it takes the next label its
    mentions carry, else ORG, the tagger's usual confusion."""
    from presswatch.geo.resolve import candidates

    places = label.filter(pl.col("label") == "GPE")["key"]  # a LOC (a sea, a range) is often no town
    rows = named.filter(pl.col("key").is_in(places))
    cued = rows.group_by("key").agg(pl.col("place_cues", "mentions").sum())
    names = rows.select("key", "name").unique()
    # One gazetteer lookup per distinct spelling (display_name drops titles and possessives).
    names = names.with_columns(shown=display_name(pl.col("name")))
    known = pl.Series([bool(candidates(n)) or bool(candidates(s))
                       for n, s in names.select("name", "shown").iter_rows()], dtype=pl.Boolean)
    placeable = names.with_columns(known=known).group_by("key").agg(pl.col("known").any())
    # Fewer than 1 in 20 mentions after "in"/"near": a stray "in BT" does not make BT a place.
    unplaced = (cued.join(placeable, on="key")
                .filter(~pl.col("known") & (pl.col("place_cues") * 20 < pl.col("mentions")))["key"])
    other = (named.filter(pl.col("key").is_in(unplaced) & ~pl.col("label").is_in(["GPE", "LOC", "FAC"]))
             .group_by("key", "label").agg(pl.col("mentions").sum())
             .sort(["key", "mentions", "label"], descending=[False, True, False]).unique("key", keep="first")
             .select("key", next_label="label"))
    return (label.join(other, on="key", how="left")
            .with_columns(label=pl.when(pl.col("key").is_in(unplaced))
                          .then(pl.coalesce("next_label", pl.lit("ORG"))).otherwise(pl.col("label")))
            .drop("next_label"))


def _initials(groups: pl.DataFrame) -> pl.DataFrame:
    """`George Bush` joins `George W Bush` when the name with the middle initial is the more
    named of the two (PERSON, two words against three with a one-letter middle)."""
    people = groups.filter(pl.col("label") == "PERSON")
    middle = pl.col("tokens").list.get(1, null_on_oob=True)
    three = (people.filter((pl.col("tokens").list.len() == 3) & (middle.str.len_chars() == 1))
             .select(pl.col("key").alias("to"), pl.col("mentions").alias("to_mentions"),
                     short=pl.col("tokens").list.get(0) + " " + pl.col("tokens").list.get(2)))
    best = three.sort(["short", "to_mentions", "to"], descending=[False, True, False]).unique("short", keep="first")
    two = people.filter(pl.col("tokens").list.len() == 2).select("key", "mentions")
    return (two.join(best, left_on="key", right_on="short")
            .filter(pl.col("to_mentions") > pl.col("mentions"))
            .select("key", "to", rule=pl.lit("initial")))


def _acronyms(groups: pl.DataFrame, target: pl.DataFrame) -> pl.DataFrame:
    """An ORG written as an acronym (`KDP`, `FOMC`: 3-6 capitals; two are too often a brand)
    joins the one multi-word ORG of the archive whose initials it is (`Kurdistan Democratic
    Party`); none or several: apart."""
    orgs = groups.filter(pl.col("label") == "ORG")
    words = pl.col("tokens").list.eval(pl.element().filter(~pl.element().is_in(_MINOR)))
    long_ = (orgs.filter(pl.col("tokens").list.len() >= 2)
             .select("key", initials=words.list.eval(pl.element().str.slice(0, 1)).list.join(""))
             .filter(pl.col("initials").str.len_chars() >= 3))
    unique = long_.group_by("initials").agg(pl.col("key").first().alias("to"), n=pl.len()).filter(pl.col("n") == 1)
    short = orgs.filter(pl.col("name").str.contains(r"^[A-Z]{3,6}$") & ~pl.col("key").is_in(target["key"]))
    return short.join(unique, left_on="key", right_on="initials").select("key", "to", rule=pl.lit("acronym"))


def _introduced(groups: pl.DataFrame, target: pl.DataFrame, df: pl.DataFrame, surfaces: pl.DataFrame) -> pl.DataFrame:
    """An acronym an article introduced for a name ("Kurdistan Workers Party ( PKK )": the
    article's mention `PKK` belongs to that name) is that name in every article, when the
    archive's articles introduce it for one entity only."""
    acronym = pl.col("surface").str.contains(r"^[A-Z][A-Z0-9&]{1,6}$")
    owners = (surfaces.filter(acronym).join(df.select("entity_id", "key"), on="entity_id")
              .filter(pl.col("key").is_not_null())
              .select(acronym_key=pl.col("surface").str.to_lowercase(), to="key").unique()
              # `SEATTLE` of `Seattle` is the name in capitals, not an acronym (`seattle#place`).
              .filter(pl.col("acronym_key") != pl.col("to").str.replace("#.*$", "")))
    unique = owners.group_by("acronym_key").agg(pl.col("to").first(), n=pl.len()).filter(pl.col("n") == 1)
    short = groups.filter(pl.col("name").str.contains(r"^[A-Z][A-Z0-9&]{1,6}$") & ~pl.col("key").is_in(target["key"]))
    return (short.join(unique, left_on="key", right_on="acronym_key").filter(pl.col("to") != pl.col("key"))
            .select("key", "to", rule=pl.lit("acronym")))


_NICKNAME = re.compile(r"(?i)(?:[^s]s|sox)$")  # Orioles, Yankees, Red Sox; not Athletics Club, Express


def _short_orgs(groups: pl.DataFrame, target: pl.DataFrame) -> pl.DataFrame:
    """A club written by its city or its nickname is the one longer ORG of the archive named
    after a place that starts or ends that way: `BALTIMORE` (the club in a results line) and
    `Orioles` -> `Baltimore Orioles`; `New York` with the Yankees and the Mets named stays apart.
    The longer name must start with a place (`Nintendo` is no `Nintendo Europe`, `Ericsson` no
    `Sony Ericsson`) and be named at least a tenth as often (`Reuters` is no `Reuters Television`)."""
    from presswatch.geo.resolve import candidates

    orgs = groups.filter(pl.col("label") == "ORG")
    long_ = orgs.filter(pl.col("tokens").list.len() >= 2).select(to="key", to_mentions="mentions", name="name")
    # Split the longer name after its place (`Baltimore | Orioles`, `New York | Yankees`).
    known = set(groups["key"])
    # A city the archive mostly writes in capitals as an ORG is a club in results lines (`SEATTLE`).
    caps = set(orgs.filter(pl.col("name").str.contains("[A-Z]") & ~pl.col("name").str.contains("[a-z]"))
               ["key"].str.replace("#org$", ""))
    rows = []
    for to, mentions, name in long_.iter_rows():
        words = name.split()
        if any(w[:1].islower() for w in words) or name.isupper():
            continue  # "Tottenham v Nottingham Forest", "SEATTLE ROUTS ORIOLES": names glued, a headline
        for k in range(len(words) - 1, 0, -1):
            place = " ".join(words[:k])
            if candidates(place) or candidates(place.title()):
                nickname = " ".join(words[k:]).lower()
                rows.append((to, mentions, nickname))  # `Orioles`
                # The city only for a club: a plural nickname the archive also names alone, or
                # the city as an ORG in capitals (`Norfolk` is no `Norfolk High School`, `Google`
                # no `Google News`; `SEATTLE 5 Baltimore 3` is the Mariners).
                if _NICKNAME.search(words[-1]) and (nickname in known or place.lower() in caps):
                    rows.append((to, mentions, place.lower()))
                break
    ends = pl.DataFrame(rows, schema={"to": pl.String, "to_mentions": pl.Int64, "word": pl.String},
                        orient="row").unique(["to", "word"])
    unique = ends.group_by("word").agg(pl.col("to", "to_mentions").first(), n=pl.len()).filter(pl.col("n") == 1)
    short = orgs.filter(~pl.col("key").is_in(target["key"]))
    # The club's key is marked when the city kept the name (`baltimore#org`: _place_or_organisation).
    return (short.with_columns(word=pl.col("key").str.replace("#org$", "")).join(unique, on="word")
            .filter((pl.col("to") != pl.col("key")) & (10 * pl.col("to_mentions") >= pl.col("mentions")))
            .select("key", "to", rule=pl.lit("short name")))


def _add(target: pl.DataFrame, more: pl.DataFrame) -> pl.DataFrame:
    """Merges decided so far plus new ones for keys not yet moved (the first rule wins)."""
    return pl.concat([target, more.filter(~pl.col("key").is_in(target["key"]))])


def _people(groups: pl.DataFrame, target: pl.DataFrame) -> pl.DataFrame:
    """The multi-word PERSON groups not yet moved, with first and last word."""
    return (groups.filter((pl.col("label") == "PERSON") & (pl.col("tokens").list.len() >= 2)
                          & ~pl.col("key").is_in(target["key"]))
            .select("key", "mentions", first=pl.col("tokens").list.first(), last=pl.col("tokens").list.last()))


def _first_name_variants(groups: pl.DataFrame, target: pl.DataFrame) -> pl.DataFrame:
    """`Mark Dutroux` joins `Marc Dutroux`, `Aleksander Lebed` joins `Alexander Lebed`: two
    people with one surname whose first names are one edit apart (or ≥ 80% alike when both are 7+ letters)
    are one, the less named joining the more named. Pairs are formed per surname."""
    from difflib import SequenceMatcher

    people = _people(groups, target).filter(pl.col("first").str.len_chars() >= 3)
    pairs = (people.join(people, on="last", suffix="_b")
             .filter((pl.col("mentions") < pl.col("mentions_b"))
                     | ((pl.col("mentions") == pl.col("mentions_b")) & (pl.col("key") > pl.col("key_b"))))
             .filter(pl.col("first") != pl.col("first_b")))
    rows = []
    for key, first, to, first_b, to_mentions in pairs.select("key", "first", "key_b", "first_b",
                                                             "mentions_b").iter_rows():
        if _one_edit(first, first_b) or (min(len(first), len(first_b)) >= 7
                                         and SequenceMatcher(None, first, first_b).ratio() >= 0.8):
            rows.append((key, to, to_mentions))
    # Several matches: the most named, then the first key (a join's row order is not fixed).
    found = (pl.DataFrame(rows, schema={"key": pl.String, "to": pl.String, "to_mentions": pl.Int64}, orient="row")
             .sort(["key", "to_mentions", "to"], descending=[False, True, False]).unique("key", keep="first")
             .select("key", "to"))
    return found.with_columns(rule=pl.lit("spelling"))


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _initial_first_names(groups: pl.DataFrame, target: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """`R. Croft` (key `r croft`) joins the full name with that surname and initial that holds
    `surname_share` of them (`Robert Croft`), as sports tables write names."""
    people = _people(groups, target)
    short = people.filter(pl.col("first").str.len_chars() == 1).select("key", "first", "last")
    full = people.filter(pl.col("first").str.len_chars() > 1).with_columns(first=pl.col("first").str.slice(0, 1))
    best = (full.sort(["last", "first", "mentions", "key"], descending=[False, False, True, False])
            .group_by("last", "first", maintain_order=True)
            .agg(to=pl.col("key").first(), top=pl.col("mentions").first(), all=pl.col("mentions").sum())
            .filter(pl.col("top") >= rules.surname_share * pl.col("all")))
    return short.join(best, on=["last", "first"]).select("key", "to", rule=pl.lit("initial"))


def _surnames(groups: pl.DataFrame, target: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """A one-word PERSON (or ORG: the tagger often calls a bare surname an organisation) joins
    the full name most named with that surname (or first name) when it holds `surname_share`
    of them: Bush -> George W Bush, while Kate Bush stays hers."""
    moved = target.select("key", "to")
    full = (groups.filter((pl.col("label") == "PERSON") & (pl.col("tokens").list.len() >= 2))
            .join(moved, on="key", how="left").with_columns(to=pl.coalesce("to", "key"))
            .group_by("to").agg(pl.col("mentions").sum())
            # The canonical's own words: a member's (`Mark` of `Mark Dutroux`) made reruns differ.
            .join(groups.select(to="key", tokens="tokens"), on="to"))
    words = pl.concat([
        full.select("to", "mentions", word=pl.col("tokens").list.last(), rule=pl.lit("surname")),
        full.select("to", "mentions", word=pl.col("tokens").list.first(), rule=pl.lit("first name")),
    ])
    # Surnames first: "Bush" is a surname of George W Bush before it is anyone's first name.
    per_word = (words.sort(["word", "rule", "mentions", "to"], descending=[False, True, True, False])
                .group_by("word", "rule", maintain_order=True)
                .agg(pl.col("to").first(), top=pl.col("mentions").first(), all=pl.col("mentions").sum())
                .filter((pl.col("top") >= rules.surname_share * pl.col("all"))
                        & (pl.col("top") >= rules.surname_min_mentions))
                .sort(["word", "rule"], descending=[False, True]).unique("word", keep="first"))
    single = groups.filter(pl.col("label").is_in(["PERSON", "ORG"]) & (pl.col("tokens").list.len() == 1)
                           ).select("key", "label", "mentions", word=pl.col("key"))
    # A first name stands for a person only when tagged one (`Labour` is no first name of
    # `Labour MPs`); a bare ORG joins a surname's person only when that person is named at least
    # as often (`Silk` -> Robert Kilroy Silk, not `MPs` -> `Labour MPs`).
    found = (single.join(per_word, on="word").filter(pl.col("to") != pl.col("key"))
             .filter((pl.col("label") == "PERSON")
                     | ((pl.col("rule") == "surname") & (pl.col("top") >= pl.col("mentions"))))
             .select("key", "to", "rule"))
    return pl.concat([target, found.filter(~pl.col("key").is_in(target["key"]))])


def _watch_frames(watchlist: Watchlist) -> dict:
    rows, excluded = [], []
    for e in watchlist.entries:
        for spelled in (e.name, *e.aliases):
            rows.append({"spelled": spelled, "wl_name": e.name, "wl_label": e.label, "wikidata": e.wikidata})
        excluded += list(e.exclude)
    schema = {"spelled": pl.String, "wl_name": pl.String, "wl_label": pl.String, "wikidata": pl.String}
    aliases = pl.DataFrame(rows, schema=schema).with_columns(key=entity_key(pl.col("spelled"), pl.col("wl_label")))
    keys = pl.DataFrame({"spelled": excluded}, schema={"spelled": pl.String}).select(name_key(pl.col("spelled")))
    return {"aliases": aliases.unique("key", keep="first").drop("spelled"), "excluded": keys["spelled"]}


def demonym_links(resolved: pl.DataFrame) -> pl.DataFrame:
    """NORP canonicals linked to their place's canonical (`British` -> United Kingdom, `Scottish`
    -> Scotland, `Texan` -> Texas, `European` -> Europe), kept as their own entities: a related
    place, not the same thing. The places are pycountry's countries and the archive's own
    one-word GPE and LOC keys.
    One lookup per distinct NORP name."""
    from presswatch.entities.places import countries, demonym_country

    schema = {"entity_id": pl.String, "related_id": pl.String, "relation": pl.String}
    # The place's canonical in this archive (`Britain` for United Kingdom): one per key. A
    # continent or region voted LOC is a place too (`European` -> Europe, `African` -> Africa), and
    # a place the archive keeps apart from its club (`yugoslavia#place`: _place_or_organisation).
    places = (resolved.filter(pl.col("canonical_label").is_in(["GPE", "LOC"]) & pl.col("key").is_not_null())
              .with_columns(key=pl.col("key").str.replace("#place$", ""),
                            gpe=pl.col("canonical_label") == "GPE")
              .filter(~pl.col("key").str.contains("#"))
              .sort(["key", "gpe", "canonical_id"], descending=[False, True, False])
              .group_by("key", maintain_order=True).agg(pl.col("canonical_id").first().alias("place_id")))
    own = tuple(k for k in places["key"] if " " not in k and k not in countries())
    norp = resolved.filter(pl.col("canonical_label") == "NORP").select("canonical_id", "canonical_name").unique()
    rows = []
    for cid, name in norp.iter_rows():
        place = demonym_country(name, own)
        if place in countries() or place in own:
            rows.append({"entity_id": cid, "key": place, "display": countries().get(place, place)})
    if not rows:
        return pl.DataFrame(schema=schema)
    found = pl.DataFrame(rows).join(places, on="key", how="left")
    # A country the archive names by its first word (`Bosnia` for Bosnia and Herzegovina).
    short = places.select(short="key", short_id="place_id")
    found = (found.with_columns(short=pl.col("key").str.split(" ").list.first())
             .join(short, on="short", how="left")
             .with_columns(place_id=pl.coalesce("place_id", "short_id")))
    fallback = pl.Series([entity_id(d, "GPE") for d in found["display"]], dtype=pl.String)
    return found.select("entity_id", related_id=pl.coalesce(pl.col("place_id"), fallback),
                        relation=pl.lit("demonym of")).cast(schema)
