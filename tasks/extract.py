from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from presswatch.records import Article, Extraction
from presswatch import warmup
from presswatch.extract.workers import extract_all


# No timeout: Prefect cannot interrupt a task submitted to a thread, only warn; the pool checks its counts.
# No tags: a tagged task run first waits on the server for tag concurrency slots (docs/decisions.md).
@task(name="extract", cache_policy=NONE)
def extract_batch(articles: list[Article], model: str, workers: int,
                  sentiment_method: str | None = None, last: bool = False, pool=None) -> list[Extraction]:
    """spaCy over the batch, then entities, quotes, amounts, dates and themes; with
    sentiment_method, sentiment too, in the same NLP worker processes (docs/performance.md).
    last: the run's last batch (cut finer at its end, so the workers finish together).
    pool: a Dask cluster's workers instead of the home pool (presswatch.extract.dask_worker.DaskPool)."""
    return extract_all(articles, model=model, workers=workers, sentiment_method=sentiment_method,
                       last=last, pool=pool)


# No tags: see above.
@task(name="warm-up", cache_policy=NONE, timeout_seconds=120)
def warm_up(model: str, workers: int, files: int) -> int:
    """Start the language identifier and the NLP worker processes (their model loads) in the
    background, so they load while the first batch is read. Returns the workers started."""
    return warmup.warm_up(model, workers, files, start_workers=True)
