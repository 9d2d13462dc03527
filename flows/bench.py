"""`presswatch bench`: what presswatch costs on top of spaCy alone, and whether it stays flat.

One benchmark run = (a) raw `nlp.pipe` over the texts presswatch would parse, with exactly the
spaCy components presswatch uses and the same number of processes, and (b) the full ingest
flow (`presswatch run`) over the same folder into a fresh warehouse, then a second run over the
unchanged folder. Each side runs in its own child process (same process tree, same run), so
the peak memory of each is measured apart: PSS summed over the child and all its descendants
(NLP workers, the Prefect server), sampled every 0.5 s; summed RSS is kept beside it.

Like with like: both sides handle the same unique texts. presswatch reads every file, but an
exact copy of an article is not parsed again (extract/workers.py); side (a) gets the unique bodies
presswatch's readers produce, in English (what presswatch sends to spaCy). Words are
`len(body.split())` over those unique bodies, on both sides.

Stage seconds are busy seconds (wall inside the stage, summed over batches, threads and NLP
worker processes), with their CPU seconds: stages overlap (batch N+1's NLP runs while batch N
is scored and loaded), so they add up to more than the wall time. Prefect overhead is what
is not stage work: the temporary server's start, the flow run around its body, and the task
runs (their count times the cost of an empty task measured in the same process).

Scaling: one warehouse filled with Reuters items (repeated with fresh ids past 19k); at each
level a probe run of new files is timed, so the cost per article is compared at equal run size.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from presswatch.config import default

# dedup runs inside load; entities is the end-of-run rebuild of a run that grew the archive
STAGES = ("discover", "read", "spacy", "extract", "sentiment", "load", "dedup", "entities", "report")
BBC = "bbc_news/bbc"
REUTERS = "reuters21578/reuters21578_docs.jsonl"


# ---------------------------------------------------------------------------------------
# corpora (written to a temp dir: never into the repository)


@dataclass
class Corpus:
    name: str
    path: Path
    files: int


def make_corpus(kind: str, dest: Path, *, eval_dir: Path, limit: int | None = None) -> Corpus:
    """bbc | reuters | a folder path. bbc and reuters are written under dest; a folder is
    copied there too (so the run never touches it)."""
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "bbc":
        src = eval_dir / BBC
        if not src.is_dir():
            raise FileNotFoundError(f"BBC corpus not found at {src} (set PRESSWATCH_EVAL_DIR)")
        return Corpus("bbc", dest, _copy_tree(src, dest, limit, suffixes=(".txt",)))
    if kind == "reuters":
        return Corpus("reuters", dest, write_reuters(eval_dir, dest, 0, limit or 10**9))
    src = Path(kind)
    if not src.is_dir():
        raise FileNotFoundError(f"corpus {kind!r}: expected bbc, reuters or a folder")
    return Corpus(src.name, dest, _copy_tree(src, dest, limit))


def _copy_tree(src: Path, dest: Path, limit: int | None, suffixes: tuple[str, ...] = ()) -> int:
    files = sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith(".")
                   and (not suffixes or p.suffix in suffixes))
    for p in files[:limit]:
        out = dest / p.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, out)
    return len(files[:limit])


def reuters_items(eval_dir: Path) -> list[dict]:
    path = eval_dir / REUTERS
    if not path.is_file():
        raise FileNotFoundError(f"Reuters corpus not found at {path} (set PRESSWATCH_EVAL_DIR)")
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if (rec.get("body") or "").strip():
                items.append(rec)
    return items


_REUTERS_CACHE: dict[Path, list[dict]] = {}


def write_reuters(eval_dir: Path, dest: Path, start: int, stop: int, copy_of: int | None = None) -> int:
    """Files start..stop-1 of the endless Reuters stream: item i % n, and from the second
    round on a body with a line that makes it a new article (a fresh article_id).

    copy_of: file i holds item copy_of + (i - start) instead, with a line naming i that makes
    it a new article: the scaling probes at every level parse the same texts."""
    items = _REUTERS_CACHE.get(eval_dir) or _REUTERS_CACHE.setdefault(eval_dir, reuters_items(eval_dir))
    if stop >= 10**9:
        stop = len(items)
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(start, stop):
        rec = items[(i if copy_of is None else copy_of + i - start) % len(items)]
        body = rec["body"].strip()
        if copy_of is not None:
            body += f"\n\nProbe copy {i:06d} of item {rec.get('newid')} for the benchmark."
        elif i >= len(items):
            body += f"\n\nRepeat {i // len(items)} of item {rec.get('newid')} for the benchmark."
        doc = {"title": (rec.get("title") or "").strip() or None, "body": body,
               "published_at": _reuters_date(rec.get("date")), "source": "Reuters"}
        (dest / f"r{i:06d}.json").write_text(json.dumps(doc), encoding="utf-8")
    return stop - start


def _reuters_date(raw: str | None) -> str | None:
    try:
        return datetime.strptime((raw or "").strip()[:20], "%d-%b-%Y %H:%M:%S").date().isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# the two sides, each in a child process (`python -m flows.bench SIDE SPEC`)


def nlp_texts(drop: Path) -> tuple[list[str], int]:
    """The unique English bodies presswatch would parse, and how many articles were read."""
    from presswatch.read.formats import read_file
    from presswatch.records import ArticleError
    from presswatch.extract.workers import MAX_NLP_CHARS, NLP_LANGUAGES

    seen: dict[str, None] = {}
    n = 0
    for path in sorted(p for p in Path(drop).rglob("*") if p.is_file()):
        try:
            articles = read_file(path).articles
        except ArticleError:
            continue
        for a in articles:
            n += 1
            if a.language in NLP_LANGUAGES and len(a.body) <= MAX_NLP_CHARS:
                seen.setdefault(a.body, None)
    return list(seen), n


def raw_side(spec: dict) -> dict:
    """Side (a): spaCy alone over the unique texts, as presswatch loads it (same components,
    same processes), without presswatch's own NER-fix component."""
    import spacy

    from presswatch.extract.pipeline import EXCLUDED

    texts, _ = nlp_texts(Path(spec["drop"]))
    nlp = spacy.load(spec["model"], exclude=list(EXCLUDED))
    nlp("Warm up the pipeline.")
    workers = spec["workers"]
    seconds, cpu = [], []
    for _ in range(spec["repeat"]):
        t, c = time.perf_counter(), _cpu_now()
        for _doc in nlp.pipe(texts, batch_size=64, n_process=max(1, workers)):
            pass
        seconds.append(time.perf_counter() - t)
        cpu.append(_cpu_delta(c, _cpu_now()))  # spaCy's worker processes are joined by now
    return {"components": nlp.pipe_names, "texts": len(texts),
            "words": sum(len(t.split()) for t in texts), "seconds": seconds, "cpu": cpu}


