"""Entity mentions and their canonical entity within one article."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict

from spacy.tokens import Doc

from wordfreq import zipf_frequency

from presswatch.extract.gazetteer import countries, places
from presswatch.records import Mention
from presswatch.extract.tokens import lowers

LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
)
# Label ties are broken in this order (earlier wins).
LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "LANGUAGE")

# Leading words of a PERSON span that are a role, not part of the name.
TITLE_WORDS = frozenset(
    """president vice prime minister secretary of state foreign defense defence interior
    finance senator sen sen. rep rep. representative congressman congresswoman governor gov
    gov. mayor chancellor king queen prince princess pope general gen gen. colonel col col.
    lieutenant lt lt. captain capt capt. sergeant sgt sgt. admiral judge justice chief
    mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady rev rev. reverend father sheikh
    spokesperson spokesman spokeswoman ambassador commissioner chairman chairwoman ceo
    former then-president then-candidate candidate nominee leader officer agent coach""".split()
)
# Honorifics make the name after them a person whatever the model said ("Mr Blair" as ORG).
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. sir dame".split())
# "Secretary of State", "Minister of Finance": the word after "<role> of" is part of a title.
_ROLE_OF = re.compile(r"\b(?:[Ss]ecretary|[Mm]inister|[Mm]inistry|[Dd]epartment|[Oo]ffice)\s+of\s+$")
# Lower-case role nouns that, right before a name, make it a person ("managing director
# Eilidh MacLeod", "the economist Jane Roe"), whatever label the model gave the name.
ROLE_NOUNS = frozenset(
    """president minister secretary senator governor mayor chancellor judge spokesperson
    spokesman spokeswoman ambassador commissioner chairman chairwoman ceo director manager
    founder executive economist analyst professor coach captain general colonel sergeant
    lieutenant admiral officer agent leader""".split()
)

# Acronyms whose expansion is the canonical name even when the article never spells it out.
ALIASES = {
    "US": "United States",
    "USA": "United States",
    "UK": "United Kingdom",
    "EU": "European Union",
    "UN": "United Nations",
    "UAE": "United Arab Emirates",
    "NATO": "North Atlantic Treaty Organization",
}

_WS = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:\s*['’]s|['’])$")
_POSSESSIVE_GLUE = re.compile(r"\s*['’]s\s+")
_EDGE_PUNCT = "\"'“”‘’.,;:-–—()[] \n\t"


def find_mentions(doc: Doc, body: str) -> list[Mention]:
    """NER spans of the kept labels, trimmed to the name and tied to their sentence."""
    starts = [s.start_char for s in doc.sents]
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        label = ent.label_
        if label != "PERSON" and _starts_with_honorific(body, ent.start_char, ent.end_char):
            label = "PERSON"
        span = _trim(body, ent.start_char, ent.end_char, label)
        if span is None or _in_title(body, *span):
            continue
        start, end = span
        mentions.append(
            Mention(
                surface=body[start:end],
                label=label,
                sentence_idx=bisect_right(starts, start) - 1,
                start_char=start,
                end_char=end,
            )
        )
    return mentions


def _starts_with_honorific(body: str, start: int, end: int) -> bool:
    words = body[start:end].split()
    return len(words) > 1 and words[0].lower() in HONORIFICS and words[1][:1].isupper()


def _in_title(body: str, start: int, end: int) -> bool:
    """One common word right after "Secretary of" and the like is the end of a job title."""
    word = body[start:end]
    return (" " not in word and _ROLE_OF.search(body, max(0, start - 40), start) is not None
            and zipf_frequency(word.lower(), "en") >= 4.0)


def _trim(body: str, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Strip leading articles, possessives, edge punctuation and (for people) titles."""
    for _ in range(4):  # a few passes: "the European Union's" needs two rules
        before = (start, end)
        while start < end and body[start] in _EDGE_PUNCT:
            start += 1
        while end > start and body[end - 1] in _EDGE_PUNCT and body[end - 1] != ".":
            end -= 1
        m = _POSSESSIVE.search(body, start, end)
        if m and m.start() > start:
            end = m.start()
        m = _LEADING_ARTICLE.match(body, start, end)
        if m and m.end() < end:
            start = m.end()
        if label == "PERSON":
            start = _skip_titles(body, start, end)
        if (start, end) == before:
            break
    if start >= end or not any(c.isalnum() for c in body[start:end]):
        return None
    return start, end


