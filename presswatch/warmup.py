"""One warm-up for a run: start loading, in the background, what its first batch would wait for.

Two moments, one function (docs/performance.md, items 12-15):
- before the flow (`presswatch run`, the bench), while Prefect starts its temporary server:
  the NLP fork server, which loads spaCy and the model, and the readers' language identifier;
- inside the flow, right after discovery (every run, served runs included): the language
  identifier, then the worker pool itself, so its start overlaps the reading of the first batch.
"""

from __future__ import annotations

import threading

from presswatch.extract.workers import resolve_workers, start_fork_server, start_pool
from presswatch.read.fields import load_language_identifier


def warm_up(model: str, workers: int, expected_articles: int, *, start_workers: bool) -> int:
    """Start the background loads for a run of about `expected_articles` articles.

    start_workers=False (before the flow): the fork server, if the run is expected to use
    worker processes, then the language identifier in a thread.
    start_workers=True (inside the flow): the language identifier in a thread, then the pool
    in another (it starts the fork server if none runs yet).
    Returns the number of worker processes being started (0: none, the run stays in-process
    or there is no fork server on this platform).
    """
    if start_workers:
        _load_language_identifier()
        n = start_pool(model, workers, expected_articles)
        return n if n > 1 else 0
    started = start_fork_server(model, workers, expected_articles)
    _load_language_identifier()
    return resolve_workers(workers, expected_articles) if started else 0


def _load_language_identifier() -> None:
    # A thread: its load overlaps the workers' start instead of delaying the first read.
    threading.Thread(target=load_language_identifier, name="presswatch-langid-load",
                     daemon=True).start()
