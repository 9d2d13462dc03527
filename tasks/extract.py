from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.records import Article, Extraction
from presswatch.extract.workers import extract_all, warm_up


# No timeout: the flow submits this task to a thread (to overlap NLP with loading), where
# Prefect cannot interrupt it and would only warn on every batch; the pool checks its counts.
# No tags (docs/decisions.md): a tagged task run first asks the server for tag concurrency
# slots, a call that took ~2 s on a busy server at the start and end of every run.
@task(name="extract", cache_policy=NONE)
def extract_batch(articles: list[Article], model: str, workers: int,
                  sentiment_method: str | None = None, last: bool = False) -> list[Extraction]:
    """spaCy over the batch, then entities, quotes, amounts, dates and themes; with
    sentiment_method, sentiment too, in the same NLP worker processes (docs/performance.md).
    last: the run's last batch (cut finer at its end, so the workers finish together)."""
    return extract_all(articles, model=model, workers=workers, sentiment_method=sentiment_method,
                       last=last)


# No tags: see above.
@task(name="nlp-workers", cache_policy=NONE, timeout_seconds=120)
def start_nlp_workers(model: str, workers: int, files: int) -> int:
    """Start the NLP worker processes (their model loads) in the background, if the run will
    use them, so the load overlaps the reading of the first batch. Returns their number."""
    return warm_up(model, workers, files)