def _skip_titles(body: str, start: int, end: int) -> int:
    text = body[start:end]
    words = list(re.finditer(r"\S+", text))
    i = 0
    while i < len(words) - 1 and words[i].group().lower() in TITLE_WORDS:
        i += 1
    return start + words[i].start() if i else start


def name_key(text: str) -> str:
    """Whitespace-normalized name with dots dropped from acronyms (U.S. -> US)."""
    text = _WS.sub(" ", text).strip()
    if re.fullmatch(r"(?:[A-Z]\.){2,}", text):
        text = text.replace(".", "")
    return text


def canonicalize(doc: Doc, body: str, mentions: list[Mention]) -> list[Mention]:
    """Group mentions into entities, pick each entity's name and label, add untagged
    surname mentions of known people. Returns the mentions sorted by position."""
    mentions = _split_glued(list(mentions))
    keys = _caps_to_written(name_key(m.surface) for m in mentions)
    people = _full_names(mentions, keys, body)
    # Canonical key of each mention: its own name, or the full name it abbreviates.
    rank = _person_rank(keys, mentions, people)
    canon = _resolve_all(keys, mentions, people, rank)
    canon = [_longer_name(c, people) for c in canon]
    canon = [_expand_acronym(c, canon) for c in canon]
    canon = _introduced_acronyms(canon, mentions, body)
    canon = _join_variants(canon, mentions, people)
    mentions += _untagged_surnames(doc, body, mentions, people, rank)
    canon += [_longer_name(m.canonical, people) for m in mentions[len(canon):]]

    # A country's side (ner.py labels a country that plays ORG: the model's ORG on a country is
    # relabelled GPE there, so an ORG country is team evidence) is an entity apart from the country
    # in the same article: one label vote made `England` the cricket team and the country one. A
    # city keeps one vote: its ORG is often the model's error ("Budapest stocks").
    apart = countries()
    groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for i, c in enumerate(canon):
        groups[c, mentions[i].label == "ORG" and c in apart].append(i)
    for (name, _), idx in groups.items():
        label = _vote(name, [mentions[i] for i in idx], people, body)
        for i in idx:
            mentions[i].canonical = name
            mentions[i].entity_label = label
    return sorted(mentions, key=lambda m: (m.start_char, m.end_char))


def _caps_to_written(keys) -> list[str]:
    """A name in capitals (a headline, a dateline, a results line: `BUDAPEST`) is the same name
    written in mixed case elsewhere in the article, so both share one entity and one label vote."""
    keys = list(keys)
    written = {k.lower(): k for k in keys if not k.isupper()}
    return [written.get(k.lower(), k) if k.isupper() and len(k) > 3 else k for k in keys]


def _split_glued(mentions: list[Mention]) -> list[Mention]:
    """A span the tagger glued across two names is cut in two when it starts with the surname
    of a person named in full in the article and the rest is a place (tagged so elsewhere in
    the article, or in the gazetteer: "Lebed Chechnya") or follows a possessive ("Lebed 's
    Security Council")."""
    surnames = {m.surface.split()[-1] for m in mentions if m.label == "PERSON" and " " in m.surface}
    if not surnames:
        return mentions
    tagged_places = {m.surface for m in mentions if m.label in ("GPE", "LOC")}
    out = []
    for m in mentions:
        head, _, tail = m.surface.partition(" ")
        if head not in surnames or not tail:
            out.append(m)
            continue
        possessive = _POSSESSIVE_GLUE.match(tail)
        if possessive:
            tail = tail[possessive.end():]
        elif tail not in tagged_places and tail not in places():
            out.append(m)
            continue
        if not tail[:1].isupper():
            out.append(m)
            continue
        end = m.start_char + len(head)
        start = m.end_char - len(tail)
        tail_label = m.label if possessive or m.label != "PERSON" else "GPE"
        out.append(Mention(surface=head, label="PERSON", sentence_idx=m.sentence_idx, start_char=m.start_char,
                           end_char=end))
        out.append(Mention(surface=tail, label=tail_label, sentence_idx=m.sentence_idx, start_char=start,
                           end_char=m.end_char))
    return out


