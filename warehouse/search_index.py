"""The full-text index: DuckDB's fts extension loaded from its wheel, the index built by the
extension once and then kept current by appending each run's new articles to its tables."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from presswatch.search.tokens import IGNORE
from warehouse import lake
from warehouse.db import keys_at_hand
from warehouse.lake import is_lake_connection

INDEX = "fts_main_articles"  # the schema PRAGMA create_fts_index makes for table articles


class SearchUnavailable(RuntimeError):
    """No index to search (never built), or the fts extension cannot be loaded."""


# --- the extension ----------------------------------------------------------------------


def fts_extension() -> Path:
    """The fts extension file of the duckdb-extension-fts wheel for this DuckDB version."""
    try:
        import duckdb_extension_fts
    except ImportError:
        raise SearchUnavailable("the fts extension is not installed: pip install "
                                f"duckdb-extension-fts=={duckdb.__version__}") from None
    path = (Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
            / "fts.duckdb_extension")
    if not path.is_file():
        raise SearchUnavailable(f"no fts extension for DuckDB {duckdb.__version__} at {path}: "
                                f"pip install duckdb-extension-fts=={duckdb.__version__}")
    return path


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD the extension by file path (nothing is downloaded; a loaded extension stays loaded)."""
    loaded = con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts'").fetchone()
    if loaded and loaded[0]:
        return
    con.execute(f"LOAD '{_sql_literal(str(fts_extension()))}'")


def _sql_literal(text: str) -> str:
    return text.replace("'", "''")


def open_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the extension if the warehouse has an index (its macros call fts functions);
    whether it has one. On a lake, an index file held by its rebuild counts as none: never waits."""
    if is_lake_connection(con) and lake.attach_search(con, write=False) != "attached":
        return False
    if not has_index(con):
        return False
    load_fts(con)
    return True


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs'",
                            [INDEX]).fetchone()[0])


# --- the index --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRefresh:
    mode: str  # unchanged | added (new articles appended) | rebuilt (a whole new index)
    articles: int  # articles in the index after the refresh
    added: int  # articles added by this refresh
    seconds: float

    @property
    def built(self) -> bool:
        return self.mode != "unchanged"


def refresh_index(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> IndexRefresh:
    """Bring the index up to the articles: nothing if they did not change since (count and
    newest ingested_at), else the new articles appended to the index's own tables (cost grows
    with the new articles, not the archive), or a full rebuild by the extension when there is
    no index yet, an indexed article is gone, or `force` (docs/decisions.md, docs/search.md)."""
    load_fts(con)
    con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would print into the run's output
    on_lake = is_lake_connection(con)
    if on_lake:
        _open_lake_index(con)
    state = _LAKE_STATE if on_lake else "search_index"
    count, newest = con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone()
    last = con.execute(f"SELECT articles, last_ingested_at FROM {state}").fetchone()
    if not force and has_index(con) and last == (count, newest):
        return IndexRefresh("unchanged", count, 0, 0.0)
    started = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        if force or not has_index(con) or _indexed_gone(con):
            (_create_on_lake if on_lake else _create)(con)
            mode, added = "rebuilt", count
        else:
            mode, added = "added", _append_new(con)
        seconds = time.perf_counter() - started
        con.execute(f"DELETE FROM {state}")
        con.execute(f"INSERT INTO {state} VALUES (?, ?, ?, ?)", [_now(), count, newest, seconds])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return IndexRefresh(mode, count, added, seconds)


def _create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', stemmer = 'porter', "
                f"stopwords = 'english', ignore = '{_sql_literal(IGNORE)}', strip_accents = 1, "
                "lower = 1, overwrite = 1)")


# On a lake the index lives in a side DuckDB file (lake.attach_search), with its own record of the
# last build: one transaction may write one database only, and the index and its record go together.
_LAKE_STATE = f"{lake.SEARCH_ALIAS}.main.search_index"


def _open_lake_index(con: duckdb.DuckDBPyConnection) -> None:
    """The side file attached for writing (waiting while a reader holds it), with its record table."""
    if lake.attach_search(con, write=True, wait=60.0) != "attached":
        raise SearchUnavailable(f"the search index file {lake.search_file(con.catalog)} stayed busy for 60 s "
                                "(another process holds it); the next run refreshes it")
    con.execute(f"CREATE TABLE IF NOT EXISTS {_LAKE_STATE} "
                "(built_at TIMESTAMP, articles BIGINT, last_ingested_at TIMESTAMP, seconds DOUBLE)")


def _create_on_lake(con: duckdb.DuckDBPyConnection) -> None:
    """The extension builds from a table of the database it writes: the lake's articles copied into
    the side file for the build, then dropped (the index keeps no reference to them)."""
    copy = f"{lake.SEARCH_ALIAS}.main.articles"
    con.execute(f"CREATE OR REPLACE TABLE {copy} AS SELECT article_id, title, body FROM {lake.ALIAS}.main.articles")
    con.execute(f"USE {lake.SEARCH_ALIAS}")
    try:
        _create(con)
    finally:
        con.execute(f"USE {lake.ALIAS}")
        lake.attach_search(con, write=True)  # USE reset the search path
    con.execute(f"DROP TABLE {copy}")


def _indexed_gone(con: duckdb.DuckDBPyConnection) -> bool:
    """An indexed article no longer in articles (or changed id): only a rebuild forgets it."""
    return bool(con.execute(f"SELECT count(*) FROM {INDEX}.docs d ANTI JOIN articles a "
                            "ON a.article_id = d.name").fetchone()[0])


# The new articles appended to the index's tables exactly as create_fts_index fills them (same
# tokenize macro, stopwords, stemmer; docs.len counts the indexed words of all fields, dict.df
# the documents holding a term); tests/warehouse/test_search.py checks appended == rebuilt.
# {among}: nothing, or a clause keeping only some articles (a batch's, warehouse.db.keys_at_hand).
_APPEND = [
    f"""CREATE OR REPLACE TEMP TABLE search_new_docs AS
        SELECT (SELECT coalesce(max(docid), -1) FROM {INDEX}.docs) + row_number() OVER (ORDER BY a.article_id)
               AS docid, a.article_id AS name, a.title, a.body
        FROM (SELECT * FROM articles {{among}}) a ANTI JOIN {INDEX}.docs d ON d.name = a.article_id""",
    f"""CREATE OR REPLACE TEMP TABLE search_new_terms AS
        SELECT docid, fieldid, stem(w, 'porter') AS term FROM (
            SELECT docid, (SELECT fieldid FROM {INDEX}.fields WHERE field = 'title') AS fieldid,
                   unnest({INDEX}.tokenize(title)) AS w FROM search_new_docs
            UNION ALL
            SELECT docid, (SELECT fieldid FROM {INDEX}.fields WHERE field = 'body'),
                   unnest({INDEX}.tokenize(body)) FROM search_new_docs)
        WHERE w <> '' AND w NOT IN (SELECT sw FROM {INDEX}.stopwords)""",
    f"""INSERT INTO {INDEX}.dict
        SELECT (SELECT coalesce(max(termid), -1) FROM {INDEX}.dict) + row_number() OVER (ORDER BY n.term), n.term, 0
        FROM (SELECT DISTINCT term FROM search_new_terms) n ANTI JOIN {INDEX}.dict d ON d.term = n.term""",
    f"""UPDATE {INDEX}.dict SET df = dict.df + n.docs
        FROM (SELECT term, count(DISTINCT docid) AS docs FROM search_new_terms GROUP BY term) n
        WHERE dict.term = n.term""",
    f"""INSERT INTO {INDEX}.terms
        SELECT t.docid, t.fieldid, d.termid FROM search_new_terms t JOIN {INDEX}.dict d ON d.term = t.term""",
    f"""INSERT INTO {INDEX}.docs
        SELECT n.docid, n.name, coalesce(l.len, 0) FROM search_new_docs n
        LEFT JOIN (SELECT docid, count(*) AS len FROM search_new_terms GROUP BY docid) l ON l.docid = n.docid""",
    f"""UPDATE {INDEX}.stats SET num_docs = (SELECT count(*) FROM {INDEX}.docs),
                                  avgdl = (SELECT avg(len) FROM {INDEX}.docs)""",
]


def _append_new(con: duckdb.DuckDBPyConnection, among: str = "") -> int:
    """Append the articles the index lacks (of those `among` keeps); how many."""
    con.execute(_APPEND[0].format(among=among))
    con.execute(_APPEND[1])
    added = con.execute("SELECT count(*) FROM search_new_docs").fetchone()[0]
    if added:
        for sql in _APPEND[2:]:
            con.execute(sql)
    con.execute("DROP TABLE search_new_docs")
    con.execute("DROP TABLE search_new_terms")
    return added


# --- inside a load -----------------------------------------------------------------------


def index_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Before a load's transaction: whether its articles can go into the index as it commits
    (a DuckDB file, the extension loadable). If not, the run's search step does it (or says why)."""
    if is_lake_connection(con):  # the lake's index is a side file: one transaction, one database
        return False
    try:
        load_fts(con)
    except (SearchUnavailable, duckdb.Error):
        return False
    return True


