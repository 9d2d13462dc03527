"""Where the NLP stage runs: in this process, or in a pool whose workers load the model once.

spaCy's own n_process workers exit uncleanly inside a Prefect task (warning W127), so the
parallel path is a pool of worker processes: a Dask LocalCluster this process owns
(dask_worker.LocalPool; it replaced a home-made process pool, issue 20), living as long as
this process. Its workers are forked from a fork server that loaded spaCy and the model once
(see _context): two workers cost one model load, and they start sooner at the head of a run.

Speed (docs/performance.md): a batch is cut into small chunks that go to the pool as
separate jobs, so two batches in flight (the ingest flow submits batch N+1 while batch N is
scored and loaded) keep every worker busy with no idle tail at batch ends. Workers do the
extraction too and send back Extractions as Arrow batches (wire.py), far smaller than Docs. An
article whose exact body (and date) appeared earlier in the batch is not parsed twice.
"""

from __future__ import annotations

import copy
import hashlib
import multiprocessing as mp
import os
import threading
import time
from collections import OrderedDict

import pyarrow as pa

from presswatch import timing
from presswatch.config import AUTO_WORKERS
from presswatch.faults import checkpoint, isolate, isolated
from presswatch.records import NLP_LANGUAGES, Article, Extraction
from presswatch.extract import wire
from presswatch.extract.pipeline import load_nlp

# Longest body the NLP stage takes (spaCy's default nlp.max_length); longer ones are quarantined.
MAX_NLP_CHARS = 1_000_000

# nlp_workers = AUTO (-1, the default): min(2, CPUs) worker processes once a batch has at least
# AUTO_MIN_ARTICLES articles (or a pool is already running); smaller runs stay in-process, where
# a fork server and its model load would cost more than they save.
AUTO = AUTO_WORKERS  # the one "auto" value, parsed from text only in presswatch/config.py
AUTO_MAX_WORKERS = 2
AUTO_MIN_ARTICLES = 40
# Articles per pool job: small enough to share a batch evenly between the workers, large
# enough that nlp.pipe batches well and pickling stays cheap.
CHUNK_ARTICLES = 16
# The last TAIL_CHUNKS * workers chunks of a run are this small (see _chunks).
TAIL_ARTICLES = 4
TAIL_CHUNKS = 2

_pool = None  # the LocalPool (presswatch.extract.dask_worker), once started
_pool_key: tuple[str, int] | None = None
_pool_lock = threading.RLock()  # pool creation and shutdown (start_pool creates it in a thread)
_starting: tuple[str, int] | None = None  # the pool start_pool is creating in its thread
_generation = 0  # bumped by shutdown_pool: a warm-up started before it must not revive a pool


def resolve_workers(workers: int, n_articles: int) -> int:
    """Worker processes to use for a batch of n_articles (0 or 1: in-process)."""
    if workers >= 0:
        return workers
    if _pool is not None:
        return _pool_key[1] if _pool_key else 0
    if _starting is not None:  # a small batch while the warm-up starts the pool: wait for it, not parse here
        return _starting[1]
    if n_articles < AUTO_MIN_ARTICLES:
        return 0
    return max(1, min(AUTO_MAX_WORKERS, os.cpu_count() or 1))


def extract_all(articles: list[Article], *, model: str, workers: int = AUTO,
                sentiment_method: str | None = None, last: bool = False, pool=None) -> list[Extraction]:
    """One Extraction per article, in order. One bad article never fails the batch: its
    Extraction has `error` set (too long, or the NLP raised on it) and its file is quarantined.
    Articles in another language get an empty Extraction: no English NER on French text.

    sentiment_method: also score sentiment (presswatch.sentiment.score.score_batch, isolated as the
    sentiment task does it) right after the extraction, chunk by chunk in the workers.
    last: the run's last batch, cut so the workers finish together (see _chunks).
    pool: where the chunks run instead of the local pool (a DaskPool on a cluster of its own)."""
    if not articles:
        return []
    checkpoint("extract")
    done = [_precheck(a) for a in articles]
    # Exact copies (same body, same date) are parsed once: inside the batch, and across the
    # last RECENT_MAX articles this process parsed (wire copy is often filed twice).
    first: dict[bytes, int] = {}
    copies: list[tuple[int, int]] = []  # (copy, original in this batch)
    todo: list[int] = []
    keys: dict[int, bytes] = {}
    for i, ex in enumerate(done):
        if ex is not None:
            continue
        keys[i] = key = _copy_key(articles[i], model, sentiment_method)
        if (seen := _recent_get(key)) is not None:
            done[i] = seen
            continue
        j = first.setdefault(key, i)
        if j == i:
            todo.append(i)
        else:
            copies.append((i, j))
    results = _extract_all([articles[i] for i in todo], model=model, workers=workers,
                           sentiment_method=sentiment_method, last=last, pool=pool)
    for i, (ex, row) in zip(todo, results, strict=True):
        done[i] = ex
        if ex.error is None:
            _recent_put(keys[i], row)
    for i, j in copies:
        done[i] = copy.deepcopy(done[j])
    return done  # type: ignore[return-value]


