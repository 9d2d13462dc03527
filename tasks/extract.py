from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.models import Article, Extraction
from presswatch.nlp.runner import extract_all, warm_up


@task(name="nlp-extract", cache_policy=NONE, timeout_seconds=3600, tags=["cpu", "nlp"])
def extract_batch(articles: list[Article], model: str, workers: int,
                  sentiment_method: str | None = None) -> list[Extraction]:
    """spaCy over the batch, then entities, quotes, amounts, dates and themes; with
    sentiment_method, sentiment too, in the same NLP worker processes (docs/performance.md)."""
    return extract_all(articles, model=model, workers=workers, sentiment_method=sentiment_method)


@task(name="nlp-workers", cache_policy=NONE, timeout_seconds=120, tags=["cpu", "nlp"])
def start_nlp_workers(model: str, workers: int, files: int) -> int:
    """Start the NLP worker processes (their model loads) in the background, if the run will
    use them, so the load overlaps the reading of the first batch. Returns their number."""
    return warm_up(model, workers, files)