def _cpu_now() -> tuple[float, float]:
    """(CPU seconds of this process, of its finished and waited-for children)."""
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def _cpu_delta(before: tuple[float, float], after: tuple[float, float]) -> dict:
    return {"main_s": after[0] - before[0], "workers_s": after[1] - before[1]}


def _tree_cpu(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _server_pids() -> list[int]:
    import psutil

    out = []
    for k in psutil.Process().children(recursive=True):
        try:
            if "uvicorn" in " ".join(k.cmdline()):
                out.append(k.pid)
        except psutil.Error:
            pass
    return out


def e2e_side(spec: dict) -> dict:
    """Side (b): the ingest flow as `presswatch run` calls it, into a fresh warehouse, then
    again over the unchanged folder."""
    from presswatch import timing
    from presswatch.extract import workers as runner
    from presswatch.warmup import warm_up

    # As `presswatch run` does: the NLP fork server loads the model, and this process the
    # language identifier, while Prefect starts. Like (a)'s spacy.load, these loads are outside
    # the clock; the fork server's CPU is printed apart.
    # On Dask too: the LocalCluster's workers fork from this fork server (flows/executors.py).
    preloading = warm_up(spec["model"], spec["workers"], 10**6, start_workers=False)
    t = time.perf_counter()
    _prefect_ready()
    startup = time.perf_counter() - t
    from flows.ingest import IngestParams, ingest, one_shot_settings

    out: dict = {"prefect_startup_s": startup, "runs": [],
                 "preload_cpu_s": _tree_cpu([runner.fork_server_pid()]) if preloading else 0.0}
    runs = spec.get("runs") or [{"drop": spec["drop"], "warehouse": spec["warehouse"]}]
    try:
        for run in runs:
            if run.get("write"):
                write_reuters(Path(spec["eval_dir"]), Path(run["drop"]), *run["write"],
                              copy_of=run.get("copy_of"))
            for attempt in range(run.get("times", 1)):
                timing.reset()
                params = IngestParams(drop=Path(run["drop"]), warehouse=Path(run["warehouse"]),
                                      model=spec["model"], batch_size=spec["batch_size"],
                                      nlp_workers=spec["workers"], sentiment_method=spec["sentiment_method"],
                                      max_file_bytes=spec["max_file_bytes"],
                                      executor=spec.get("executor", "local"))
                servers = _server_pids()
                c, workers0, server0 = _cpu_now(), _tree_cpu(runner.pool_pids()), _tree_cpu(servers)
                t = time.perf_counter()
                with one_shot_settings():  # as `presswatch run` calls the flow
                    summary = ingest(params)
                wall = time.perf_counter() - t
                # Dask's LocalCluster processes end (and are reaped) inside the run: children CPU.
                # Dask workers forked from the fork server: their own CPU, read before they closed.
                dask_cpu = timing.snapshot().get("dask-workers", {}).get("cpu_s", 0.0)
                cpu = {"main_s": _cpu_now()[0] - c[0],
                       "workers_s": _tree_cpu(runner.pool_pids()) - workers0 + _cpu_now()[1] - c[1] + dask_cpu,
                       "prefect_server_s": _tree_cpu(servers) - server0}
                out["runs"].append({
                    "label": run.get("label", ""), "attempt": attempt, "wall_s": wall, "cpu": cpu,
                    "articles_loaded": summary.articles_loaded, "files_seen": summary.files_seen,
                    "files_loaded": summary.files_loaded, "files_duplicate": summary.files_duplicate,
                    "files_quarantined": summary.files_quarantined,
                    "files_skipped": summary.files_skipped, "stages": timing.snapshot(),
                    "rows": table_rows(Path(run["warehouse"])),
                    "words_loaded": words_loaded(Path(run["warehouse"]), summary.flow_run_id),
                    "workers": runner.resolve_workers(spec["workers"], 10**6) if runner._pool else 0})
                if run.get("views"):
                    out["views"] = time_views(Path(run["warehouse"]))
        out["task_overhead_s"] = _empty_task_cost()
    finally:
        runner.shutdown_pool()
    return out


def _prefect_ready() -> None:
    """Start Prefect's temporary server now (or reach PREFECT_API_URL), so its start-up is
    measured apart from the flow."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.hello()


def _empty_task_cost(n: int = 20) -> float:
    """Seconds of Prefect orchestration per task run: an empty task, submitted and waited on."""
    from prefect import flow, task
    from prefect.cache_policies import NONE

    @task(cache_policy=NONE)
    def empty(i: int) -> int:
        return i

    @flow(name="presswatch-bench-calibration")
    def calibrate() -> float:
        empty.submit(0).result()
        t = time.perf_counter()
        for i in range(n):
            empty.submit(i).result()
        return (time.perf_counter() - t) / n

    return calibrate()


def table_rows(warehouse: Path) -> dict[str, int]:
    from warehouse.db import open_db

    con = open_db(warehouse, read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main' "
            "ORDER BY 1").fetchall()]  # main: not the search index's own tables (fts_main_articles)
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def words_loaded(warehouse: Path, flow_run_id: str) -> int:
    """Body words (articles.word_count) of the articles one run loaded: the scaling probes
    divide by it, as probes of equal file counts differ in length (Reuters items 4500-5000
    are 30% longer than items 500-1000)."""
    from warehouse.db import open_db

    con = open_db(warehouse, read_only=True)
    try:
        return con.execute("SELECT coalesce(sum(word_count), 0) FROM articles WHERE flow_run_id = ?",
                           [flow_run_id]).fetchone()[0]
    finally:
        con.close()


def time_views(warehouse: Path, repeat: int = 3) -> dict[str, dict]:
    """Each analyst view, fully materialized (SELECT * to Arrow): median of `repeat`."""
    from warehouse.db import VIEWS, open_db

    con = open_db(warehouse, read_only=True)
    try:
        out = {}
        for path in sorted(VIEWS.glob("*/*.sql")):
            fig: dict = {}
            for key, sql in (("ms", f'SELECT * FROM "{path.stem}"'),
                             ("count_ms", f'SELECT count(*) FROM "{path.stem}"'),
                             ("first100_ms", f'SELECT * FROM "{path.stem}" LIMIT 100')):
                times = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    rows = con.execute(sql).to_arrow_table().num_rows
                    times.append(time.perf_counter() - t)
                fig[key] = 1000 * statistics.median(times)
                if key == "ms":
                    fig["rows"] = rows
            out[path.stem] = fig
        return out
    finally:
        con.close()


# ---------------------------------------------------------------------------------------
# orchestration: children, memory sampling, the report


def _child(side: str, spec: dict, workdir: Path) -> tuple[dict, dict]:
    """Run a side in a child process; (its JSON result, peak memory of its process tree)."""
    spec_path = workdir / f"{side}-spec.json"
    out_path = workdir / f"{side}-out.json"
    spec_path.write_text(json.dumps(spec))
    # Prefect's temporary server gets 20 s to start by default: on 2 busy cores that timed out
    # (as in flows/localserver.py), so 120 s unless the user set a timeout.
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_LOGGING_LEVEL=os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=os.environ.get(
                   "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-m", "flows.bench", side, str(spec_path), str(out_path)],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = _MemorySampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"bench side {side} failed (exit {proc.returncode}):\n{err[-3000:]}")
    return json.loads(out_path.read_text()), sampler.peaks()


class _MemorySampler(threading.Thread):
    """Peak memory of a process tree: PSS summed over it (a page shared by n processes counts
    1/n in each, so forked workers sharing the model are not double-counted), RSS alongside.

    PSS walks /proc/PID/smaps_rollup, far dearer than RSS (docs/performance.md), and the
    sampler shares the cores it measures (the e2e tree has more and bigger processes, so it
    cost (b) twice what it cost (a)). So RSS is read every 0.5 s and PSS only when the summed
    RSS reaches a new high (memory growing) or `pss_every` seconds after the last PSS walk
    (shared pages turning private raise PSS without RSS). It counts its own CPU seconds."""

    def __init__(self, pid: int, every: float = 0.5, pss_every: float = 3.0):
        super().__init__(daemon=True)
        self.pid, self.every, self.pss_every = pid, every, pss_every
        self.tree = self.main = self.server = self.pipeline = self.rss_tree = 0
        self.samples, self.pss_samples, self.cpu_s = 0, 0, 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        last_pss = float("-inf")
        while not self._halt.is_set():
            cpu = time.thread_time()
            try:
                rss = root.memory_info().rss
                kids = root.children(recursive=True)
            except psutil.NoSuchProcess:
                return
            for k in kids:
                try:
                    rss += k.memory_info().rss
                except psutil.Error:
                    continue
            if rss > self.rss_tree or time.monotonic() - last_pss >= self.pss_every:
                if not self._walk_pss(root, kids):
                    return
                last_pss = time.monotonic()
            self.rss_tree = max(self.rss_tree, rss)
            self.samples += 1
            self.cpu_s += time.thread_time() - cpu
            self._halt.wait(self.every)

    def _walk_pss(self, root, kids: list) -> bool:
        """One PSS sample of the tree (False: the root has exited)."""
        import psutil

        try:
            main = root.memory_full_info().pss
        except psutil.NoSuchProcess:
            return False
        server = other = 0
        for k in kids:
            try:
                kid = k.memory_full_info()
                cmd = " ".join(k.cmdline())
            except psutil.Error:
                continue
            if "uvicorn" in cmd or "prefect" in cmd.split(" -m ")[-1][:40]:
                server += kid.pss
            else:
                other += kid.pss
        self.main = max(self.main, main)
        self.server = max(self.server, server)
        self.tree = max(self.tree, main + server + other)
        self.pipeline = max(self.pipeline, main + other)
        self.pss_samples += 1
        return True

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def peaks(self) -> dict:
        """Peak PSS in MB (tree, without the Prefect server, main process, server), peak summed RSS."""
        return {"tree_mb": self.tree / 2**20, "without_prefect_server_mb": self.pipeline / 2**20,
                "main_mb": self.main / 2**20, "prefect_server_mb": self.server / 2**20,
                "rss_tree_mb": self.rss_tree / 2**20, "samples": self.samples, "pss_samples": self.pss_samples,
                "sampler_cpu_s": self.cpu_s}


@dataclass
class Options:
    corpus: str = "bbc"
    limit: int | None = None
    repeat: int = 1
    workers: int = default("nlp_workers")
    scaling: list[int] | None = None
    probe: int = 1000
    model: str = default("model")
    batch_size: int = default("batch_size")
    sentiment_method: str = default("sentiment_method")
    max_file_bytes: int = default("max_file_bytes")
    eval_dir: Path = default("eval_dir")
    workdir: Path | None = None
    skip_raw: bool = False
    executor: str = "local"  # dask: also side (c), the same run on a Dask LocalCluster (flows/executors.py)
    warehouse: str = "duckdb"  # ducklake: also side (d), the same run into a DuckLake (file catalog), paired

    def ingest_spec(self, workers: int) -> dict:
        """What a bench child needs to build the runs' IngestParams (JSON)."""
        return {"model": self.model, "workers": workers, "batch_size": self.batch_size,
                "sentiment_method": self.sentiment_method, "max_file_bytes": self.max_file_bytes}


def run_bench(opts: Options, say=print) -> dict:
    from presswatch.extract.workers import AUTO, AUTO_MAX_WORKERS

    workers = opts.workers if opts.workers != AUTO else min(AUTO_MAX_WORKERS, os.cpu_count() or 1)
    tmp = Path(opts.workdir or tempfile.mkdtemp(prefix="presswatch-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "started": datetime.now().isoformat(timespec="seconds"),
                    "options": {"corpus": opts.corpus, "limit": opts.limit, "repeat": opts.repeat,
                                "workers": workers, "batch_size": opts.batch_size,
                                "model": opts.model, "scaling": opts.scaling},
                    "load_before": os.getloadavg()}
    try:
        if opts.corpus != "none":
            corpus = make_corpus(opts.corpus, tmp / "corpus", eval_dir=opts.eval_dir, limit=opts.limit)
            say(f"bench: {corpus.files} files of {corpus.name} in {corpus.path}; load {_load()}")
            report["corpus"] = {"name": corpus.name, "files": corpus.files}
            report.update(_throughput(opts, corpus, workers, tmp, say))
        if opts.scaling:
            report["scaling"] = _scaling(opts, workers, tmp, say)
    finally:
        report["load_after"] = os.getloadavg()
        if opts.workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return report


def _throughput(opts: Options, corpus: Corpus, workers: int, tmp: Path, say) -> dict:
    base = {**opts.ingest_spec(workers), "drop": str(corpus.path), "eval_dir": str(opts.eval_dir)}
    raw_runs, e2e_runs, dask_runs, lake_runs = [], [], [], []
    for r in range(opts.repeat):
        if not opts.skip_raw:
            load = _load()
            raw, raw_mem = _child("raw", {**base, "repeat": 1}, tmp)
            raw_runs.append({**raw, "mem": raw_mem, "load": load})
            say(f"  (a) raw nlp.pipe   {raw['seconds'][0]:7.1f} s  load {load}")
        wh = tmp / f"e2e-{r}.duckdb"
        load = _load()
        e2e, e2e_mem = _child("e2e", {**base, "runs": [
            {"drop": str(corpus.path), "warehouse": str(wh), "label": "first", "times": 1},
            {"drop": str(corpus.path), "warehouse": str(wh), "label": "second", "times": 3}]}, tmp)
        e2e_runs.append({**e2e, "mem": e2e_mem, "load": load})
        say(f"  (b) presswatch run {e2e['runs'][0]['wall_s']:7.1f} s  load {load}")
        if opts.workdir is None:  # --keep keeps (b)'s warehouse, e.g. a BBC warehouse for other work
            wh.unlink(missing_ok=True)
        if opts.executor == "dask":  # paired: right after (b), same corpus, same machine state
            dask_runs.append(_dask_side(base, corpus, tmp / f"dask-{r}.duckdb", say))
        if opts.warehouse == "ducklake":  # paired: right after (b), same corpus, same machine state
            lake_runs.append(_lake_side(base, corpus, tmp / f"lake-{r}", say))
    out = summarize(raw_runs, e2e_runs)
    if dask_runs:
        out["dask"] = summarize_dask(dask_runs, e2e_runs)
    if lake_runs:
        out["ducklake"] = summarize_lake(lake_runs, e2e_runs)
    return out


def _lake_side(base: dict, corpus: Corpus, folder: Path, say) -> dict:
    """Side (d): (b)'s first run into a DuckLake with a SQLite catalog (the documented one-machine
    choice: readers in other processes never wait; docs/scaling.md) and a local data path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = f"ducklake:sqlite:{folder / 'catalog.sqlite'}?data_path={folder / 'files'}/"
    run = _paired_side(base, corpus, target, folder, "(d) presswatch run into DuckLake", say)
    files = [p for p in (folder / "files").rglob("*.parquet")]
    parquet = sum(p.stat().st_size for p in files)
    catalog = (folder / "catalog.sqlite").stat().st_size
    shutil.rmtree(folder, ignore_errors=True)
    return {**run, "parquet_bytes": parquet, "parquet_files": len(files), "catalog_bytes": catalog}


def _paired_side(base: dict, corpus: Corpus, warehouse: str, workdir: Path, title: str, say, **spec) -> dict:
    """(b)'s first run again with one thing changed (`spec`, or the warehouse): one bench child."""
    load = _load()
    out, mem = _child("e2e", {**base, **spec, "runs": [
        {"drop": str(corpus.path), "warehouse": warehouse, "label": "first", "times": 1}]}, workdir)
    say(f"  {title} {out['runs'][0]['wall_s']:7.1f} s  load {load}")
    return {**out["runs"][0], "mem": mem, "load": load}


def _local_medians(e2e_runs: list[dict]) -> tuple[float, float]:
    """(b)'s first runs: median wall seconds and median CPU seconds (whole tree)."""
    med = statistics.median
    return (med(r["runs"][0]["wall_s"] for r in e2e_runs),
            med(sum(r["runs"][0]["cpu"].values()) for r in e2e_runs))


def summarize_lake(lake_runs: list[dict], e2e_runs: list[dict]) -> dict:
    """Side (d) against (b): wall, load-stage seconds and CPU seconds, medians of the paired runs."""
    med = statistics.median
    local_wall, local_cpu = _local_medians(e2e_runs)
    wall = med(r["wall_s"] for r in lake_runs)
    local_load = med(r["runs"][0]["stages"].get("load", {}).get("wall_s", 0.0) for r in e2e_runs)
    load = med(r["stages"].get("load", {}).get("wall_s", 0.0) for r in lake_runs)
    articles = lake_runs[0]["articles_loaded"]
    return {"wall_s": wall, "local_wall_s": local_wall, "time_ratio": wall / local_wall,
            "load_stage_s": load, "local_load_stage_s": local_load,
            "cpu_s": med(sum(r["cpu"].values()) for r in lake_runs),
            "local_cpu_s": local_cpu,
            "articles_loaded": articles, "local_articles_loaded": e2e_runs[0]["runs"][0]["articles_loaded"],
            "parquet_bytes_per_article": med(r["parquet_bytes"] for r in lake_runs) / max(articles, 1),
            "parquet_files": lake_runs[0]["parquet_files"], "catalog_bytes": lake_runs[0]["catalog_bytes"],
            "load": [r["load"] for r in lake_runs]}


def _dask_side(base: dict, corpus: Corpus, wh: Path, say) -> dict:
    run = _paired_side(base, corpus, str(wh), wh.parent, "(c) presswatch run on Dask", say, executor="dask")
    wh.unlink(missing_ok=True)
    return run


def summarize_dask(dask_runs: list[dict], e2e_runs: list[dict]) -> dict:
    """Side (c) against (b): throughput (wall) and CPU seconds, medians of the paired runs."""
    med = statistics.median
    local_wall, local_cpu = _local_medians(e2e_runs)
    wall = med(r["wall_s"] for r in dask_runs)
    cpu = med(sum(r["cpu"].values()) for r in dask_runs)
    return {"wall_s": wall, "all_wall_s": [r["wall_s"] for r in dask_runs], "local_wall_s": local_wall,
            "articles_loaded": dask_runs[0]["articles_loaded"],
            "local_articles_loaded": e2e_runs[0]["runs"][0]["articles_loaded"],
            "throughput_ratio": local_wall / wall, "cpu_s": cpu, "local_cpu_s": local_cpu,
            "cpu_ratio": local_cpu / cpu if cpu else 0.0,
            "peak_pss_mb": max(r["mem"]["tree_mb"] for r in dask_runs), "load": [r["load"] for r in dask_runs]}


def summarize(raw_runs: list[dict], e2e_runs: list[dict]) -> dict:
    med = statistics.median
    out: dict = {}
    if raw_runs:
        words, texts = raw_runs[0]["words"], raw_runs[0]["texts"]
        secs = med(s for r in raw_runs for s in r["seconds"])
        out["raw"] = {"components": raw_runs[0]["components"], "texts": texts, "words": words,
                      "seconds": secs, "articles_per_s": texts / secs, "words_per_s": words / secs,
                      "peak_pss_mb": max(r["mem"]["tree_mb"] for r in raw_runs),
                      "peak_rss_mb": max(r["mem"]["rss_tree_mb"] for r in raw_runs),
                      "memory_sampler_cpu_s": sum(r["mem"]["sampler_cpu_s"] for r in raw_runs),
                      "all_seconds": [s for r in raw_runs for s in r["seconds"]],
                      "cpu": _median_cpu([c for r in raw_runs for c in r.get("cpu", [])]),
                      "load": [r["load"] for r in raw_runs]}
    firsts = [r["runs"][0] for r in e2e_runs]
    seconds = [r["runs"][1:] for r in e2e_runs]
    first = sorted(firsts, key=lambda r: r["wall_s"])[len(firsts) // 2]
    wall = first["wall_s"]
    stages = {k: first["stages"].get(k, {"wall_s": 0.0, "cpu_s": 0.0, "calls": 0}) for k in STAGES}
    calls = first["stages"]
    # discover, warm-up and report once; read, extract (with sentiment) and load per batch
    task_runs = 3 + 3 * calls.get("read", {}).get("calls", 0)
    per_task = med(r["task_overhead_s"] for r in e2e_runs)
    body = first["stages"].get("flow", {}).get("wall_s", wall)
    startup = med(r["prefect_startup_s"] for r in e2e_runs)
    texts = out.get("raw", {}).get("texts")
    words = out.get("raw", {}).get("words")
    rows_written = sum(v for k, v in first["rows"].items() if k not in ("schema_migrations",))
    e2e = {
        "wall_s": wall, "all_wall_s": [r["wall_s"] for r in firsts],
        "files": first["files_seen"], "articles_loaded": first["articles_loaded"],
        "files_loaded": first["files_loaded"], "files_duplicate": first["files_duplicate"],
        "files_quarantined": first["files_quarantined"],
        "stages": stages, "preload_cpu_s": med(r.get("preload_cpu_s", 0.0) for r in e2e_runs),
        "prefect": {"server_start_s": startup, "task_runs": task_runs,
                                      "per_task_ms": 1000 * per_task,
                                      "tasks_s": task_runs * per_task,
                                      "flow_run_s": max(0.0, wall - body)},
        "rows": first["rows"], "rows_written": rows_written,
        "duckdb_rows_per_s": rows_written / max(stages["load"]["wall_s"], 1e-9),
        "peak_pss_mb": max(r["mem"]["tree_mb"] for r in e2e_runs),
        "peak_pss_without_prefect_server_mb": max(r["mem"]["without_prefect_server_mb"] for r in e2e_runs),
        "prefect_server_pss_mb": max(r["mem"]["prefect_server_mb"] for r in e2e_runs),
        "peak_rss_mb": max(r["mem"]["rss_tree_mb"] for r in e2e_runs),
        "memory_sampler_cpu_s": sum(r["mem"]["sampler_cpu_s"] for r in e2e_runs),
        "second_run_s": med(s["wall_s"] for runs in seconds for s in runs) if any(seconds) else None,
        "second_run_loaded": max((s["articles_loaded"] for runs in seconds for s in runs), default=0),
        "second_run_stages": (seconds[0][0]["stages"] if seconds and seconds[0] else {}),
        "load": [r["load"] for r in e2e_runs],
        "cpu": _median_cpu([r.get("cpu") for r in firsts if r.get("cpu")]),
    }
    if texts:
        e2e["articles_per_s"] = texts / wall
        e2e["words_per_s"] = words / wall
        e2e["ratio"] = out["raw"]["seconds"] / wall
        e2e["ratio_with_server_start"] = out["raw"]["seconds"] / (wall + startup)
        raw_cpu, e2e_cpu = sum(out["raw"]["cpu"].values()), sum(e2e["cpu"].values())
        if raw_cpu and e2e_cpu:
            e2e["cpu_ratio"] = raw_cpu / e2e_cpu
    out["e2e"] = e2e
    return out


def _median_cpu(items: list[dict]) -> dict:
    if not items:
        return {}
    return {k: statistics.median(i.get(k, 0.0) for i in items) for k in items[0]}


def _scaling(opts: Options, workers: int, tmp: Path, say) -> dict:
    """One warehouse, filled up to each level; at each level a probe run of opts.probe new
    files (the same texts at every level) is timed; then a second run over the unchanged
    folder and the views."""
    levels = sorted(opts.scaling or [])
    # The first level is reached by a fill run, then a probe: so no probe pays the start of
    # the NLP workers, and every probe is the same size.
    probe = min(opts.probe, max(1, levels[0] // 2))
    # Every probe parses the same Reuters items (those the first probe's files would hold),
    # each time as new articles: probes of different items differ in length by up to 30%,
    # which the cost per article would mistake for an effect of the warehouse's size.
    probe_items = levels[0] - probe
    drop, wh = tmp / "scale-drop", tmp / "scale.duckdb"
    runs, have = [], 0
    for level in levels:
        if level - probe > have:
            runs.append({"drop": str(drop), "warehouse": str(wh), "label": f"fill to {level - probe}",
                         "write": [have, level - probe]})
            have = level - probe
        runs.append({"drop": str(drop), "warehouse": str(wh), "label": f"probe at {level}",
                     "write": [have, level], "copy_of": probe_items})
        have = level
    runs.append({"drop": str(drop), "warehouse": str(wh), "label": "second run", "times": 3,
                 "views": True})
    say(f"bench: scaling {levels} (probe runs of {probe} new files); load {_load()}")
    spec = {**opts.ingest_spec(workers), "eval_dir": str(opts.eval_dir), "runs": runs}
    out, mem = _child("e2e", spec, tmp)
    cold = cold_second_run(drop, wh, opts.model)
    say(f"  cold `presswatch run` over the unchanged folder {cold:.1f} s")
    probes = []
    for r in out["runs"]:
        say(f"  {r['label']:<18} {r['wall_s']:7.1f} s  {r['articles_loaded']} articles")
        if r["label"].startswith("probe"):
            st = r["stages"]
            probes.append({"level": int(r["label"].split()[-1]), "articles": r["articles_loaded"],
                           "wall_s": r["wall_s"], "ms_per_article": 1000 * r["wall_s"] / max(r["articles_loaded"], 1),
                           # CPU of the run's whole tree (main, workers, server): on a shared
                           # machine the wall figure swings with the load, this one much less.
                           "cpu_ms_per_article": 1000 * sum(r["cpu"].values()) / max(r["articles_loaded"], 1),
                           "words": r["words_loaded"],
                           "cpu_ms_per_kword": 1e6 * sum(r["cpu"].values()) / max(r["words_loaded"], 1),
                           "ms_per_kword": 1e6 * r["wall_s"] / max(r["words_loaded"], 1),
                           "load_ms_per_article":
                               1000 * st.get("load", {}).get("wall_s", 0) / max(r["articles_loaded"], 1),
                           "discover_s": st.get("discover", {}).get("wall_s", 0),
                           "report_s": st.get("report", {}).get("wall_s", 0)})
    second = [r for r in out["runs"] if r["label"] == "second run"]
    base = probes[0]["ms_per_article"] if probes else None
    for p in probes:
        p["vs_first"] = p["ms_per_article"] / base if base else None
        for key in ("cpu_ms_per_article", "ms_per_kword", "cpu_ms_per_kword"):
            p[f"{key}_vs_first"] = p[key] / probes[0][key] if probes[0][key] else None
    return {"probe_files": probe, "levels": probes,
            "second_run_s": statistics.median(r["wall_s"] for r in second) if second else None,
            "second_run_all_s": [r["wall_s"] for r in second],
            "second_run_stages": second[0]["stages"] if second else {},
            "cold_second_run_s": cold,
            "prefect_server_start_s": out["prefect_startup_s"],
            "views": out.get("views", {}), "rows": second[-1]["rows"] if second else {},
            "peak_pss_mb": mem["tree_mb"], "peak_pss_without_prefect_server_mb": mem["without_prefect_server_mb"],
            "prefect_server_pss_mb": mem["prefect_server_mb"], "peak_rss_mb": mem["rss_tree_mb"]}


def cold_second_run(drop: Path, warehouse: Path, model: str) -> float:
    """Wall seconds of a whole `presswatch run` process over an unchanged folder: Python
    start, imports, Prefect's temporary server start, the flow."""
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "presswatch.cli", "run", str(drop), "--warehouse", str(warehouse),
                    "--model", model], check=True, env=env, capture_output=True,
                   cwd=Path(__file__).resolve().parents[1])
    return time.perf_counter() - t


def machine() -> dict:
    import platform

    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------------------------------
# the plain-text report


def render(report: dict) -> str:
    m = report["machine"]
    lines = [f"presswatch bench  {report['started']}  {m['cpu']}, {m['cpus']} CPUs, {m['memory_gb']} GB, "
             f"Python {m['python']}",
             f"load average before {_fmt_load(report['load_before'])}, after {_fmt_load(report['load_after'])}"
             "  (figures are noisy while the load exceeds the CPUs)"]
    o = report["options"]
    raw, e2e = report.get("raw"), report.get("e2e")
    if e2e:
        lines.append(f"corpus {report['corpus']['name']}: {report['corpus']['files']} files; workers {o['workers']}, "
                     f"batch {o['batch_size']}, medians of {o['repeat']}")
        lines.append("")
        lines.append(f"{'':38}{'(a) raw nlp.pipe':>18}{'(b) presswatch run':>20}")
        if raw:
            lines.append(f"{'texts (unique, English) / words':38}{raw['texts']:>10} / {raw['words']:<7}")
            lines.append(f"{'seconds':38}{raw['seconds']:>18.1f}{e2e['wall_s']:>20.1f}")
            lines.append(f"{'articles/s':38}{raw['articles_per_s']:>18.1f}{e2e['articles_per_s']:>20.1f}")
            lines.append(f"{'words/s':38}{raw['words_per_s']:>18.0f}{e2e['words_per_s']:>20.0f}")
            lines.append(f"{'peak PSS MB (process tree)':38}{raw['peak_pss_mb']:>18.0f}{e2e['peak_pss_mb']:>20.0f}")
            lines.append(f"{'peak RSS MB (summed, for comparison)':38}{raw['peak_rss_mb']:>18.0f}"
                         f"{e2e['peak_rss_mb']:>20.0f}")
            lines.append(f"{'ratio b/a (goal >= 0.90)':38}{e2e['ratio']:>38.3f}")
            rc, ec = raw["cpu"], e2e["cpu"]
            if rc and ec:
                lines.append(f"{'CPU s: main + workers (+ Prefect server)':38}"
                             f"{rc['main_s']:>8.1f} + {rc['workers_s']:<7.1f}"
                             f"{ec['main_s']:>8.1f} + {ec['workers_s']:.1f} + {ec.get('prefect_server_s', 0):.1f}")
                lines.append(f"{'CPU ratio a/b (load-independent)':38}{e2e.get('cpu_ratio', 0):>38.3f}")
            lines.append(f"{'ratio b/a with Prefect server start':38}{e2e['ratio_with_server_start']:>38.3f}")
            lines.append(f"raw components: {', '.join(raw['components'])}")
        else:
            lines.append(f"{'seconds':38}{'':>18}{e2e['wall_s']:>20.1f}")
        lines.append(f"files: {e2e['files']} seen, {e2e['files_loaded']} loaded, {e2e['files_duplicate']} duplicate, "
                     f"{e2e['files_quarantined']} quarantined; {e2e['articles_loaded']} articles loaded")
        lines.append(f"peak PSS without the Prefect server {e2e['peak_pss_without_prefect_server_mb']:.0f} MB "
                     f"(server {e2e['prefect_server_pss_mb']:.0f} MB; memory sampler "
                     f"{e2e['memory_sampler_cpu_s']:.2f} CPU s)")
        lines.append("")
        lines.append(f"{'stage (busy seconds, overlapping)':38}{'wall s':>10}{'cpu s':>10}{'calls':>8}")
        for k, v in e2e["stages"].items():
            lines.append(f"{k:38}{v['wall_s']:>10.2f}{v['cpu_s']:>10.2f}{v['calls']:>8}")
        p = e2e["prefect"]
        lines.append(f"{'prefect: task runs':38}{p['tasks_s']:>10.2f}{'':>10}{p['task_runs']:>8}"
                     f"  ({p['per_task_ms']:.1f} ms each, empty-task cost)")
        lines.append(f"{'prefect: flow run around its body':38}{p['flow_run_s']:>10.2f}")
        lines.append(f"{'prefect: server start (outside b)':38}{p['server_start_s']:>10.2f}")
        lines.append(f"{'NLP model preload (outside b, as a)':38}{'':>10}{e2e['preload_cpu_s']:>10.2f}"
                     "  (fork server: spaCy import + model load, during the server start)")
        lines.append(f"DuckDB: {e2e['rows_written']:,} rows in {e2e['stages']['load']['wall_s']:.2f} s of load "
                     f"= {e2e['duckdb_rows_per_s']:,.0f} rows/s (load stage incl. Arrow frames)")
        if e2e.get("second_run_s") is not None:
            lines.append(f"second run over the unchanged folder: {e2e['second_run_s']:.2f} s "
                         f"(server already up; {e2e['second_run_loaded']} loaded)")
    if d := report.get("dask"):
        lines.append("")
        lines.append(f"(c) the same run on a Dask LocalCluster ({o['workers']} worker processes) vs (b), paired:")
        lines.append(f"{'seconds dask / local':38}{d['wall_s']:>10.1f} / {d['local_wall_s']:.1f}  "
                     f"({d['articles_loaded']} / {d['local_articles_loaded']} articles loaded)")
        lines.append(f"{'throughput dask/local (goal >= 0.90)':38}{d['throughput_ratio']:>10.3f}")
        lines.append(f"{'CPU s dask / local (whole tree)':38}{d['cpu_s']:>10.1f} / {d['local_cpu_s']:.1f}  "
                     f"(CPU ratio local/dask {d['cpu_ratio']:.3f}: load-independent)")
        lines.append(f"{'peak PSS MB (process tree, dask)':38}{d['peak_pss_mb']:>10.0f}")
    if d := report.get("ducklake"):
        lines.append("")
        lines.append("(d) the same run into a DuckLake (SQLite catalog, local data path) vs (b), paired:")
        lines.append(f"{'seconds DuckLake / DuckDB file':38}{d['wall_s']:>10.1f} / {d['local_wall_s']:.1f}  "
                     f"(articles {d['articles_loaded']} / {d['local_articles_loaded']})")
        lines.append(f"{'time DuckLake/DuckDB (goal <= 1.15)':38}{d['time_ratio']:>10.3f}")
        lines.append(f"{'load stage s DuckLake / DuckDB file':38}{d['load_stage_s']:>10.1f} / "
                     f"{d['local_load_stage_s']:.1f}")
        lines.append(f"{'CPU s DuckLake / DuckDB file':38}{d['cpu_s']:>10.1f} / {d['local_cpu_s']:.1f}")
        lines.append(f"{'Parquet bytes/article (files, catalog)':38}{d['parquet_bytes_per_article']:>10.0f}  "
                     f"({d['parquet_files']} files, catalog {d['catalog_bytes'] / 1e6:.1f} MB)")
    sc = report.get("scaling")
    if sc:
        lines.append("")
        lines.append(f"scaling (Reuters, one warehouse; probe runs of {sc['probe_files']} new files)")
        lines.append("  per article (wall, and CPU of main + workers + server), and per 1,000 body words")
        lines.append(f"{'warehouse articles':>20}{'ms/art':>8}{'vs 1st':>8}{'CPU ms/art':>11}{'vs 1st':>8}"
                     f"{'words':>8}{'ms/kw':>7}{'vs 1st':>8}{'CPU ms/kw':>10}{'vs 1st':>8}"
                     f"{'load ms/art':>12}{'discover s':>11}")
        for p in sc["levels"]:
            lines.append(f"{p['level']:>20}{p['ms_per_article']:>8.1f}{p['vs_first']:>8.3f}"
                         f"{p['cpu_ms_per_article']:>11.1f}{p['cpu_ms_per_article_vs_first']:>8.3f}"
                         f"{p['words']:>8}{p['ms_per_kword']:>7.0f}{p['ms_per_kword_vs_first']:>8.3f}"
                         f"{p['cpu_ms_per_kword']:>10.0f}{p['cpu_ms_per_kword_vs_first']:>8.3f}"
                         f"{p['load_ms_per_article']:>12.2f}{p['discover_s']:>11.2f}")
        lines.append(f"second run over the unchanged folder: {sc['second_run_s']:.2f} s (server up; goal < 2 s); "
                     f"Prefect server start {sc['prefect_server_start_s']:.1f} s on top for a cold `presswatch run`")
        lines.append(f"a whole cold `presswatch run` process over it (imports, Prefect server start, flow): "
                     f"{sc['cold_second_run_s']:.1f} s")
        lines.append(f"peak PSS (tree) {sc['peak_pss_mb']:.0f} MB, without the Prefect server "
                     f"{sc['peak_pss_without_prefect_server_mb']:.0f} MB (goal < 2048)")
        lines.append(f"{'view (medians of 3, ms)':32}{'SELECT *':>10}{'rows':>9}{'count(*)':>10}{'LIMIT 100':>11}")
        for name, v in sc["views"].items():
            lines.append(f"{name:32}{v['ms']:>10.1f}{v['rows']:>9}{v['count_ms']:>10.1f}{v['first100_ms']:>11.1f}")
    return "\n".join(lines)


def _fmt_load(load) -> str:
    return "/".join(f"{x:.2f}" for x in load)


def main(argv: list[str]) -> int:
    side, spec_path, out_path = argv
    spec = json.loads(Path(spec_path).read_text())
    result = raw_side(spec) if side == "raw" else e2e_side(spec)
    Path(out_path).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
