"""The model's attribute ruler with its single-token patterns looked up, not matched.

spaCy's `attribute_ruler` (tag -> POS and morphology, a few lemma and POS exceptions) tries each
of its ~180 patterns at every token with the general `Matcher`: about 20 µs a token, 14% of the
small English pipeline on BBC. Nearly all of them test one token's tag, form, dependency or
whiteness for equality or membership, and their effect depends on those values alone: so each
distinct combination of values is resolved once (which patterns hold, then their attributes in
the ruler's order, later ones winning) and every token with it gets the result by array. Patterns
of several tokens, or with operators and other attributes, run in a `Matcher` of their own and are
applied in the ruler's order on the tokens they touch. A ruler that sets anything but POS, tag,
dependency, lemma and morphology keeps spaCy's own path. A test compares every token's
annotations with the stock component's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

FACTORY = "presswatch_attribute_ruler"
# What a token pattern may test on the fast path; values are string hashes except IS_SPACE (0/1).
_TESTED = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "ORTH": ORTH, "TEXT": ORTH, "NORM": NORM,
           "IS_SPACE": IS_SPACE}
# What the ruler may set on the fast path: token-only attributes that Doc.from_array writes as
# set_token_attrs does (a lexeme attribute or an extension would need spaCy's own path).
_SETTABLE = (POS, TAG, DEP, LEMMA, MORPH)
# Sequence tokens are flagged by bits of an int64.
_MAX_BITS = 62
# A cache of value combinations grows with the vocabulary: start again past this many.
_CACHE_LIMIT = 500_000


@dataclass(frozen=True)
class _Test:
    """One attribute test of a token pattern: membership of the column's value in `values` (or
    not, when `inside` is False), or a regular expression searched in the value's string."""

    col: int
    values: frozenset = frozenset()
    inside: bool = True
    regex: re.Pattern | None = None

    def holds(self, row: tuple, strings) -> bool:
        if self.regex is not None:
            return bool(self.regex.search(strings[row[self.col]]))
        return (row[self.col] in self.values) is self.inside


@dataclass(frozen=True)
class _Check:
    """One single-token pattern: its ruler id and its tests (a negative id: a sequence token's
    tests, whose bit is -id - 1)."""

    attr_id: int
    tests: tuple[_Test, ...]

    def holds(self, row: tuple, strings) -> bool:
        return all(t.holds(row, strings) for t in self.tests)


class _Plan:
    """The ruler's patterns split into single-token checks, fixed-length sequences of such tests,
    and a Matcher for the rest."""

    def __init__(self, ruler: AttributeRuler):
        strings = ruler.vocab.strings
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        # Only the columns some pattern tests: fewer distinct combinations to resolve.
        patterns = ruler.patterns  # rebuilt from the ruler's Matcher at each access: read once
        tested = {_TESTED[k.upper()] for entry in patterns for alternative in entry["patterns"]
                  for token in alternative for k in token if k.upper() in _TESTED}
        self.columns = [c for c in dict.fromkeys(_TESTED.values()) if c in tested] or [TAG]
        self.candidates: dict[tuple[int, int], list[_Check]] = defaultdict(list)
        self.always: list[_Check] = []
        # (attr_id, the bit of each token's tests): a token's bits say which sequence tokens it fits
        self.sequences: list[tuple[int, list[int]]] = []
        self.token_tests: dict[tuple[_Test, ...], int] = {}
        self.rest = Matcher(ruler.vocab)
        self.fast = all(set(a) <= set(_SETTABLE) for a in ruler.attrs)
        for attr_id, entry in enumerate(patterns):
            rest = []
            for alternative in entry["patterns"]:
                tests = [self._tests(token, strings) for token in alternative]
                if not alternative or any(t is None for t in tests):
                    rest.append(alternative)
                elif len(alternative) == 1 and entry["index"] in (0, -1):
                    self._file(_Check(attr_id, tests[0]))
                elif len(self.token_tests.keys() | set(tests)) <= _MAX_BITS:
                    self.sequences.append((attr_id, [self._bit(t) for t in tests]))
                else:
                    rest.append(alternative)
            if rest:
                self.rest.add(str(attr_id), rest)
        self.effects: dict[tuple, int] = {}
        self.values: list[list[int]] = []  # per effect id: the value of each settable attribute
        self.masks: list[list[bool]] = []  # per effect id: which of them the effect sets
        self._tables: tuple[np.ndarray, np.ndarray] | None = None
        self.seen: dict[bytes, tuple[tuple[int, ...], int]] = {}

    def _tests(self, token: dict, strings) -> tuple[_Test, ...] | None:
        """A token pattern as tests, or None if it needs the Matcher."""
        tests = []
        for key, value in token.items():
            name = key.upper()
            test = _test(self.columns.index(_TESTED[name]), name, value, strings) if name in _TESTED else None
            if test is None:
                return None
            tests.append(test)
        return tuple(tests) if tests else None

    def _bit(self, tests: tuple[_Test, ...]) -> int:
        """The bit of a sequence token's tests, filed like a check under a negative id."""
        if tests not in self.token_tests:
            bit = self.token_tests[tests] = len(self.token_tests)
            self._file(_Check(-bit - 1, tests))
        return self.token_tests[tests]

    def _file(self, check: _Check) -> None:
        """File a check under the values it requires, so a token meets only its candidates."""
        required = [t for t in check.tests if t.inside and t.regex is None]
        if not required:
            self.always.append(check)
            return
        test = min(required, key=lambda t: (len(t.values), t.col))
        for v in test.values:
            self.candidates[(test.col, v)].append(check)

    def matching(self, key: bytes, strings) -> tuple[tuple[int, ...], int]:
        """For a token whose column values are `key` (their bytes): the single-token patterns
        that hold, in ruler order, and the bits of the sequence tokens it fits."""
        hit = self.seen.get(key)
        if hit is None:
            if len(self.seen) > _CACHE_LIMIT:
                self.seen.clear()
            row = tuple(np.frombuffer(key, dtype=np.uint64).tolist())
            found = {c.attr_id for c in self.always if c.holds(row, strings)}
            for col, v in enumerate(row):
                found.update(c.attr_id for c in self.candidates.get((col, v), ()) if c.holds(row, strings))
            bits = sum(1 << (-i - 1) for i in found if i < 0)  # sequence tokens it fits
            hit = self.seen[key] = (tuple(sorted(i for i in found if i >= 0)), bits)
        return hit

    def starts(self, bits: np.ndarray) -> list[tuple[int, int, int]]:
        """(attr_id, start, length) of every sequence match, as the Matcher reports them (every
        start, overlaps included)."""
        found = []
        for attr_id, token_bits in self.sequences:
            n = len(bits) - len(token_bits) + 1
            if n <= 0:
                continue
            ok = np.ones(n, dtype=bool)
            for k, b in enumerate(token_bits):
                ok &= (bits[k:k + n] >> b) & 1 == 1
            found += [(attr_id, s, len(token_bits)) for s in np.flatnonzero(ok).tolist()]
        return found

    def effect(self, attr_ids: tuple[int, ...]) -> int:
        """Id of the combined effect of applying these patterns' attributes in this order."""
        eid = self.effects.get(attr_ids)
        if eid is None:
            merged: dict[int, int] = {}
            for attr_id in attr_ids:
                merged.update(self.attrs[attr_id])
            eid = self.effects[attr_ids] = len(self.values)
            self.values.append([merged.get(a, 0) for a in _SETTABLE])
            self.masks.append([a in merged for a in _SETTABLE])
            self._tables = None
        return eid

    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        """The effects' values and masks as arrays, one row per effect id."""
        if self._tables is None:
            self._tables = (np.asarray(self.values, dtype=np.uint64), np.asarray(self.masks, dtype=bool))
        return self._tables


