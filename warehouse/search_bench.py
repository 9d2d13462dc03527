"""What the search step costs after an ingest, measured on a copy of a real warehouse.

    python -m warehouse.search_bench WAREHOUSE [--new 500] [--copies 1] [--searches FILE] [--queries FILE]

On a copy (the warehouse itself is only read): optionally grown to `copies` times its articles
(new ids, same texts), the index built from scratch (the extension's full rebuild), then the
newest `new` articles taken out, the index and the saved searches brought up to date without
them, and the articles put back as an ingest run would load them: the figures are that run's
search step (index append + saved searches over the new articles), a full rebuild for
comparison, and the saved searches' first run over the whole archive.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from presswatch.search.parser import parse
from presswatch.search.saved import SavedSearch, load_searches
from warehouse.db import copy_warehouse, open_db
from warehouse.search import after_ingest, refresh_index, run_saved, search


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m warehouse.search_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("warehouse", type=Path)
    p.add_argument("--new", type=int, default=500, help="articles the simulated ingest run adds (default 500)")
    p.add_argument("--copies", type=int, default=1, help="grow the archive to this many copies of its articles")
    p.add_argument("--searches", type=Path, help="saved searches to run (default: each --queries line as one, "
                   "else searches.toml.example)")
    p.add_argument("--queries", type=Path, help="a file of queries, one a line: their latency, top 20 each")
    args = p.parse_args(argv)
    if args.searches is None and args.queries is not None:
        lines = [q for q in args.queries.read_text().splitlines() if q.strip()]
        searches = [SavedSearch(f"q{i:02d}", q, node=parse(q)) for i, q in enumerate(lines, 1)]
    else:
        searches = load_searches(args.searches or Path("searches.toml.example"), missing_ok=False)
    with tempfile.TemporaryDirectory(prefix="presswatch-search-bench-") as tmp:
        path = Path(tmp) / "w.duckdb"
        copy_warehouse(args.warehouse, path)  # with its WAL
        # Not writer(): no migration or view rebuild, only the search tables this measures.
        with open_db(path) as con:
            con.execute("DROP SCHEMA IF EXISTS fts_main_articles CASCADE")
            con.execute("DELETE FROM search_index; DELETE FROM search_state; DELETE FROM search_hits")
            _grow(con, args.copies)
            total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            rebuilt = _clock(lambda: refresh_index(con, force=True))
            # the run to measure: the newest articles arrive after the rest was indexed and searched
            con.execute("CREATE TEMP TABLE held AS SELECT * FROM articles ORDER BY ingested_at DESC, "
                        "article_id LIMIT ?", [args.new])
            con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM held)")
            refresh_index(con, force=True)
            backfill = _clock(lambda: run_saved(con, searches, "bench-before"))
            later = datetime.now() + timedelta(days=1)
            con.execute("UPDATE held SET ingested_at = ?", [later])
            con.execute("INSERT INTO articles SELECT * FROM held")
            step = after_ingest(con, searches, "bench-run")
            queries = args.queries.read_text().splitlines() if args.queries else []
            latency = sorted(_clock(lambda q=q: search(con, q, limit=20)) for q in queries if q.strip())
    print(f"archive: {total:,} articles ({args.copies} cop{'y' if args.copies == 1 else 'ies'} of "
          f"{args.warehouse.name}); saved searches: {len(searches)} ({args.searches or args.queries})")
    print(f"full index rebuild (create_fts_index): {rebuilt:.2f} s")
    print(f"saved searches, first run over the archive: {backfill:.2f} s")
    print(f"search step of a run adding {step.index.added:,} articles: {step.seconds:.2f} s "
          f"(index append {step.index.seconds:.2f} s, mode {step.index.mode}; saved searches "
          f"{sum(r.seconds for r in step.saved):.2f} s, {sum(r.new_hits for r in step.saved)} new hits)")
    if latency:
        median = statistics.median(latency) * 1000
        print(f"{len(latency)} queries ({args.queries}), top 20 each: median {median:.0f} ms, "
              f"slowest {latency[-1] * 1000:.0f} ms")
    return 0


def _grow(con, copies: int) -> None:
    """Copies 2..N of every article under new ids (the texts again), each copy ingested later."""
    con.execute("CREATE TEMP TABLE originals AS SELECT * FROM articles")
    for c in range(1, copies):
        con.execute("INSERT INTO articles SELECT * REPLACE (substr(sha256(article_id || ?), 1, 16) AS article_id, "
                    "ingested_at + to_minutes(CAST(? AS BIGINT)) AS ingested_at) FROM originals", [f"|{c}", c])
    con.execute("DROP TABLE originals")


def _clock(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
