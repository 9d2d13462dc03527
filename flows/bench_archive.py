"""`presswatch bench --archive 100000,1000000`: do the views and a watch-mode run stay as fast
on a year of news as on the BBC warehouse?

For each size an archive is synthesized in SQL from a BBC warehouse (issue 18): its articles
copied with new ids, in ingest order over a year (day i of 365 holds the i-th slice, as a year
of news arrives), 10% of the mentions remapped to long-tail entities (one per two articles of
the archive, labels kept), every child row copied, one ledger row per article, the search
index copied from the source's (flows/bench_archive_index.py); then the aggregates are rebuilt
from those base tables (`warehouse.aggregates.rebuild_aggregates`).

On each archive, in a child process (its peak RSS is the figure): every view in the warehouse
and every digest query, each probe cold (the first run on a fresh connection) and warm (median
of the next `repeat` runs). Then a watch-mode run of 10 new files (after one warm-up run of 10
others, so the NLP workers are up), stage by stage, against the same on the BBC warehouse; and
a second one whose 10 files each have COPIES near-duplicates loaded by the run before it (wire
copies: the dedup step fetches and compares the earlier copies).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from presswatch.config import default

LONG_TAIL_SHARE = 10  # one mention in LONG_TAIL_SHARE is remapped to a long-tail entity
CHUNK = 50_000  # articles synthesized per statement (bounds memory; keeps day order)
PROBE_FILES = 10
# The second timed run's files each have this many earlier copies (loaded by a run before it): 60
# near-duplicate candidates, past the 50 keys up to which DuckDB pushes a join's keys into the scan
# (session 38: the candidates' bodies were then read by a scan of every body, 2.3 s at 1M).
COPIES = 6
SLOW_S = 5.0  # a probe whose cold run takes longer is run warm once, not `repeat` times
WATCH_STAGES = ("discover", "read", "spacy", "extract", "sentiment", "load", "entities", "report", "checkpoint")
LOAD_PARTS = ("aggregates", "dedup")  # clocks inside the load stage
# Per-article rows copied with the new article id (entity_stance feeds entity_article_sentiment,
# the signatures and places the copies, stories and country views: without them those views
# would be timed on empty tables).
_CHILD_TABLES = ("quotes", "amounts", "sentences", "date_mentions", "article_themes", "entity_stance",
                 "mention_refs", "article_signatures", "article_focus", "article_places")


# ---------------------------------------------------------------------------------------
# synthesis


def synthesize(source: Path, dest: Path, articles: int, say=print) -> dict:
    """Write an archive of `articles` articles at dest from the warehouse at source (read only)."""
    from flows.bench_archive_index import empty_search_index, synthesize_search_index
    from warehouse.aggregates import rebuild_aggregates
    from warehouse.db import migrate, open_db

    dest.unlink(missing_ok=True)
    t0 = time.perf_counter()
    # The base tables as a warehouse's writers write them (their format, 16k-row groups), the
    # aggregates as `presswatch aggregates rebuild` does (below; docs/performance.md, session 41).
    con = open_db(dest)
    try:
        # Rows without an ORDER BY may go in any order (parallel inserts); those with one keep it.
        con.execute("SET preserve_insertion_order = false")
        migrate(con)
        empty_search_index(con)
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        n_src = con.execute("SELECT count(*) FROM src.articles").fetchone()[0]
        copies = -(-articles // n_src)
        # seq orders the copies; day = seq's slice of the year; ids fresh per (article, copy).
        con.execute(f"""
            CREATE TEMP TABLE amap AS
            SELECT src_id, copy, seq, substr(md5(src_id || ':' || copy), 1, 16) AS article_id,
                   DATE '2025-01-01' + CAST(floor(seq * 365 / {articles}) AS INTEGER) AS day,
                   TIMESTAMP '2025-01-01' + to_microseconds(CAST(floor(seq * 365 * 86400e6 / {articles}) AS BIGINT))
                       AS ingested_at
            FROM (SELECT a.article_id AS src_id, c.copy,
                         row_number() OVER (ORDER BY c.copy, a.article_id) - 1 AS seq
                  FROM src.articles a CROSS JOIN range({copies}) c(copy))
            WHERE seq < {articles}""")
        tail = max(1, articles // 2)
        for lo in range(0, articles, CHUNK):
            hi = min(lo + CHUNK, articles)
            _synthesize_chunk(con, lo, hi, tail)
            say(f"  synthesized {hi:,} / {articles:,} articles ({time.perf_counter() - t0:.0f} s)")
        _synthesize_stories(con)
        con.execute("""
            INSERT INTO entities BY NAME
            SELECT * FROM src.entities
            UNION ALL
            SELECT DISTINCT m.entity_id, m.surface, m.label
            FROM mentions m WHERE m.surface LIKE 'Long tail %'
            ON CONFLICT DO NOTHING""")
        con.execute("""
            INSERT INTO pipeline_runs BY NAME
            SELECT 'synthetic-' || day AS flow_run_id, 'ingest' AS flow_name, min(ingested_at) AS started_at,
                   max(ingested_at) AS finished_at, count(*) AS files_seen, 0 AS files_skipped,
                   count(*) AS files_loaded, 0 AS files_duplicate, 0 AS files_quarantined,
                   count(*) AS articles_loaded, 'synthetic' AS pipeline_version
            FROM amap GROUP BY day""")
        t_index = time.perf_counter()
        say(f"  copying the search index ({t_index - t0:.0f} s so far)")
        index_terms = synthesize_search_index(con)
        index_s = time.perf_counter() - t_index
        con.execute("DETACH src")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    synth_s = time.perf_counter() - t0
    say(f"  rebuilding the aggregates ({synth_s:.0f} s so far)")
    t1 = time.perf_counter()
    # as `presswatch aggregates rebuild` does: whole tables in DuckDB's default row groups
    con = open_db(dest, whole_tables=True)
    try:
        rows = rebuild_aggregates(con)
        con.execute("CHECKPOINT")
        rebuild_s = time.perf_counter() - t1
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "mentions", "entities", "sentences", "quotes", "ingest_log",
                            "entity_stance", "stories", "near_duplicates")}
    finally:
        con.close()
    return {"articles": articles, "rows": {**counts, **rows, "search_terms": index_terms},
            "synthesize_s": synth_s, "search_index_s": index_s,
            "rebuild_aggregates_s": rebuild_s, "mb": dest.stat().st_size / 2**20}


def _synthesize_chunk(con, lo: int, hi: int, tail: int) -> None:
    """Articles seq lo..hi-1 with their mentions, child rows and ledger rows."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE chunk AS SELECT * FROM amap WHERE seq >= {lo} AND seq < {hi}")
    con.execute("""
        INSERT INTO articles BY NAME
        SELECT a.* REPLACE (c.article_id AS article_id, c.day AS published_at, c.ingested_at AS ingested_at,
                            '/archive/' || c.article_id || '.txt' AS source_path,
                            sha256(c.article_id) AS file_sha256, NULL AS previous_version,
                            'synthetic-' || c.day AS flow_run_id)
        FROM chunk c JOIN src.articles a ON a.article_id = c.src_id
        ORDER BY c.seq""")
    # A mention's long-tail entity: fixed by (article, position), so reruns give the same archive.
    # Its id follows presswatch.load.entity_id (sha256 of label|name, 16 hex): an id of another
    # form made `presswatch entities rebuild` alias every long-tail entity to its own name's id
    # (1.28M "same name" aliases at 1M, a cost no real archive has).
    con.execute(f"""
        INSERT INTO mentions BY NAME
        SELECT * EXCLUDE (new_id, h, tail_label, tail_name) REPLACE (
                   new_id AS article_id,
                   CASE WHEN h % {LONG_TAIL_SHARE} = 0 THEN substr(sha256(tail_label || '|' || tail_name), 1, 16)
                        ELSE entity_id END AS entity_id,
                   CASE WHEN h % {LONG_TAIL_SHARE} = 0 THEN tail_name ELSE surface END AS surface,
                   CASE WHEN h % {LONG_TAIL_SHARE} = 0 THEN tail_label ELSE label END AS label,
                   CASE WHEN h % {LONG_TAIL_SHARE} = 0 THEN tail_label ELSE ner_label END AS ner_label)
        FROM (SELECT *, 'Long tail ' || tail_label || ' f' || substr(md5(tail_label || ':'
                                  || (h // {LONG_TAIL_SHARE}) % {tail}), 2, 7) AS tail_name
              FROM (SELECT m.*, c.article_id AS new_id, hash(c.article_id, m.start_char, m.entity_id) AS h,
                           coalesce(m.label, 'MISC') AS tail_label
                    FROM chunk c JOIN src.mentions m ON m.article_id = c.src_id))""")
    for table in _CHILD_TABLES:
        con.execute(f"""
            INSERT INTO {table} BY NAME
            SELECT t.* REPLACE (c.article_id AS article_id)
            FROM chunk c JOIN src.{table} t ON t.article_id = c.src_id""")
    _synthesize_story_rows(con)
    con.execute("""
        INSERT INTO ingest_log BY NAME
        SELECT sha256(c.article_id) AS file_sha256, '/archive/' || c.article_id || '.txt' AS source_path,
               'loaded' AS status, c.article_id, 1 AS article_count, length(a.body) AS file_size,
               'synthetic-' || c.day AS flow_run_id, c.ingested_at AS seen_at,
               epoch_ns(c.ingested_at) AS file_mtime_ns, 0 AS duplicate_records, 0 AS known_records, 1 AS records_found
        FROM chunk c JOIN src.articles a ON a.article_id = c.src_id""")


