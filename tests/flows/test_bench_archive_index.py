"""The archive's search index, copied from the source's, is the one the extension builds."""

from __future__ import annotations

from datetime import datetime

import duckdb

from flows.bench_archive import synthesize
from tests.warehouse.test_aggregates import _load
from warehouse.db import migrate
from warehouse.search_index import INDEX, refresh_index


def _index(con) -> dict:
    """The index's content with docids replaced by article ids (their order is the build's)."""
    return {
        "docs": sorted(con.execute(f"SELECT name, len FROM {INDEX}.docs").fetchall()),
        "dict": sorted(con.execute(f"SELECT term, df FROM {INDEX}.dict").fetchall()),
        "terms": sorted(con.execute(f"""
            SELECT d.name, f.field, w.term, count(*) FROM {INDEX}.terms t
            JOIN {INDEX}.docs d USING (docid) JOIN {INDEX}.fields f USING (fieldid)
            JOIN {INDEX}.dict w USING (termid) GROUP BY ALL""").fetchall()),
        "stats": con.execute(f"SELECT num_docs, round(avgdl, 9) FROM {INDEX}.stats").fetchall(),
    }


def test_the_copied_index_equals_the_extensions_build_and_answers_searches(tmp_path):
    source, archive = tmp_path / "src.duckdb", tmp_path / "archive.duckdb"
    con = duckdb.connect(str(source))
    migrate(con)
    _load(con, range(0, 30), datetime(2024, 3, 5, 9))
    refresh_index(con)
    con.close()
    synthesize(source, archive, 75, say=lambda _line: None)  # 2.5 copies: some articles once more
    con = duckdb.connect(str(archive))
    try:
        copied = _index(con)
        record = con.execute("SELECT articles, last_ingested_at FROM search_index").fetchone()
        assert record == con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone()
        assert refresh_index(con).mode == "unchanged"  # the record says the index is current
        term = con.execute(f"SELECT term FROM {INDEX}.dict ORDER BY df DESC, term LIMIT 1").fetchone()[0]
        hits = con.execute(f"SELECT count(*) FROM articles WHERE {INDEX}.match_bm25(article_id, ?) IS NOT NULL",
                           [term]).fetchone()[0]
        rebuilt = refresh_index(con, force=True)
        assert rebuilt.mode == "rebuilt" and _index(con) == copied
    finally:
        con.close()
    assert copied["stats"][0][0] == 75 and len(copied["terms"]) > 75
    assert 0 < hits == dict(copied["dict"])[term]  # a search finds every article holding the term