RECENT_MAX = 2000
# Each entry: the article's one-row slice of its chunk's Arrow table (presswatch/extract/wire.py).
_recent: OrderedDict[bytes, pa.Table] = OrderedDict()
_recent_lock = threading.Lock()


def _copy_key(article: Article, model: str, sentiment_method: str | None) -> bytes:
    """What an Extraction depends on: the body, the headline (the article stance reads it), the
    date dates resolve against, the model, the sentiment method and the quote method."""
    h = hashlib.blake2b(article.body.encode("utf-8", "surrogatepass"), digest_size=20)
    quote_method = os.environ.get("PRESSWATCH_QUOTE_METHOD", "")
    h.update(f"\0{article.title}\0{article.published_at}\0{model}\0{sentiment_method}\0{quote_method}"
             .encode("utf-8", "surrogatepass"))
    return h.digest()


def _recent_get(key: bytes) -> Extraction | None:
    with _recent_lock:
        row = _recent.get(key)
        if row is not None:
            _recent.move_to_end(key)
    return wire.row(row, 0) if row is not None else None  # a private copy


def _recent_put(key: bytes, row: pa.Table) -> None:
    """row: the Extraction's one-row Arrow table, as _extract_all returned it."""
    with _recent_lock:
        _recent[key] = row
        while len(_recent) > RECENT_MAX:
            _recent.popitem(last=False)


def _precheck(article: Article) -> Extraction | None:
    if len(article.body) > MAX_NLP_CHARS:
        return Extraction(article_id=article.article_id, error=(
            f"article too long for NLP: {len(article.body):,} chars > limit {MAX_NLP_CHARS:,}"))
    if article.language not in NLP_LANGUAGES:
        return Extraction(article_id=article.article_id)
    return None


def _extract_isolating(nlp, articles: list[Article]) -> list[Extraction]:
    """nlp.pipe over the batch; if that raises, article by article so only the culprit fails."""
    from presswatch.extract.extraction import extract_articles  # imports spaCy: the workers' code only

    return isolated("nlp", lambda batch: extract_articles(nlp, batch), articles,
                    lambda article, error: Extraction(article_id=article.article_id, error=error))


def _extract_all(articles: list[Article], *, model: str, workers: int, sentiment_method: str | None,
                 last: bool = False, pool=None) -> list[tuple[Extraction, pa.Table]]:
    """(Extraction, its one-row Arrow table) per article."""
    if not articles:
        return []
    if pool is not None:  # another engine's workers (Dask): the same chunks, the same function
        n = pool.workers()
    else:
        n = resolve_workers(workers, len(articles))
        if n <= 1:
            results, clocks = _extract_timed(load_nlp(model), articles, sentiment_method)
            timing.merge(clocks)
            table = wire.to_table(results)  # once for the batch: the copy cache's rows
            return [(ex, table.slice(i, 1)) for i, ex in enumerate(results)]
        pool = _get_pool(model, n)
    jobs = [pool.submit(_extract_chunk, chunk, sentiment_method, model) for chunk in _chunks(articles, n, last)]
    results: list[tuple[Extraction, pa.Table]] = []
    for job in jobs:
        data, clocks = job.result()
        table = wire.read_table(data)  # WireError: a worker on another wire version or other records
        results.extend(zip(wire.from_table(table), (table.slice(i, 1) for i in range(table.num_rows))))
        timing.merge(clocks)
    if len(results) != len(articles):  # a worker that died must never shorten the batch
        raise RuntimeError(f"NLP workers returned {len(results)} results for {len(articles)} articles")
    return results