def index_loaded(con: duckdb.DuckDBPyConnection, article_ids: list[str], before: tuple) -> str:
    """In a load's transaction, after its articles are inserted: add them to the index, so the
    index is current when the batch commits and the run's search step has nothing left to do
    (the first build no longer waits for the last load, with the NLP workers idle: session 8,
    docs/performance.md). before: (count, newest ingested_at) of articles before the batch.

    Only when the index was current before the batch (its record says so), or when there is
    neither index nor article yet (the first batch of a warehouse builds it); otherwise the
    search step refreshes it as it always did (a rebuild if an indexed article is gone).
    Returns what was done: added | built | unchanged (no new article) | left."""
    indexed = has_index(con)
    if indexed and not article_ids:
        return "unchanged"
    current = con.execute("SELECT articles, last_ingested_at FROM search_index").fetchone()
    if (indexed and current != before) or (not indexed and (before[0] or not article_ids)):
        return "left"
    started = time.perf_counter()
    if indexed:
        if article_ids:
            with keys_at_hand(con, "article_id", article_ids, "search_batch_ids") as among:
                _append_new(con, among)
        mode = "added"
    else:
        _create(con)
        mode = "built"
    count, newest = con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone()
    con.execute("DELETE FROM search_index")
    con.execute("INSERT INTO search_index VALUES (?, ?, ?, ?)",
                [_now(), count, newest, time.perf_counter() - started])
    return mode


def stopwords(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    return frozenset(r[0] for r in con.execute(f"SELECT sw FROM {INDEX}.stopwords").fetchall())


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