# Each copy of the source is its own set of stories: a story id is made new per copy, as are the
# MinHash band keys of every copy but the first (so the watch run's probe files, BBC texts, find
# one near-duplicate in the archive, as they do in the BBC warehouse, not one per copy).
def _story_id(column: str) -> str:
    """The SQL for a story id of the source made new in copy `c.copy`."""
    return f"'s' || substr(md5({column} || ':' || c.copy), 1, 16)"


def _synthesize_story_rows(con) -> None:
    """The chunk's article_stories, minhash_bands and story_terms rows, on the articles' new days."""
    con.execute(f"""
        INSERT INTO article_stories BY NAME
        SELECT c.article_id, {_story_id("t.story_id")} AS story_id, c.day,
               CAST(c.day AS VARCHAR) || '|' || strftime(c.ingested_at, '%Y-%m-%dT%H:%M:%S.%f') || '|'
                   || c.article_id AS ordinal
        FROM chunk c JOIN src.article_stories t ON t.article_id = c.src_id""")
    con.execute("""
        INSERT INTO minhash_bands BY NAME
        SELECT CASE WHEN c.copy = 0 THEN t.band_key ELSE CAST(hash(t.band_key, c.copy) >> 1 AS BIGINT) END
                   AS band_key, c.article_id, c.day, t.scheme
        FROM chunk c JOIN src.minhash_bands t ON t.article_id = c.src_id""")
    con.execute("""
        INSERT INTO story_terms BY NAME
        SELECT t.term, c.article_id, c.day
        FROM chunk c JOIN src.story_terms t ON t.article_id = c.src_id""")


