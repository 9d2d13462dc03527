from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch import sentiment
from presswatch.faults import isolate
from presswatch.models import Article, Extraction
from presswatch.timing import stage


@task(name="sentiment", cache_policy=NONE, timeout_seconds=1800, tags=["cpu"])
def score_batch(articles: list[Article], extractions: list[Extraction], method: str) -> list[Extraction]:
    """Sentence, quote, entity and document scores, filled into the extractions (an article
    the scorer fails on gets Extraction.error, and its file is quarantined)."""
    with stage("sentiment"):
        isolate("sentiment", lambda arts, exs: sentiment.score_batch(arts, exs, method), articles, extractions)
    return extractions
