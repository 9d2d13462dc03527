"""What the dedup step costs at load: `python -m warehouse.dedup_cost`.

    python -m warehouse.dedup_cost bbc WAREHOUSE      # the per-batch call over a loaded warehouse's
                                                      # articles (e.g. a copy of the BBC bench's)
    python -m warehouse.dedup_cost scaling [--levels 1000,5000,20000] [--eval-dir ../shared/eval]

`bbc` replays the warehouse's articles and mentions, batch by batch (500, as the ingest),
into a fresh warehouse: each batch's article rows are inserted and `dedup.update` is timed
inside the same transaction, as warehouse/load.py runs it. `scaling` fills one warehouse with
Reuters-21578 items as a steady feed (250 a day) and, at each level, times the same 500
held-out items dated the next day on a copy of it, so a cost that grew with the warehouse
(not with the day's news) would show. Prints seconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from warehouse import dedup
from warehouse.db import migrate
from warehouse.frames import query_frame as _query

BATCH = 500
CPU: list[float] = []  # CPU seconds of each timed call
PROBE = 500  # the scaling probe: the same held-out items at every level
PER_DAY = 250  # the steady feed's articles a day


def _fresh(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    migrate(con)
    return con


def _timed_batch(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, mentions: pl.DataFrame) -> float:
    con.execute("BEGIN TRANSACTION")
    _query(con, articles, "INSERT INTO articles BY NAME SELECT * FROM batch_frame")
    start, cpu = time.perf_counter(), time.process_time()
    dedup.update(con, {"articles": articles, "mentions": mentions}, articles["article_id"])
    spent = time.perf_counter() - start
    CPU.append(time.process_time() - cpu)  # the process's CPU (DuckDB's threads too): less swayed by a busy machine
    con.execute("COMMIT")
    return spent


def replay(source: Path, say=print) -> dict:
    src = duckdb.connect(str(source), read_only=True)
    arts = src.execute("SELECT * EXCLUDE (previous_version) FROM articles ORDER BY ingested_at, article_id").pl()
    ments = src.execute("SELECT * FROM mentions").pl()
    src.close()
    with tempfile.TemporaryDirectory() as tmp:
        con = _fresh(Path(tmp) / "replay.duckdb")
        total, words = 0.0, int(arts["word_count"].sum() or 0)
        for k in range(0, arts.height, BATCH):
            batch = arts.slice(k, BATCH)
            spent = _timed_batch(con, batch, ments.filter(pl.col("article_id").is_in(batch["article_id"])))
            total += spent
            say(f"  batch {k // BATCH + 1}: {batch.height} articles, dedup {spent:.2f} s "
                f"({1000 * spent / batch.height:.2f} ms/article)")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("near_duplicates", "stories", "story_merges")}
        counts["wire_credited"] = con.execute(
            "SELECT count(*) FROM article_signatures WHERE wire_agency IS NOT NULL").fetchone()[0]
        con.close()
    out = {"articles": arts.height, "words": words, "dedup_s": total,
           "ms_per_article": 1000 * total / max(arts.height, 1), **counts}
    out["cpu_s"] = sum(CPU[-(k // BATCH + 1):])
    say(f"dedup over {arts.height} articles ({words:,} words): {total:.2f} s wall, {out['cpu_s']:.2f} s CPU = "
        f"{out['ms_per_article']:.2f} ms/article; {counts}")
    return out


def scaling(eval_dir: Path, levels: list[int], repeat: int = 3, say=print) -> list[dict]:
    """A steady feed: Reuters items, PER_DAY a day, fill one warehouse; at each level a copy of
    it takes the same PROBE held-out items dated the next day, timed (then the copy is gone)."""
    from presswatch.evaluation.dedup import reuters_items, reuters_raw  # the eval's reader of the set

    items = reuters_items(reuters_raw(eval_dir))
    probe_items, pool = items[-PROBE:], items[:-PROBE]
    # past the set's 18,5xx other items the feed starts over: ~74 days later, out of every window
    fill_items = [pool[i % len(pool)] for i in range(max(levels))]
    start = datetime(2026, 1, 1)

    def frame(its, first: int, day0: int) -> pl.DataFrame:
        return pl.DataFrame([{"article_id": f"{first + i:016x}", "title": it.title,
                              "published_at": (start + timedelta(days=day0 + (first + i) // PER_DAY)).date(),
                              "source": "Reuters", "body": it.body, "word_count": len(it.body.split()),
                              "ingested_at": start + timedelta(seconds=first + i), "authors": None}
                             for i, it in enumerate(its)])

    empty = pl.DataFrame(schema={"article_id": pl.String, "entity_id": pl.String})
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        main_db, probe_db = Path(tmp) / "scaling.duckdb", Path(tmp) / "probe.duckdb"
        con, have = _fresh(main_db), 0
        for level in levels:
            while have < level:
                n = min(BATCH, level - have)
                _timed_batch(con, frame(fill_items[have:have + n], have, 0), empty)
                have += n
            con.execute("CHECKPOINT")
            con.close()
            probe = frame(probe_items, 10_000_000, (have - 1) // PER_DAY + 1 - 10_000_000 // PER_DAY)
            times = []
            for _ in range(repeat):  # on a shared machine one timing swings; the median less
                shutil.copy(main_db, probe_db)
                pcon = duckdb.connect(str(probe_db))
                times.append(_timed_batch(pcon, probe, empty))
                pcon.close()
                probe_db.unlink()
            con = duckdb.connect(str(main_db))
            spent = statistics.median(times)
            out.append({"level": level, "articles": PROBE, "dedup_s": spent, "ms_per_article": 1000 * spent / PROBE,
                        "all_s": times})
            say(f"  warehouse of {level:>6} articles: probe of {PROBE} in {spent:.2f} s (median of "
                f"{', '.join(f'{t:.2f}' for t in times)}) = {out[-1]['ms_per_article']:.2f} ms/article")
        con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m warehouse.dedup_cost", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    b = sub.add_parser("bbc", help="replay a loaded warehouse's articles through dedup.update")
    b.add_argument("warehouse", type=Path)
    s = sub.add_parser("scaling", help="cost per article as one warehouse fills with Reuters items")
    s.add_argument("--levels", default="1000,5000,20000")
    s.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    s.add_argument("--repeat", type=int, default=3, help="probe timings per level (the median is printed)")
    args = p.parse_args(argv)
    if args.what == "bbc":
        replay(args.warehouse)
    else:
        scaling(args.eval_dir, sorted(int(x) for x in args.levels.split(",")), repeat=args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