def _synthesize_stories(con) -> None:
    """After every chunk: the stories of each copy (first and last seen from its articles' new
    days), their merges, and the near-duplicate pairs inside each copy."""
    con.execute(f"""
        INSERT INTO stories BY NAME
        WITH copied AS (
            SELECT t.* REPLACE ({_story_id("t.merged_into")} AS merged_into), {_story_id("t.story_id")} AS new_id
            FROM src.stories t CROSS JOIN (SELECT DISTINCT copy FROM amap) c
        ),
        seen AS (SELECT story_id, min(day) AS first_seen, max(day) AS last_seen FROM article_stories GROUP BY 1)
        SELECT t.* EXCLUDE (new_id) REPLACE (t.new_id AS story_id, s.first_seen AS first_seen, s.last_seen AS last_seen)
        FROM copied t JOIN seen s ON s.story_id = t.new_id""")
    con.execute(f"""
        INSERT INTO story_merges BY NAME
        SELECT {_story_id("t.story_id")} AS story_id, {_story_id("t.merged_into")} AS merged_into, t.merged_at
        FROM src.story_merges t CROSS JOIN (SELECT DISTINCT copy FROM amap) c
        WHERE {_story_id("t.story_id")} IN (SELECT story_id FROM stories)""")
    con.execute("""
        INSERT INTO near_duplicates BY NAME
        SELECT a.article_id, o.article_id AS other_id, n.jaccard, n.containment
        FROM src.near_duplicates n
        JOIN amap a ON a.src_id = n.article_id
        JOIN amap o ON o.src_id = n.other_id AND o.copy = a.copy""")


