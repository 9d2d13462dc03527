"""Full-text search: the BM25 index (DuckDB's fts extension), Boolean queries compiled to SQL,
and saved searches' hits.

The index covers articles.title and articles.body (fields "title", "body"); source, entities and
themes are matched by their own tables. The Boolean query filters, BM25 orders: an article is a
result when the query's logic holds, and its score is BM25 over the query's non-negated words.
Every piece of user text reaches SQL as a bound parameter; the SQL text is built only from
fixed fragments. Here: running a query (ranked), saved searches, the step after each ingest;
the index in search_index.py, the compiler in search_query.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timezone

import duckdb

from presswatch.search.parser import Node, parse
from presswatch.search.saved import SavedSearch
from warehouse.search_index import (INDEX, IndexRefresh, SearchUnavailable, fts_extension, has_index, load_fts,
                                    open_search_index, refresh_index, stopwords)
from warehouse import lake
from warehouse.lake import is_lake_connection
from warehouse.search_query import Compiled, QueryIgnored, compile_query

__all__ = ["INDEX", "Compiled", "Hit", "IndexRefresh", "QueryIgnored", "Results", "SavedRun", "SearchStep",
           "SearchUnavailable", "after_ingest", "fts_extension", "load_fts", "open_search_index",
           "refresh_index", "results_sql", "run_saved", "search"]


# --- running a query --------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str | None
    source: str | None
    day: date | None
    score: float
    body: str


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    words: list[str]  # what BM25 ranked by (snippets are cut around these)
    ignored: tuple[str, ...]
    indexed: int  # articles in the index
    articles: int  # articles in the warehouse (more than indexed: an ingest is under way)


def search(con: duckdb.DuckDBPyConnection, query: str | Node, *, since: date | None = None,
           until: date | None = None, limit: int | None = 20,
           ingested_after: datetime | None = None) -> Results:
    """Articles matching the query, best BM25 first (then newest). Raises QuerySyntaxError
    (presswatch.search.parser), QueryIgnored, or SearchUnavailable when there is no index."""
    sql, params, compiled = results_sql(con, query, since=since, until=until, limit=limit,
                                        ingested_after=ingested_after)
    rows = con.execute(sql, params).fetchall()
    indexed = con.execute(f"SELECT num_docs FROM {INDEX}.stats").fetchone()[0]
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    return Results([Hit(*r) for r in rows], compiled.ranking.split(), compiled.ignored, indexed, articles)


def results_sql(con: duckdb.DuckDBPyConnection, query: str | Node, *, since: date | None = None,
                until: date | None = None, limit: int | None = None,
                ingested_after: datetime | None = None) -> tuple[str, list, Compiled]:
    """The ranked query as SQL and its parameters: columns article_id, title, source, day,
    score, body (for exports and inserts to select from)."""
    node = parse(query) if isinstance(query, str) else query
    load_fts(con)
    if is_lake_connection(con) and lake.attach_search(con, write=False, wait=30.0) == "busy":
        raise SearchUnavailable(f"the search index {lake.search_file(con.catalog)} is being refreshed by an ingest "
                                "run's search step (held for over 30 s): try again in a moment")
    if not has_index(con):
        raise SearchUnavailable("the warehouse has no search index yet: it is built after each ingest run "
                                "(`presswatch run`), or now with `presswatch search --reindex`")
    min_docid = None if ingested_after is None else _min_docid(con, ingested_after)
    compiled = compile_query(node, stopwords(con), ingested_after, min_docid)
    filters, params = [compiled.where], list(compiled.params)
    for sql, value in (("a.day >= ?", since), ("a.day <= ?", until), ("a.ingested_at > ?", ingested_after)):
        if value is not None:
            filters.append(sql)
            params.append(value)
    hits = f"SELECT a.article_id, a.title, a.source, a.day, a.body FROM stg_articles a WHERE {' AND '.join(filters)}"
    if compiled.ranking:
        bound = "" if min_docid is None else " AND docid >= ?"
        sql = (f"WITH hits AS ({hits}), {_BM25.format(bound=bound)} "
               "SELECT h.article_id, h.title, h.source, h.day, coalesce(s.score, 0.0) AS score, h.body "
               "FROM hits h LEFT JOIN scores s ON s.name = h.article_id")
        params += [compiled.ranking] + ([] if min_docid is None else [min_docid])
    else:
        sql = f"SELECT article_id, title, source, day, 0.0::DOUBLE AS score, body FROM ({hits})"
    sql = f"SELECT * FROM ({sql}) ORDER BY score DESC, day DESC NULLS LAST, article_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params, compiled


# BM25 as the extension's match_bm25 macro computes it (k = 1.2, b = 0.75, all fields; its
# log is DuckDB's log, base 10), written out so that its postings can be bounded by docid: a
# saved search's run then reads the new articles' postings, not the archive's. A test checks
# the scores equal match_bm25's.
_BM25 = f"""qterms AS (SELECT termid, df FROM {INDEX}.dict
                    WHERE term IN (SELECT DISTINCT stem(unnest(string_split(?, ' ')), 'porter'))),
    tf AS (SELECT docid, termid, count(*) AS tf FROM {INDEX}.terms
           WHERE termid IN (SELECT termid FROM qterms){{bound}} GROUP BY docid, termid),
    scores AS (SELECT d.name, sum(log((st.num_docs - q.df + 0.5) / (q.df + 0.5) + 1)
                                  * tf.tf * (1.2 + 1) / (tf.tf + 1.2 * (1 - 0.75 + 0.75 * d.len / st.avgdl))) AS score
               FROM tf JOIN qterms q ON q.termid = tf.termid JOIN {INDEX}.docs d ON d.docid = tf.docid
               CROSS JOIN {INDEX}.stats st GROUP BY d.name)"""


def _min_docid(con: duckdb.DuckDBPyConnection, ingested_after: datetime) -> int:
    """The lowest docid of the articles ingested after the moment (past the last docid if none)."""
    row = con.execute(f"SELECT min(d.docid), (SELECT coalesce(max(docid), -1) + 1 FROM {INDEX}.docs) "
                      f"FROM {INDEX}.docs d JOIN articles a ON a.article_id = d.name "
                      "WHERE a.ingested_at > ?", [ingested_after]).fetchone()
    return row[0] if row[0] is not None else row[1]


# --- saved searches ---------------------------------------------------------------------


@dataclass(frozen=True)
class SavedRun:
    name: str
    new_hits: int
    backfill: bool  # looked at the whole archive (a new or changed search)
    seconds: float
    error: str | None = None


def run_saved(con: duckdb.DuckDBPyConnection, searches: list[SavedSearch], flow_run_id: str | None) -> list[SavedRun]:
    """Run each saved search over the articles it has not seen yet and insert its new hits
    (an article already hit by that search is never inserted again). A search that fails is
    reported in its SavedRun and the others still run."""
    load_fts(con)
    if not searches:
        return []
    newest = con.execute("SELECT max(ingested_at) FROM articles").fetchone()[0]
    state = {r[0]: r[1:] for r in con.execute(
        "SELECT search_name, query, since, checked_through FROM search_state").fetchall()}
    runs = []
    for saved in searches:
        started = time.perf_counter()
        query, since, through = state.get(saved.name, (None, None, None))
        backfill = (query, since) != (saved.query, saved.since)
        after = None if backfill else through
        try:
            if newest is None or (after is not None and newest <= after):
                added = 0
            else:
                added = _insert_hits(con, saved, after, flow_run_id)
            con.execute("INSERT OR REPLACE INTO search_state VALUES (?, ?, ?, ?, ?)",
                        [saved.name, saved.query, saved.since, newest, _now()])
        except (duckdb.Error, QueryIgnored, SearchUnavailable) as exc:
            runs.append(SavedRun(saved.name, 0, backfill, time.perf_counter() - started, str(exc)))
            continue
        runs.append(SavedRun(saved.name, added, backfill, time.perf_counter() - started))
    return runs


def _insert_hits(con: duckdb.DuckDBPyConnection, saved: SavedSearch, after: datetime | None,
                 flow_run_id: str | None) -> int:
    """Insert the search's matches among articles ingested after `after` (None: all); the
    primary key keeps the first run's row of an article already hit."""
    sql, params, _ = results_sql(con, saved.node, since=saved.since, ingested_after=after)
    row = con.execute(f"INSERT INTO search_hits SELECT ?, article_id, score, ?, ? FROM ({sql}) "
                      "ON CONFLICT DO NOTHING", [saved.name, _now(), flow_run_id, *params]).fetchone()
    return row[0] if row else 0


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --- after each ingest ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchStep:
    """What the search step of one ingest run did: the index, then each saved search."""

    index: IndexRefresh
    saved: list[SavedRun]
    seconds: float

    def lines(self) -> list[str]:
        done = {"unchanged": f"search index unchanged ({self.index.articles:,} articles)",
                "added": f"search index: {self.index.added:,} new articles added in {self.index.seconds:.2f} s "
                         f"({self.index.articles:,} in all)",
                "rebuilt": f"search index rebuilt over {self.index.articles:,} articles in "
                           f"{self.index.seconds:.2f} s"}[self.index.mode]
        out = [done]
        for run in self.saved:
            scope = "whole archive (new or changed search)" if run.backfill else "new articles"
            out.append(f"saved search {run.name!r}: " + (f"FAILED: {run.error}" if run.error else
                       f"{run.new_hits} new hit(s) over the {scope} in {run.seconds:.2f} s"))
        return out


def after_ingest(con: duckdb.DuckDBPyConnection, searches: list[SavedSearch], flow_run_id: str) -> SearchStep:
    """Keep the index current (rebuilt only if the articles changed), then run the saved searches."""
    started = time.perf_counter()
    try:
        index = refresh_index(con)
        saved = run_saved(con, searches, flow_run_id)
    finally:
        lake.detach_search(con)  # on a lake: readers may open the index file again
    return SearchStep(index, saved, time.perf_counter() - started)
