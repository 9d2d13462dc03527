"""The Boolean query language of `presswatch search` and searches.toml.

    climate change                 both words (implicit AND), stemmed: "changes" matches too
    "climate change"               the exact words in this order (case, accents, punctuation aside)
    brexit OR "article 50"         either
    bank NOT (river OR fishing)    NOT excludes; parentheses group
    blair NEAR/5 brown             both, at most 5 words apart, in either order (NEAR alone: 10)
    title:election                 only in the title (title:, body:; title:(a OR b) too)
    source:bbc  entity:"Tony Blair"  theme:economy
                                   the article's source, an extracted entity's name, a theme
                                   (whole value, any case)

Precedence, tightest first: NEAR, NOT, AND (written or implied), OR. Operators are upper
case; "and", "or", "not", "near" in lower case are ordinary words. A mistake raises
QuerySyntaxError with the column and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presswatch.search.tokens import words

TEXT_FIELDS = ("title", "body")
VALUE_FIELDS = ("source", "entity", "theme")
FIELDS = TEXT_FIELDS + VALUE_FIELDS
DEFAULT_NEAR = 10
MAX_NEAR = 100
MAX_QUERY_CHARS = 2000  # a query is typed or kept in searches.toml: longer is a mistake
MAX_DEPTH = 50  # nested parentheses; each level is a few Python frames (200 hit the recursion limit)


class QuerySyntaxError(ValueError):
    """A query that does not parse: `column` (1-based) and `reason` say where and why."""

    def __init__(self, query: str, column: int, reason: str):
        self.query, self.column, self.reason = query, column, reason
        super().__init__(f"query error at column {column}: {reason}")


# --- the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None  # None: title or body
    column: int = 0

    def __str__(self) -> str:
        return _prefix(self.field) + self.text


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    column: int = 0

    def __str__(self) -> str:
        return f'{_prefix(self.field)}"{self.text}"'


@dataclass(frozen=True)
class Near:
    left: Word | Phrase
    right: Word | Phrase
    distance: int
    field: str | None = None

    def __str__(self) -> str:
        return f"{_prefix(self.field)}({self.left} NEAR/{self.distance} {self.right})"


@dataclass(frozen=True)
class Not:
    item: Node

    def __str__(self) -> str:
        return f"NOT {self.item}"


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " AND ".join(map(str, self.items)) + ")"


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " OR ".join(map(str, self.items)) + ")"


Node = Word | Phrase | Near | Not | And | Or


def _prefix(field: str | None) -> str:
    return f"{field}:" if field else ""


# --- tokens -----------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<phrase>"[^"]*"?)
  | (?P<near>NEAR(?:/(?P<dist>\S*?))?(?=[\s()"]|$))
  | (?P<field>[A-Za-z_]+):(?=\S)
  | (?P<word>[^\s()"]+)
""", re.X)


@dataclass(frozen=True)
class _Tok:
    kind: str  # lparen rparen phrase near field word and or not end
    text: str
    column: int
    value: object = None


def _tokenize(query: str) -> list[_Tok]:
    toks, pos = [], 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        kind, col = m.lastgroup, pos + 1
        if m.group("near") is not None:
            kind = "near"
        text = m.group(0)
        pos = m.end()
        if kind == "space":
            continue
        if kind == "phrase":
            if len(text) < 2 or not text.endswith('"'):
                raise QuerySyntaxError(query, col, 'this phrase has no closing quote (")')
            toks.append(_Tok("phrase", text[1:-1], col))
        elif kind == "near":
            toks.append(_Tok("near", text, col, _near_distance(query, col, m.group("dist"))))
        elif kind == "field":
            name = m.group("field").lower()
            if name not in FIELDS:
                raise QuerySyntaxError(query, col, f"unknown field '{m.group('field')}:' "
                                       f"(fields: {', '.join(f + ':' for f in FIELDS)})")
            toks.append(_Tok("field", name, col))
        elif kind == "word" and text[:-1].lower() in FIELDS and text.endswith(":"):
            raise QuerySyntaxError(query, col, f"'{text}' needs a word, phrase or group right after the colon")
        elif kind == "word" and text in ("AND", "OR", "NOT"):
            toks.append(_Tok(text.lower(), text, col))
        else:
            toks.append(_Tok(kind, text, col))
    toks.append(_Tok("end", "", len(query) + 1))
    return toks


def _near_distance(query: str, col: int, dist: str | None) -> int:
    if dist is None:
        return DEFAULT_NEAR
    if not dist.isdigit() or not 1 <= int(dist) <= MAX_NEAR:
        raise QuerySyntaxError(query, col, f"NEAR/{dist}: the distance must be a whole number of words "
                               f"from 1 to {MAX_NEAR}, e.g. NEAR/5")
    return int(dist)


# --- the parser (recursive descent, one method per precedence level) ----------------------