# ---------------------------------------------------------------------------------------
# timing the views and digest queries (in a child process: its peak RSS is the figure)


def probes(con, only: list[str] | None = None) -> dict[str, str]:
    """name -> SQL: for each view in the warehouse (or those named in `only`), what an analyst
    asks of it (a day, an entity, the top rows, everything counted); each digest query and the
    report's top entities."""
    from warehouse.db import QUERIES

    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY 1").fetchall()
        if only is None or r[0] in only]
    out: dict[str, str] = {}
    for view in views:
        cols = {r[0] for r in con.execute(f'DESCRIBE "{view}"').fetchall()}
        if "day" in cols:
            out[f"{view}: one day"] = f'SELECT * FROM "{view}" WHERE day = $day'
        if "name" in cols:
            out[f"{view}: one entity"] = f'SELECT * FROM "{view}" WHERE name = $name'
        if {"name_a", "name_b"} <= cols:
            out[f"{view}: one entity"] = f'SELECT * FROM "{view}" WHERE name_a = $name OR name_b = $name'
        order = " ORDER BY articles DESC" if view == "cooccurrence" else ""
        out[f"{view}: top 20"] = f'SELECT * FROM "{view}"{order} LIMIT 20'
        out[f"{view}: count"] = f'SELECT count(*) FROM "{view}"'
    for path in sorted((QUERIES / "digest").glob("*.sql")):
        out[f"digest {path.stem}"] = path.read_text()
    out["report top_entities"] = (QUERIES / "top_entities.sql").read_text()
    return out