class IndexedAttributeRuler(AttributeRuler):
    """An AttributeRuler whose annotations are computed per distinct token, not per match."""

    _plan: _Plan | None = None

    def __call__(self, doc: Doc) -> Doc:
        plan = self._plan if self._plan is not None else self._build()
        if not plan.fast or not len(doc):
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            self._annotate(doc, plan)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def _build(self) -> _Plan:
        self._plan = _Plan(self)
        return self._plan

    def _annotate(self, doc: Doc, plan: _Plan) -> None:
        # (tokens, columns) even for one column, where to_array returns a vector
        table = np.ascontiguousarray(doc.to_array(plan.columns), dtype=np.uint64).reshape(len(doc), -1)
        raw, width = table.tobytes(), table.shape[1] * 8
        strings = doc.vocab.strings  # regular expressions read the token's string, as the Matcher
        hits = [plan.matching(raw[i:i + width], strings) for i in range(0, len(raw), width)]
        ids = [h[0] for h in hits]
        found = plan.starts(np.fromiter((h[1] for h in hits), dtype=np.int64, count=len(hits)))
        if len(plan.rest):
            for match_id, start, end in plan.rest(doc, allow_missing=True, as_spans=False):
                found.append((int(self.vocab.strings[match_id]), start, end - start))
        for attr_id, start, length in found:
            target = range(start, start + length)[plan.indices[attr_id]]  # IndexError as Span's
            ids[target] = tuple(sorted({*ids[target], attr_id}))
        effect = np.fromiter((plan.effect(i) for i in ids), dtype=np.int64, count=len(ids))
        values, masks = plan.tables()
        values, masks = values[effect], masks[effect]
        current = doc.to_array(list(_SETTABLE))
        doc.from_array(list(_SETTABLE), np.where(masks, values, current))

    # Anything that changes the patterns makes the plan stale.
    def add(self, *args, **kwargs) -> None:
        self._plan = None
        super().add(*args, **kwargs)

    def clear(self) -> None:
        self._plan = None
        super().clear()

    def from_bytes(self, *args, **kwargs):
        self._plan = None
        return super().from_bytes(*args, **kwargs)

    def from_disk(self, *args, **kwargs):
        self._plan = None
        return super().from_disk(*args, **kwargs)


def _test(col: int, name: str, value, strings) -> _Test | None:
    """A token pattern's value for one attribute as a test, or None when the Matcher is needed."""
    if name == "IS_SPACE":
        return _Test(col, frozenset({int(value)})) if isinstance(value, bool) else None
    if isinstance(value, str):
        return _Test(col, frozenset({strings.add(value)}))
    if isinstance(value, dict) and len(value) == 1:
        (op, items), = value.items()
        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in items):
            return _Test(col, frozenset(strings.add(v) for v in items), op == "IN")
        if op == "REGEX" and isinstance(items, str):
            return _Test(col, regex=re.compile(items))
    return None


@Language.factory(FACTORY, default_config={"validate": False, "scorer": None})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool, scorer) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def index_attribute_ruler(nlp: Language) -> None:
    """Swap the pipeline's attribute ruler for the indexed one, with the same patterns in the same
    order, under the same name and place."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    stock = nlp.get_pipe("attribute_ruler")
    if isinstance(stock, IndexedAttributeRuler) or not isinstance(stock, AttributeRuler):
        return
    patterns = stock.patterns
    indexed = nlp.replace_pipe("attribute_ruler", FACTORY)
    indexed.add_patterns(patterns)

