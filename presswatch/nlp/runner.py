"""Where the NLP stage runs: in this process, or in a pool whose workers load the model once.

spaCy's own n_process workers exit uncleanly inside a Prefect task (warning W127), so the
parallel path is a plain process pool: each worker loads the model in its initializer and
keeps it for every batch it is given; the pool itself lives as long as this process.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

from presswatch.models import Article, Extraction
from presswatch.nlp.extract import extract_articles
from presswatch.nlp.model import load_nlp

_pool: ProcessPoolExecutor | None = None
_pool_key: tuple[str, int] | None = None
_worker_model: str | None = None


def extract_all(articles: list[Article], *, model: str, workers: int = 0) -> list[Extraction]:
    if not articles:
        return []
    if workers <= 1 or len(articles) < 2 * workers:
        return extract_articles(load_nlp(model), articles)
    pool = _get_pool(model, workers)
    chunks = _split(articles, workers * 2)
    results: list[Extraction] = []
    for part in pool.map(_extract_chunk, chunks):
        results.extend(part)
    if len(results) != len(articles):  # a worker that died must never shorten the batch
        raise RuntimeError(f"NLP workers returned {len(results)} results for {len(articles)} articles")
    return results


def _split(items: list[Article], parts: int) -> list[list[Article]]:
    size = -(-len(items) // parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _get_pool(model: str, workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_key
    if _pool is None or _pool_key != (model, workers):
        shutdown_pool()
        # spawn, not fork: forking a process that runs Prefect's threads and event loop is unsafe.
        _pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                                    initializer=_init_worker, initargs=(model,))
        _pool_key = (model, workers)
    return _pool


def shutdown_pool() -> None:
    global _pool, _pool_key
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
    _pool, _pool_key = None, None


def _init_worker(model: str) -> None:
    global _worker_model
    _worker_model = model
    load_nlp(model)


def _extract_chunk(articles: list[Article]) -> list[Extraction]:
    return extract_articles(load_nlp(_worker_model or ""), articles)
