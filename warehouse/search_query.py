"""A parsed Boolean query compiled to a DuckDB predicate on the articles (alias `a`), with every
piece of user text a bound parameter: words through the index's postings, phrases and NEAR
checked on the texts of the candidates the postings give, source/entity/theme on their tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from presswatch.search.parser import TEXT_FIELDS, Near, Node, Not, Phrase, Word, ranking_words
from presswatch.search.tokens import IGNORE, phrase_pattern, words
from warehouse.search_index import INDEX

_STEM = "stem({}, 'porter')"


class QueryIgnored(ValueError):
    """The query has nothing left to search for once its stopwords are set aside."""


# --- Boolean query -> SQL -----------------------------------------------------------------


@dataclass(frozen=True)
class Compiled:
    where: str  # a predicate on alias `a` (a row of stg_articles)
    params: list
    ranking: str  # the words BM25 ranks by, space-separated ("" : none)
    ignored: tuple[str, ...]  # stopwords set aside (not indexed)


def compile_query(node: Node, stop: frozenset[str], ingested_after: datetime | None = None,
                  min_docid: int | None = None) -> Compiled:
    """SQL for a parsed query. Stopwords are not in the index: a bare stopword is set aside (as
    if not written); inside a phrase it still counts. ingested_after: the caller looks only at
    articles ingested later, so NEAR counts word positions only in those, and min_docid (the
    lowest index docid among them) lets the index's postings be read from there on."""
    ignored: list[str] = []
    built = _Compiler(stop, ignored, ingested_after, min_docid).node(node)
    if built is None:
        raise QueryIgnored(f"the query has only stopwords ({', '.join(ignored)}), which are not indexed: "
                           'nothing to search for; put them in a "phrase" to match them exactly')
    ranking = [w for w in ranking_words(node) if w not in stop]
    return Compiled(built[0], built[1], " ".join(ranking), tuple(dict.fromkeys(ignored)))


class _Compiler:
    def __init__(self, stop: frozenset[str], ignored: list[str], ingested_after: datetime | None = None,
                 min_docid: int | None = None):
        self.stop, self.ignored, self.after, self.min_docid = stop, ignored, ingested_after, min_docid

    def node(self, n: Node) -> tuple[str, list] | None:
        if isinstance(n, Word):
            return self.word(n)
        if isinstance(n, Phrase):
            return self.phrase(n)
        if isinstance(n, Near):
            return self.near(n)
        if isinstance(n, Not):
            inner = self.node(n.item)
            return None if inner is None else (f"NOT ({inner[0]})", inner[1])
        parts = [p for p in (self.node(i) for i in n.items) if p is not None]
        if not parts:
            return None
        joiner = " AND " if type(n).__name__ == "And" else " OR "
        return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]

    def word(self, n: Word) -> tuple[str, list] | None:
        if n.field not in (None, *TEXT_FIELDS):
            return _value_field(n.field, n.text)
        tokens = words(n.text)
        if len(tokens) > 1:  # "U.S.", "e-mail": the index holds its parts, in order
            return self.phrase(Phrase(n.text, n.field, n.column))
        if tokens[0] in self.stop:
            self.ignored.append(tokens[0])
            return None
        return _in_docs(tokens[0], n.field, self.min_docid)

    def phrase(self, n: Phrase) -> tuple[str, list] | None:
        if n.field not in (None, *TEXT_FIELDS):
            return _value_field(n.field, n.text)
        tokens = words(n.text)
        # The index narrows to articles holding every indexed word (stemmed); the exact words
        # in order are then checked on those few texts only (MATERIALIZED: the candidates are
        # found first, or the optimizer may run the regex over every article).
        pre, params = self.candidates([t for t in tokens if t not in self.stop], n.field)
        pattern = phrase_pattern(tokens)
        fields = (n.field,) if n.field else TEXT_FIELDS
        check = " OR ".join(f"regexp_matches({_prepared(f, 'x')}, ?)" for f in fields)
        params += [pattern] * len(fields)
        return (f"a.article_id IN (WITH cand AS MATERIALIZED ({pre}) "
                f"SELECT x.article_id FROM cand x WHERE {check})"), params

    def candidates(self, tokens: list[str], field: str | None) -> tuple[str, list]:
        """SELECT article_id, title, body of the articles whose index holds every one of the
        words (all articles when none is indexed), ingested after self.after if set."""
        pre, params = [], []
        for t in dict.fromkeys(tokens):
            s, p = _in_docs(t, field, self.min_docid)
            pre.append(s.replace("a.article_id", "x.article_id", 1))
            params += p
        if self.after is not None:  # a saved search's run: only the new articles are read
            pre.append("x.ingested_at > ?")
            params.append(self.after)
        where = f" WHERE {' AND '.join(pre)}" if pre else ""
        return f"SELECT x.article_id, x.title, x.body FROM articles x{where}", params

    def near(self, n: Near) -> tuple[str, list]:
        left, right = (words(side.text)[0] for side in (n.left, n.right))
        # the index narrows to articles holding both (stopwords are not in it)
        pre, params = self.candidates([w for w in (left, right) if w not in self.stop], n.field)
        fields = [f for f in TEXT_FIELDS if n.field in (None, f)]
        texts = " UNION ALL ".join(
            f"SELECT x.article_id, {i} AS f, {_split(f, 'x')} AS ws FROM cand x" for i, f in enumerate(fields))
        params += [IGNORE] * len(fields)
        # Word positions are counted on those few texts only; stopwords count as words there.
        sql = (f"a.article_id IN (WITH cand AS MATERIALIZED ({pre}), "
               f"toks AS (SELECT article_id, f, unnest(ws) AS w, generate_subscripts(ws, 1) AS i FROM ({texts})) "
               f"SELECT l.article_id FROM toks l JOIN toks r ON l.article_id = r.article_id AND l.f = r.f "
               f"AND abs(l.i - r.i) BETWEEN 1 AND ? "
               f"WHERE {_same_word('l.w', n.left)} AND {_same_word('r.w', n.right)})")
        return sql, [*params, n.distance, left, right]