def _chunks(items: list[Article], workers: int, last: bool = False) -> list[list[Article]]:
    """Contiguous chunks of CHUNK_ARTICLES; with last (the run's last batch), its last few
    articles in chunks of TAIL_ARTICLES, so the workers finish within a small chunk of each
    other instead of one idling through the other's last big chunk. Only there: small chunks
    cost spaCy more per article (docs/performance.md, item 17)."""
    size = max(1, min(CHUNK_ARTICLES, -(-len(items) // workers)))
    tail = TAIL_CHUNKS * workers * TAIL_ARTICLES if last and size > TAIL_ARTICLES else 0
    cut = max(0, len(items) - tail)
    return ([items[i:min(i + size, cut)] for i in range(0, cut, size)]
            + [items[i:i + TAIL_ARTICLES] for i in range(cut, len(items), TAIL_ARTICLES)])


def _get_pool(model: str, workers: int):
    """The local mode's pool (presswatch.extract.dask_worker.LocalPool), started on first use."""
    global _pool, _pool_key
    with _pool_lock:
        if _pool is None or _pool_key != (model, workers):
            shutdown_pool()
            # Imported here: a run that stays in-process never imports dask and distributed.
            from presswatch.extract.dask_worker import LocalPool

            _pool = LocalPool(model, workers, _context(model).get_start_method())
            _pool_key = (model, workers)
        return _pool


# Env var naming the model the fork server loads before it forks any worker.
PRELOAD_ENV = "PRESSWATCH_PRELOAD_MODEL"


def _context(model: str):
    """A forkserver context whose server has imported spaCy and loaded `model`.

    Not fork: forking this process, which runs Prefect's threads and event loop, is unsafe.
    Not spawn: each spawned worker would import spaCy and load the model itself, all at the
    head of a run, on cores the other worker and the reading also want.
    The fork server is a fresh single-threaded interpreter: it loads the model once and every
    worker is forked from it with the model in place (its pages shared until written).
    The server is started once per process; a later pool with another model loads that model
    in its workers (dask_worker.NLPWorkerPlugin)."""
    if "forkserver" not in mp.get_all_start_methods():  # Windows has no fork server
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    os.environ.setdefault(PRELOAD_ENV, model)  # read by the server when it starts (once)
    ctx.set_forkserver_preload(["presswatch.extract.preload"])
    return ctx


def start_fork_server(model: str, workers: int = AUTO, expected_articles: int = 0) -> bool:
    """Start the fork server now, so spaCy and the model load in its process while the caller
    does something else; only when the run is expected to use worker processes. Returns whether
    it started. Without it, the first pool starts the fork server itself."""
    if resolve_workers(workers, expected_articles) <= 1:
        return False
    if _context(model).get_start_method() != "forkserver":
        return False
    from multiprocessing import forkserver

    forkserver.ensure_running()  # launches the server and returns; the server loads the model
    return True


def fork_server_pid() -> int | None:
    """The fork server's PID (its CPU and memory are the workers' start-up)."""
    from multiprocessing import forkserver

    return getattr(forkserver._forkserver, "_forkserver_pid", None)


def start_pool(model: str, workers: int, n_articles: int) -> int:
    """Start the worker pool (and its model loads) in a background thread, if a run of
    n_articles will use it, so the start overlaps the reading; returns the number of workers."""
    global _starting
    n = resolve_workers(workers, n_articles)
    if n > 1:
        _starting = key = (model, n)
        # A thread: the first pool starts the fork server and waits for its model load.
        threading.Thread(target=_start_pool, args=(model, n, _generation, key), daemon=True,
                         name="presswatch-nlp-warm-up").start()
    return n


def _start_pool(model: str, workers: int, generation: int, key: tuple[str, int] | None = None) -> None:
    global _starting
    with _pool_lock:
        try:
            if generation != _generation:  # the pool was shut down meanwhile
                return
            _get_pool(model, workers)  # returns once every worker has run the plugin (model loaded)
        finally:
            if _starting is key:  # not a later warm-up's mark
                _starting = None


def pool_pids() -> list[int]:
    """PIDs of the live NLP worker processes and of the fork server they came from (for CPU
    and peak-RSS accounting)."""
    procs = _pool.pids() if _pool is not None else []
    server = fork_server_pid()
    return procs + [server] if server else procs


def shutdown_pool() -> None:
    global _pool, _pool_key, _generation
    with _pool_lock:
        _generation += 1
        if _pool is not None:
            _pool.shutdown()  # cancels what is queued; waits for the workers to end
        _pool, _pool_key = None, None


def _extract_chunk(articles: list[Article], sentiment_method: str | None, model: str) -> tuple[bytes, dict]:
    """In a worker: the chunk's Extractions as one Arrow IPC stream (presswatch/extract/wire.py),
    a batch a loader on another machine reads as it is, and its clocks."""
    checkpoint("extract-chunk")  # a test pauses (and kills) a worker here
    results, clocks = _extract_timed(load_nlp(model), articles, sentiment_method)
    return wire.encode(results), clocks


class _TimedPipe:
    """The Language, with the time spent inside nlp.pipe counted apart from the extraction."""

    def __init__(self, nlp) -> None:
        self._nlp = nlp
        self.wall = self.cpu = 0.0

    def pipe(self, texts, **kwargs):
        docs = iter(self._nlp.pipe(texts, **kwargs))
        while True:
            wall, cpu = time.perf_counter(), time.thread_time()
            doc = next(docs, None)
            self.wall += time.perf_counter() - wall
            self.cpu += time.thread_time() - cpu
            if doc is None:
                return
            yield doc

    def __getattr__(self, name: str):
        return getattr(self._nlp, name)


def _extract_timed(nlp, articles: list[Article],
                   sentiment_method: str | None = None) -> tuple[list[Extraction], dict]:
    """Extractions and the clocks {stage: (wall, cpu, calls)} of nlp.pipe, of the extraction
    and of the sentiment scoring."""
    timed = _TimedPipe(nlp)
    wall, cpu = time.perf_counter(), time.thread_time()
    results = _extract_isolating(timed, articles)
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    clocks = {"spacy": (timed.wall, timed.cpu, 1),
              "extract": (wall - timed.wall, cpu - timed.cpu, 1)}
    if sentiment_method is not None:
        from presswatch.sentiment import score as sentiment

        wall, cpu = time.perf_counter(), time.thread_time()
        isolate("sentiment", lambda arts, exs: sentiment.score_batch(arts, exs, sentiment_method),
                articles, results)
        clocks["sentiment"] = (time.perf_counter() - wall, time.thread_time() - cpu, 1)
    return results, clocks
