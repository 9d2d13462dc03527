"""The synthesized archive's full-text index, copied from the source's in SQL (issue 18).

Each archive article is a copy of a source article with the same title and body, so its index
rows are the source article's: its terms (same term ids), its length, under a new docid and name;
a term's document frequency is the sum, over the source articles holding it, of their copies.
That is the index `PRAGMA create_fts_index` would build over the archive (up to the order of the
docids; tests/flows/test_bench_archive_index.py compares them), in a fraction of its time: the
extension tokenizes and stems every body again, and at 1M articles its build ran past 11 minutes,
inside the watch run's warm-up, which then timed an index build and not a watch-mode run.
"""

from __future__ import annotations

from warehouse.search_index import INDEX, refresh_index

SRC = f"src.{INDEX}"


def synthesize_search_index(con) -> int:
    """Fill the index of the archive in `con` (made empty by `empty_search_index` before its articles;
    temp table amap: src_id, article_id, seq) from the index of the attached source `src`; how
    many term rows it holds."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'src' "
                       "AND schema_name = ? AND table_name = 'docs'", [INDEX]).fetchone()[0]:
        raise RuntimeError("the source warehouse has no search index: run `presswatch search --rebuild` on it")
    # Source docs mapped to their copies; field ids matched by name, in case the order differs.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE index_map AS
        SELECT d.docid AS src_docid, m.seq AS docid, m.article_id, d.len
        FROM {SRC}.docs d JOIN amap m ON m.src_id = d.name""")
    missing = con.execute("SELECT count(*) FROM amap ANTI JOIN index_map USING (article_id)").fetchone()[0]
    if missing:
        raise RuntimeError(f"{missing:,} archive articles are copies of source articles its search index "
                           "lacks: run `presswatch search --rebuild` on the source")
    con.execute(f"INSERT INTO {INDEX}.docs SELECT docid, article_id, len FROM index_map ORDER BY docid")
    con.execute(f"""
        INSERT INTO {INDEX}.terms
        SELECT m.docid, f.fieldid, t.termid
        FROM {SRC}.terms t
        JOIN index_map m ON m.src_docid = t.docid
        JOIN {SRC}.fields sf ON sf.fieldid = t.fieldid
        JOIN {INDEX}.fields f ON f.field = sf.field""")
    con.execute(f"""
        INSERT INTO {INDEX}.dict
        SELECT d.termid, d.term, n.df
        FROM {SRC}.dict d
        JOIN (SELECT t.termid, sum(c.copies) AS df
              FROM (SELECT DISTINCT docid, termid FROM {SRC}.terms) t
              JOIN (SELECT src_docid, count(*) AS copies FROM index_map GROUP BY 1) c ON c.src_docid = t.docid
              GROUP BY 1) n ON n.termid = d.termid""")
    con.execute(f"DELETE FROM {INDEX}.stats")
    con.execute(f"INSERT INTO {INDEX}.stats SELECT count(*), avg(len) FROM {INDEX}.docs")
    count, newest = con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone()
    con.execute("DELETE FROM search_index")
    con.execute("INSERT INTO search_index VALUES (now()::TIMESTAMP, ?, ?, 0.0)", [count, newest])
    con.execute("DROP TABLE index_map")
    return con.execute(f"SELECT count(*) FROM {INDEX}.terms").fetchone()[0]


def empty_search_index(con) -> None:
    """The extension's schema, macros, fields and stopwords with no document: built by the
    warehouse's own index refresh over the archive's articles while they are still empty (its
    macros name only the index's own tables, so filling those later is all a build would do)."""
    if con.execute("SELECT count(*) FROM articles").fetchone()[0]:
        raise RuntimeError("the empty index is made before any article is synthesized")
    refresh_index(con, force=True)