def _same_word(column: str, operand: Word | Phrase) -> str:
    """A NEAR operand: a quoted word is that exact word; a bare one, any word of its stem."""
    if isinstance(operand, Phrase):
        return f"{column} = ?"
    return f"{_STEM.format(column)} = {_STEM.format('?')}"


def _in_docs(token: str, field: str | None, min_docid: int | None = None) -> tuple[str, list]:
    """Articles whose indexed text (or one field of it) holds a word with this word's stem.
    min_docid: only postings from that docid on (appended docids grow: the row groups of older
    articles are skipped by their zone maps)."""
    sql = (f"a.article_id IN (SELECT d.name FROM {INDEX}.terms t JOIN {INDEX}.docs d ON d.docid = t.docid "
           f"JOIN {INDEX}.dict w ON w.termid = t.termid WHERE w.term = {_STEM.format('?')}")
    params: list = [token]
    if field is not None:
        sql += f" AND t.fieldid = (SELECT fieldid FROM {INDEX}.fields WHERE field = ?)"
        params.append(field)
    if min_docid is not None:
        sql += " AND t.docid >= ?"
        params.append(min_docid)
    return sql + ")", params


def _prepared(field: str, alias: str = "a") -> str:
    """A text field as the index sees it, before its word breaks: lower case, no accents."""
    return f"lower(strip_accents(coalesce({alias}.{field}, '')))"


def _split(field: str, alias: str) -> str:
    return f"string_split_regex(trim(regexp_replace({_prepared(field, alias)}, ?, ' ', 'g')), '\\s+')"


def _value_field(field: str, value: str) -> tuple[str, list]:
    """source:, entity:, theme: match the whole value, in any case."""
    if field == "source":
        return "lower(a.source) = lower(?)", [value]
    if field == "theme":
        return "a.article_id IN (SELECT article_id FROM article_themes WHERE lower(theme) = lower(?))", [value]
    return ("a.article_id IN (SELECT m.article_id FROM mentions m WHERE m.entity_id IN "
            "(SELECT entity_id FROM entities WHERE lower(name) = lower(?)))", [value])
