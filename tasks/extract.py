from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.models import Article, Extraction
from presswatch.nlp.runner import extract_all


@task(name="nlp-extract", cache_policy=NONE, timeout_seconds=3600, tags=["cpu", "nlp"])
def extract_batch(articles: list[Article], model: str, workers: int) -> list[Extraction]:
    """spaCy over the batch, then entities, quotes, amounts, dates and themes."""
    return extract_all(articles, model=model, workers=workers)