def parse(query: str) -> Node:
    """The tree of a query; QuerySyntaxError on any mistake."""
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(query, MAX_QUERY_CHARS + 1, f"the query is longer than {MAX_QUERY_CHARS} characters")
    if not query.strip():
        raise QuerySyntaxError(query, 1, "the query is empty")
    return _Parser(query).parse()


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.toks = _tokenize(query)
        self.i = 0
        self.depth = 0  # parentheses open at this point

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.tok
        self.i += 1
        return tok

    def error(self, tok: _Tok, reason: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, tok.column, reason)

    def parse(self) -> Node:
        node = self.or_expr(field=None)
        if self.tok.kind == "rparen":
            raise self.error(self.tok, "this ')' closes no '('")
        if self.tok.kind != "end":  # pragma: no cover - every token starts an operand or ends one
            raise self.error(self.tok, f"unexpected {self.tok.text!r}")
        return node

    def or_expr(self, field: str | None) -> Node:
        items = [self.and_expr(field)]
        while self.tok.kind == "or":
            self.operand_after(self.take())
            items.append(self.and_expr(field))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, field: str | None) -> Node:
        items = [self.unary(field)]
        while True:
            if self.tok.kind == "and":
                self.operand_after(self.take())
            elif self.tok.kind not in ("lparen", "phrase", "word", "field", "not"):
                break
            items.append(self.unary(field))
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, field: str | None) -> Node:
        if self.tok.kind == "not":
            self.operand_after(self.take())
            return Not(self.unary(field))
        return self.near(field)

    def near(self, field: str | None) -> Node:
        first = self.primary(field)
        pairs: list[Node] = []
        left = first
        while self.tok.kind == "near":
            op = self.take()
            self.operand_after(op)
            right = self.primary(field)
            for side in (left, right):
                self.check_near_operand(op, side)
            pairs.append(Near(left, right, op.value, left.field))
            left = right
        if not pairs:
            return first
        # a NEAR/n b NEAR/n c: each neighbour pair within n words
        return pairs[0] if len(pairs) == 1 else And(tuple(pairs))

    def check_near_operand(self, op: _Tok, side: Node) -> None:
        if not isinstance(side, Word | Phrase):
            raise self.error(op, f"{op.text} joins words or phrases, not groups or operators")
        if side.field in VALUE_FIELDS:
            raise self.error(op, f"{op.text} measures distance in the text; '{side.field}:' is not text")
        if len(words(side.text)) != 1:
            raise self.error(op, f"{op.text} joins single words; {str(side)!r} is {len(words(side.text))} words")

    def operand_after(self, op: _Tok) -> None:
        if self.tok.kind in ("end", "rparen", "or", "and", "near"):
            where = "at the end" if self.tok.kind == "end" else f"before {self.tok.text!r}"
            raise self.error(op, f"{op.text} needs a word, phrase or group after it, found nothing {where}")

    def primary(self, field: str | None) -> Node:
        tok = self.tok
        if tok.kind == "lparen":
            self.take()
            if self.tok.kind == "rparen":
                raise self.error(tok, "empty parentheses")
            if self.depth == MAX_DEPTH:  # deeper, the parser would end in a RecursionError
                raise self.error(tok, f"parentheses nested more than {MAX_DEPTH} deep")
            self.depth += 1
            node = self.or_expr(field)
            self.depth -= 1
            if self.tok.kind != "rparen":
                raise self.error(tok, "this '(' is never closed: add ')'")
            self.take()
            return node
        if tok.kind == "field":
            self.take()
            if field is not None:
                raise self.error(tok, f"'{tok.text}:' inside '{field}:(...)': one field per term")
            if self.tok.kind not in ("lparen", "phrase", "word"):
                raise self.error(tok, f"'{tok.text}:' needs a word, phrase or group right after the colon")
            return self.primary(tok.text)
        if tok.kind == "phrase":
            self.take()
            return self.leaf(tok, Phrase, field)
        if tok.kind == "word":
            self.take()
            return self.leaf(tok, Word, field)
        if tok.kind == "rparen":
            raise self.error(tok, "this ')' closes no '('")
        if tok.kind == "end":
            raise self.error(tok, "the query ends where a word, phrase or group was expected")
        raise self.error(tok, f"{tok.text} needs a word, phrase or group before it")

    def leaf(self, tok: _Tok, kind: type[Word] | type[Phrase], field: str | None) -> Word | Phrase:
        text = tok.text.strip()
        if field in VALUE_FIELDS:
            if not text:
                raise self.error(tok, f"'{field}:' needs a value")
            return kind(text, field, tok.column)
        if any(ch in text for ch in "*?"):
            raise self.error(tok, f"wildcards are not supported ({text!r}): write the word out, "
                             "or join forms with OR (stemming already matches plurals)")
        if not words(text):
            what = "this phrase" if kind is Phrase else repr(text)
            raise self.error(tok, f"{what} has no letters or digits to search for")
        return kind(text, field, tok.column)


# --- what the ranking and the snippets need -----------------------------------------------


def ranking_words(node: Node) -> list[str]:
    """The words the query asks for in the text (not under NOT, not in source:/entity:/theme:),
    in query order, each once: BM25 ranks by these, snippets are cut around them."""
    found: list[str] = []

    def walk(n: Node, negated: bool) -> None:
        if isinstance(n, Word | Phrase):
            if not negated and n.field not in VALUE_FIELDS:
                found.extend(w for w in words(n.text) if w not in found)
        elif isinstance(n, Near):
            walk(n.left, negated)
            walk(n.right, negated)
        elif isinstance(n, Not):
            walk(n.item, not negated)
        else:
            for item in n.items:
                walk(item, negated)

    walk(node, False)
    return found