def _full_names(mentions: list[Mention], keys: list[str], body: str) -> dict[str, str]:
    """Multi-word names tagged PERSON (or following a role word) at least as often as
    anything else."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for key, m in zip(keys, mentions):
        if " " in key:
            votes[key]["PERSON" if _after_title(body, m.start_char) else m.label] += 1
    # In order of first mention (votes is): a set here made ties between two people hash-ordered.
    people = [key for key, c in votes.items() if c["PERSON"] and c["PERSON"] >= max(c.values())]
    named = set(people)
    # A word glued before another full name ("American Dennis Mitchell") names no new person.
    return {key: key for key in people if not any(" ".join(key.split()[k:]) in named
                                                  for k in range(1, key.count(" ")))}


def _person_rank(keys: list[str], mentions: list[Mention], people: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(mentions written in full, -position of the first) of each person: the order in which
    several people sharing a surname claim it. One pass over the mentions."""
    count: Counter = Counter()
    first: dict[str, int] = {}
    for key, m in zip(keys, mentions):
        if key in people:
            count[key] += 1
            first.setdefault(key, -m.start_char)
    return {key: (count[key], first[key]) for key in count}


def _resolve_all(keys: list[str], mentions: list[Mention], people: dict[str, str],
                 rank: dict[str, tuple[int, int]]) -> list[str]:
    """_resolve of each mention. A name recurs in an article, and the answer depends only on its
    key and label: each pair is resolved once, the people's names split once."""
    words = {full: full.split() for full in people}
    memo: dict[tuple[str, str], str] = {}
    out = []
    for key, m in zip(keys, mentions):
        if (key, m.label) not in memo:
            memo[key, m.label] = _resolve(key, m.label, words, rank)
        out.append(memo[key, m.label])
    return out


def _resolve(key: str, label: str, people: dict[str, list[str]], rank: dict[str, tuple[int, int]]) -> str:
    """A one- or two-word form that ends (or starts) a known person's name joins that
    person; with several candidates, the person named in full most often wins, then the one
    introduced first (in a Boris Yeltsin story, "Yeltsin" is Boris, not Naina named once).
    people: each full name and its words."""
    if key in people:
        return key
    if label in ("GPE", "LOC", "FAC") and key in places():
        return key  # a known place is not the "person" named after it ("Manchester" of "Manchester United")
    words = key.split()
    for k in range(1, len(words) - 1):
        # A word glued before a person's full name is not part of it ("American Dennis
        # Mitchell", "Oriole Jamie Moyer"): the mention is that person.
        if " ".join(words[k:]) in people:
            return " ".join(words[k:])
    if label == "PERSON" and key.isupper() and len(words) == 1 and len(key) > 2:
        words = [key.title()]  # a surname in a capitals headline or results line ("FERGUSON")
    n = len(words)
    candidates = [full for full, parts in people.items()
                  if len(parts) > n and (parts[-n:] == words or parts[:n] == words)]
    if not candidates:
        return key
    return _claimant(candidates, rank)


def _claimant(candidates: list[str], rank: dict[str, tuple[int, int]]) -> str:
    """The one of several full names sharing a surname that takes it: the most named in full,
    then the first introduced (a unique position), then, for safety, the longer and the
    alphabetically first name. Explicit, so the choice never depends on a set's or dict's order
    (which varies with PYTHONHASHSEED: `Marigny` went to `De Marigny` or to `Roland de Marigny`)."""
    return min(candidates, key=lambda c: (-rank[c][0], -rank[c][1], -len(c), c))


def _longer_name(key: str, people: dict[str, str]) -> str:
    """A full name that is the start or end of exactly one longer full name in the article
    is that name ("Kelvin Marine" beside "Kelvin Marine Works")."""
    if key not in people:
        return key
    # Case-blind: a particle is capitalised at a sentence's start ("De Marigny" of "Roland de Marigny").
    words = key.lower().split()
    longer = [full for full in people if len(full.split()) > len(words)
              and (full.lower().split()[: len(words)] == words or full.lower().split()[-len(words):] == words)]
    return longer[0] if len(longer) == 1 else key


def _join_variants(canon: list[str], mentions: list[Mention], people: dict[str, str]) -> list[str]:
    """Within one article, a non-person name that starts or ends exactly one longer name of the
    same label is that name ("State Department" -> "US State Department", "Gaza" -> "Gaza
    Strip"), and a NORP's singular and plural are one group ("Palestinian"/"Palestinians")."""
    labels: dict[str, Counter] = defaultdict(Counter)
    for c, m in zip(canon, mentions):
        labels[c][m.label] += 1
    label_of = {c: votes.most_common(1)[0][0] for c, votes in labels.items()}
    to: dict[str, str] = {}
    for c, label in label_of.items():
        if c in people or label == "PERSON":
            continue
        if label == "NORP":
            other = c[:-1] if c.endswith("s") else c + "s"
            if label_of.get(other) == "NORP":
                # The more frequent form names the group; a tie goes to the singular.
                n, n_other = sum(labels[c].values()), sum(labels[other].values())
                if n_other > n or (n_other == n and len(other) < len(c)):
                    to[c] = other
            continue
        words = c.split()
        # Two gazetteer places are two places, not a variant ("Jerusalem" / "East Jerusalem",
        # "Mexico" / "Mexico City"); "Gaza" still joins "Gaza Strip", which is no gazetteer name.
        known = label in ("GPE", "LOC", "FAC") and c in places()
        longer = [o for o, lab in label_of.items()
                  if lab == label and len(o.split()) > len(words) and o not in people
                  and (o.split()[: len(words)] == words or o.split()[-len(words):] == words)
                  and not (known and o in places())]
        if len(longer) == 1:
            to[c] = longer[0]
    return [to.get(c, c) for c in canon]