def time_queries(warehouse: Path, repeat: int = 5, say=print, only: list[str] | None = None) -> dict:
    """Each probe: cold (first run on a fresh connection) and warm (median of `repeat`), rows,
    and this process's peak RSS after it."""
    from warehouse.db import open_db

    con = open_db(warehouse, read_only=True)
    try:
        day, ingest_day = con.execute("SELECT max(day), max(ingest_day) FROM stg_articles").fetchone()
        name = con.execute("SELECT e.name FROM mentions m JOIN entities e USING (entity_id) "
                           "WHERE e.label = 'PERSON' GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
        params_all = {"day": day, "name": name[0] if name else "", "limit": 10}
        sqls = probes(con, only)
    finally:
        con.close()
    out: dict = {"day": str(day), "ingest_day": str(ingest_day), "name": params_all["name"], "probes": {}}
    for label, sql in sqls.items():
        params = {k: v for k, v in params_all.items() if f"${k}" in sql}
        if label.startswith("digest"):
            params["day"] = ingest_day
            params = {k: v for k, v in params.items() if f"${k}" in sql}
        con = open_db(warehouse, read_only=True)  # cold: DuckDB's buffers empty
        try:
            t = time.perf_counter()
            rows = len(con.execute(sql, params).fetchall())
            cold = time.perf_counter() - t
            warm = []
            # A probe far over the goal is not run `repeat` more times (its cold figure stands).
            for _ in range(repeat if cold < SLOW_S else 1):
                t = time.perf_counter()
                con.execute(sql, params).fetchall()
                warm.append(time.perf_counter() - t)
        finally:
            con.close()
        out["probes"][label] = {"cold_ms": 1000 * cold, "warm_ms": 1000 * statistics.median(warm),
                                "rows": rows, "peak_rss_mb": _peak_rss_mb()}
        say(f"  {label:<50} warm {1000 * statistics.median(warm):9.1f} ms  cold {1000 * cold:9.1f} ms")
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------------------------------
# the watch-mode run of 10 new files


def write_probe_files(corpus: Path, dest: Path, start: int, tag: str, n: int = PROBE_FILES) -> None:
    """n BBC files (start..start+n-1 in name order), each with a line that makes it a new
    article: the same texts at every archive size. `tag` (the bench's start time) keeps them new
    to a source warehouse that loaded an earlier bench's probe files: the ledger would skip those
    (session 33's 1M watch run loaded nothing on its base)."""
    files = sorted(p for p in corpus.rglob("*.txt"))
    dest.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(files[start:start + n], start):
        text = p.read_text(encoding="utf-8", errors="replace")
        (dest / f"probe{i:04d}.txt").write_text(text + f"\n\nArchive bench probe {i} ({tag}).\n", encoding="utf-8")


def write_copy_files(corpus: Path, dest: Path, start: int, tag: str, copies: int = COPIES) -> None:
    """`copies` sets of the probe files start.., each set in its own folder with its own tag line:
    new articles that are near-duplicates of one another (wire copies, as a feed brings them)."""
    for k in range(copies):
        write_probe_files(corpus, dest / f"copy{k}", start, f"{tag}, copy {k}")


def watch_run(warehouse: Path, corpus: Path, tmp: Path, opts: "ArchiveOptions", tag: str) -> dict:
    """A warm-up run of 10 new files, then the timed run of 10 others, on `warehouse`; then a run
    loading COPIES copies of 10 more, and the timed run of those 10 again ("copies": each file
    meets COPIES near-duplicates loaded before it)."""
    from flows.bench import _child

    warm, probe = tmp / "watch-warm", tmp / "watch-probe"
    copies_warm, copies = tmp / "watch-copies-warm", tmp / "watch-copies"
    for d in (warm, probe, copies_warm, copies):
        shutil.rmtree(d, ignore_errors=True)
    write_probe_files(corpus, warm, 0, tag)
    write_probe_files(corpus, probe, PROBE_FILES, tag)
    write_copy_files(corpus, copies_warm, 2 * PROBE_FILES, tag)
    write_probe_files(corpus, copies, 2 * PROBE_FILES, f"{tag}, the copies run")
    spec = {"model": opts.model, "workers": opts.workers, "batch_size": opts.batch_size,
            "sentiment_method": opts.sentiment_method, "max_file_bytes": opts.max_file_bytes,
            "runs": [{"drop": str(warm), "warehouse": str(warehouse), "label": "warm-up"},
                     {"drop": str(probe), "warehouse": str(warehouse), "label": "probe"},
                     {"drop": str(copies_warm), "warehouse": str(warehouse), "label": "copies warm-up"},
                     {"drop": str(copies), "warehouse": str(warehouse), "label": "copies"}]}
    out, mem = _child("e2e", spec, tmp)
    runs = {r["label"]: r for r in out["runs"]}
    return {**_watch_figures(runs["probe"]), "copies": _watch_figures(runs["copies"]),
            "peak_rss_mb": mem["rss_tree_mb"]}


def _watch_figures(run: dict) -> dict:
    stages = {k: run["stages"].get(k, {}).get("wall_s", 0.0) for k in (*WATCH_STAGES, *LOAD_PARTS)}
    return {"wall_s": run["wall_s"], "articles_loaded": run["articles_loaded"], "stages": stages}


# ---------------------------------------------------------------------------------------
# the whole benchmark


@dataclass
class ArchiveOptions:
    sizes: list[int]
    source: Path | None = None  # a BBC warehouse; None: `presswatch run` over the BBC corpus first
    repeat: int = 5
    model: str = default("model")
    workers: int = 2
    batch_size: int = default("batch_size")
    sentiment_method: str = default("sentiment_method")
    max_file_bytes: int = default("max_file_bytes")
    eval_dir: Path = default("eval_dir")
    workdir: Path | None = None
    keep: bool = False
    watch: bool = True
    views: list[str] | None = None  # the views to time (default: every view in the warehouse)


def run_archive_bench(opts: ArchiveOptions, say=print) -> dict:
    from flows.bench import BBC, machine
    from warehouse.db import copy_warehouse

    tmp = Path(opts.workdir or tempfile.mkdtemp(prefix="presswatch-archive-"))
    tmp.mkdir(parents=True, exist_ok=True)
    corpus = opts.eval_dir / BBC
    if not corpus.is_dir():
        raise FileNotFoundError(f"BBC corpus not found at {corpus} (set PRESSWATCH_EVAL_DIR)")
    report: dict = {"machine": machine(), "started": datetime.now().isoformat(timespec="seconds"),
                    "load_before": os.getloadavg(), "sizes": {}}
    try:
        source = opts.source or _ingest_bbc(corpus, tmp, opts, say)
        base = tmp / "base.duckdb"
        copy_warehouse(source, base)  # with its WAL, if the source run left one
        _migrate(base)
        levels = [("base", base, None)] + [(str(n), tmp / f"archive-{n}.duckdb", n) for n in opts.sizes]
        for label, path, n in levels:
            fig: dict = {}
            if n is not None:
                say(f"bench: synthesizing {n:,} articles from {source}")
                fig["synthesis"] = _in_child("synthesize", {"source": str(source), "dest": str(path),
                                                            "articles": n}, tmp)
            say(f"bench: timing views and digest queries on {label}")
            fig["queries"] = _in_child("time", {"warehouse": str(path), "repeat": opts.repeat,
                                                "views": opts.views}, tmp)
            fig["mb"] = path.stat().st_size / 2**20
            if opts.watch:
                say(f"bench: a watch-mode run of {PROBE_FILES} new files on {label}")
                fig["watch"] = watch_run(path, corpus, tmp, opts, report["started"])
            fig["articles"] = _count(path)
            report["sizes"][label] = fig
            if n is not None and not opts.keep:
                path.unlink(missing_ok=True)
                Path(str(path) + ".wal").unlink(missing_ok=True)
    finally:
        report["load_after"] = os.getloadavg()
        if opts.workdir is None and not opts.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return report


def _ingest_bbc(corpus: Path, tmp: Path, opts: ArchiveOptions, say) -> Path:
    drop, wh = tmp / "bbc-corpus", tmp / "bbc.duckdb"
    shutil.rmtree(drop, ignore_errors=True)
    shutil.copytree(corpus, drop)
    say(f"bench: ingesting the BBC corpus into {wh} (about 4 minutes)")
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    subprocess.run([sys.executable, "-m", "presswatch.cli", "run", str(drop), "--warehouse", str(wh),
                    "--model", opts.model], check=True, env=env, capture_output=True,
                   cwd=Path(__file__).resolve().parents[1])
    return wh


def _migrate(path: Path) -> None:
    from warehouse.db import writer

    with writer(path):
        pass


def _count(path: Path) -> int:
    from warehouse.db import open_db

    con = open_db(path, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def _in_child(what: str, spec: dict, tmp: Path) -> dict:
    """Run synthesize or time in a child process (fresh memory, its own peak RSS)."""
    spec_path, out_path = tmp / f"archive-{what}-spec.json", tmp / f"archive-{what}-out.json"
    spec_path.write_text(json.dumps(spec))
    proc = subprocess.run([sys.executable, "-m", "flows.bench_archive", what, str(spec_path), str(out_path)],
                          cwd=Path(__file__).resolve().parents[1])  # its progress lines go to our stderr
    if proc.returncode != 0:
        raise RuntimeError(f"archive bench step {what} failed (exit {proc.returncode}); see above")
    return json.loads(out_path.read_text())


# ---------------------------------------------------------------------------------------
# the table


def render(report: dict) -> str:
    m = report["machine"]
    sizes = report["sizes"]
    labels = list(sizes)
    lines = [f"presswatch bench --archive  {report['started']}  {m['cpu']}, {m['cpus']} CPUs, {m['memory_gb']} GB",
             f"load average before {_fmt(report['load_before'])}, after {_fmt(report['load_after'])}", ""]
    head = "".join(f"{format(sizes[k]['articles'], ',') + ' art.':>22}" for k in labels)
    lines.append(f"{'':44}{head}")
    lines.append(f"{'warehouse MB':44}" + "".join(f"{sizes[k]['mb']:>22,.0f}" for k in labels))
    for k in labels:
        syn = sizes[k].get("synthesis")
        if syn:
            lines.append(f"  {k}: synthesized in {syn['synthesize_s']:.0f} s (of which the search index "
                         f"{syn.get('search_index_s', 0):.0f} s), aggregates rebuilt in "
                         f"{syn['rebuild_aggregates_s']:.0f} s; rows {syn['rows']}")
    lines.append("")
    lines.append(f"{'query (ms: warm median / cold)':44}" + "".join(f"{'warm / cold':>22}" for _ in labels))
    names = list(dict.fromkeys(n for k in labels for n in sizes[k]["queries"]["probes"]))
    for name in names:
        cells = []
        for k in labels:
            p = sizes[k]["queries"]["probes"].get(name)
            cells.append(f"{p['warm_ms']:>10.0f} / {p['cold_ms']:<9.0f}" if p else f"{'-':>22}")
        lines.append(f"{name[:44]:44}" + "".join(f"{c:>22}" for c in cells))
    lines.append(f"{'peak RSS MB (query process)':44}" + "".join(
        f"{sizes[k]['queries']['peak_rss_mb']:>22,.0f}" for k in labels))
    if all("watch" in sizes[k] for k in labels):
        lines += _watch_table({k: sizes[k]["watch"] for k in labels},
                              f"watch-mode run of {PROBE_FILES} new files")
        if all("copies" in sizes[k]["watch"] for k in labels):
            lines += _watch_table({k: sizes[k]["watch"]["copies"] for k in labels},
                                  f"watch-mode run of {PROBE_FILES} new files with {COPIES} earlier copies each")
    return "\n".join(lines)


def _watch_table(runs: dict[str, dict], title: str) -> list[str]:
    """One timed run per archive size, stage by stage, with its ratio to the first (the base)."""
    labels = list(runs)
    lines = ["", f"{title} (wall s per stage; ratio to the base)"]
    order = [n for st in WATCH_STAGES for n in ((st, *LOAD_PARTS) if st == "load" else (st,))]
    for st in (*order, "wall"):
        cells = []
        base = _stage(runs[labels[0]], st)
        for k in labels:
            v = _stage(runs[k], st)
            cells.append(f"{v:>10.3f} ({v / base:.2f}x)" if base else f"{v:>10.3f}")
        name = f"  of which {st}" if st in LOAD_PARTS else st
        lines.append(f"{name:44}" + "".join(f"{c:>22}" for c in cells))
    short = [k for k in labels if runs[k]["articles_loaded"] != PROBE_FILES]
    if short:  # a run that skipped files did less work: its stages compare with nothing
        lines.append(f"NOT COMPARABLE: the timed run loaded other than {PROBE_FILES} articles on "
                     + ", ".join(f"{k} ({runs[k]['articles_loaded']})" for k in short))
    return lines


def _stage(watch: dict, name: str) -> float:
    return watch["wall_s"] if name == "wall" else watch["stages"].get(name, 0.0)


def _fmt(load) -> str:
    return "/".join(f"{x:.2f}" for x in load)


def main(argv: list[str]) -> int:
    what, spec_path, out_path = argv
    spec = json.loads(Path(spec_path).read_text())
    if what == "synthesize":
        result = synthesize(Path(spec["source"]), Path(spec["dest"]), spec["articles"],
                            say=lambda line: print(line, file=sys.stderr, flush=True))
    else:
        result = time_queries(Path(spec["warehouse"]), spec["repeat"],
                              say=lambda line: print(line, file=sys.stderr, flush=True), only=spec.get("views"))
    Path(out_path).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
