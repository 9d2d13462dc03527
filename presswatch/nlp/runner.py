"""Where the NLP stage runs: in this process, or in a pool whose workers load the model once.

spaCy's own n_process workers exit uncleanly inside a Prefect task (warning W127), so the
parallel path is a plain process pool: each worker loads the model in its initializer and
keeps it for every batch it is given; the pool itself lives as long as this process.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

from presswatch.faults import checkpoint, describe
from presswatch.models import Article, Extraction
from presswatch.nlp.extract import extract_articles
from presswatch.nlp.model import load_nlp

# Longest body the NLP stage takes (spaCy's default nlp.max_length); longer ones are quarantined.
MAX_NLP_CHARS = 1_000_000
# Languages the English pipeline runs on; "und" (too short or odd to tell) gets the benefit of the doubt.
NLP_LANGUAGES = (None, "en", "und")

_pool: ProcessPoolExecutor | None = None
_pool_key: tuple[str, int] | None = None
_worker_model: str | None = None


def extract_all(articles: list[Article], *, model: str, workers: int = 0) -> list[Extraction]:
    """One Extraction per article, in order. One bad article never fails the batch: its
    Extraction has `error` set (too long, or the NLP raised on it) and its file is quarantined.
    Articles in another language get an empty Extraction: no English NER on French text."""
    if not articles:
        return []
    checkpoint("nlp")
    done = [_precheck(a) for a in articles]
    todo = [i for i, ex in enumerate(done) if ex is None]
    for i, ex in zip(todo, _extract_all([articles[i] for i in todo], model=model, workers=workers), strict=True):
        done[i] = ex
    return done


def _precheck(article: Article) -> Extraction | None:
    if len(article.body) > MAX_NLP_CHARS:
        return Extraction(article_id=article.article_id, error=(
            f"article too long for NLP: {len(article.body):,} chars > limit {MAX_NLP_CHARS:,}"))
    if article.language not in NLP_LANGUAGES:
        return Extraction(article_id=article.article_id)
    return None


def _extract_isolating(nlp, articles: list[Article]) -> list[Extraction]:
    """nlp.pipe over the batch; if that raises, article by article so only the culprit fails."""
    try:
        return extract_articles(nlp, articles)
    except Exception:  # noqa: BLE001 - isolated below
        pass
    out = []
    for article in articles:
        try:
            out.extend(extract_articles(nlp, [article]))
        except Exception as exc:  # noqa: BLE001 - recorded as the file's quarantine reason
            out.append(Extraction(article_id=article.article_id, error=f"nlp failed: {describe(exc)}"))
    return out


def _extract_all(articles: list[Article], *, model: str, workers: int) -> list[Extraction]:
    if not articles:
        return []
    if workers <= 1 or len(articles) < 2 * workers:
        return _extract_isolating(load_nlp(model), articles)
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
    return _extract_isolating(load_nlp(_worker_model or ""), articles)