def _expand_acronym(key: str, canon: list[str]) -> str:
    if key in ALIASES:
        return ALIASES[key]
    if key.isupper() and 2 <= len(key) <= 6 and " " not in key:
        for other in canon:
            words = [w for w in other.split() if w[:1].isupper()]
            if len(words) == len(key) >= 2 and "".join(w[0] for w in words) == key:
                return other
    return key


_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,6}")


def _introduced_acronyms(canon: list[str], mentions: list[Mention], body: str) -> list[str]:
    """An acronym the article introduces in brackets right after a name ("Kurdistan Workers
    Party ( PKK )", "the Organisation for Security and Cooperation in Europe (OSCE)") is that
    name everywhere in the article, in whatever order its initials come. Its letters must be
    initials of the name: "Michael Johnson ( USA )" in a results line is a country."""
    to: dict[str, str] = {}
    for prev, cur, i in zip(mentions, mentions[1:], range(1, len(mentions))):
        if (_ACRONYM.fullmatch(cur.surface) and cur.surface not in ALIASES and canon[i - 1] != canon[i]
                and " " in canon[i - 1]
                and set(cur.surface) <= {w[0].upper() for w in canon[i - 1].split()}
                and body[prev.end_char:cur.start_char].strip() == "("
                and body[cur.end_char:cur.end_char + 3].lstrip().startswith(")")):
            to.setdefault(canon[i], canon[i - 1])
    return [to.get(c, c) for c in canon] if to else canon


def _untagged_surnames(doc: Doc, body: str, mentions: list[Mention], people,
                       rank: dict[str, tuple[int, int]]) -> list[Mention]:
    """Tokens the NER missed that equal a known person's surname are that person; a surname
    several people share goes to the same person as a tagged one would (_claimant)."""
    if not people:
        return []
    claims: dict[str, list[str]] = defaultdict(list)
    for full in people:
        claims[full.split()[-1]].append(full)
    surnames = {word: _claimant(fulls, rank) for word, fulls in claims.items()}
    covered = [(m.start_char, m.end_char) for m in mentions]
    starts = [s.start_char for s in doc.sents]
    found = []
    # Perf: only tokens whose lowercase form is a surname's are looked at (case restoration
    # changes only case, so a token equal to a surname in the body has that lowercase form).
    wanted = {name.lower() for name in surnames}
    for i, low in enumerate(lowers(doc)):
        if low not in wanted:
            continue
        tok = doc[i]
        name = surnames.get(body[tok.idx : tok.idx + len(tok)])
        if name is None or any(s <= tok.idx < e for s, e in covered):
            continue
        found.append(
            Mention(
                surface=name.split()[-1],
                label="PERSON",
                sentence_idx=bisect_right(starts, tok.idx) - 1,
                start_char=tok.idx,
                end_char=tok.idx + len(tok),
                canonical=name,
            )
        )
    return found


def _vote(name: str, group: list[Mention], people: dict[str, str], body: str) -> str:
    if name in people:
        return "PERSON"
    # A name right after a role word ("Managing director Eilidh MacLeod") is a person,
    # whatever the small model said there.
    counts = Counter("PERSON" if _after_title(body, m.start_char) else m.label for m in group)
    return max(counts, key=lambda lab: (counts[lab], -LABEL_PRIORITY.index(lab)))


def _after_title(body: str, start: int) -> bool:
    before = body[max(0, start - 30):start].split()
    return bool(before) and before[-1] in ROLE_NOUNS


def entity_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """The mention overlapping [start, end), the longest if several."""
    hits = [m for m in mentions if m.start_char < end and start < m.end_char]
    return max(hits, key=lambda m: m.end_char - m.start_char) if hits else None
