"""Batch isolation: one bad item never takes its batch down; the culprit carries the error."""

from __future__ import annotations

import pytest

from presswatch.faults import describe, isolate, isolated
from presswatch.records import Article, Extraction


def _square_unless_bad(calls: list[list[int]]):
    def run(items: list[int]) -> list[int]:
        calls.append(list(items))
        if any(i < 0 for i in items):
            raise ValueError(f"negative   input\n{items}")
        return [i * i for i in items]
    return run


def test_a_good_batch_runs_once_as_a_whole():
    calls: list[list[int]] = []
    out = isolated("nlp", _square_unless_bad(calls), [1, 2, 3], lambda item, error: error)
    assert out == [1, 4, 9]
    assert calls == [[1, 2, 3]]


def test_the_culprit_gets_the_error_and_the_others_their_results_in_order():
    calls: list[list[int]] = []
    out = isolated("nlp", _square_unless_bad(calls), [2, -1, 3], lambda item, error: (item, error))
    assert out == [4, (-1, "nlp failed: ValueError: negative input [-1]"), 9]
    assert calls == [[2, -1, 3], [2], [-1], [3]]  # the batch, then one item at a time


def test_isolate_sets_the_culprits_error_naming_the_stage_and_skips_failed_articles():
    articles = [Article(None, body) for body in ("good one", "bad one", "good two", "skipped")]
    extractions = [Extraction(article_id=a.article_id) for a in articles]
    extractions[3].error = "nlp failed: earlier"
    seen: list[list[str]] = []

    def score(arts: list[Article], exs: list[Extraction]) -> None:
        seen.append([a.body for a in arts])
        for a, ex in zip(arts, exs, strict=True):
            if a.body.startswith("bad"):
                raise KeyError("no lexicon entry")
            ex.sentiment_method = f"scored {a.body}"

    isolate("sentiment", score, articles, extractions)
    assert seen[0] == ["good one", "bad one", "good two"]  # the failed article is not retried
    assert [ex.error for ex in extractions] == [
        None, "sentiment failed: KeyError: 'no lexicon entry'", None, "nlp failed: earlier"]
    assert [ex.sentiment_method for ex in extractions] == ["scored good one", None, "scored good two", None]


def test_isolate_with_every_article_failed_runs_nothing():
    articles = [Article(None, "text")]
    extractions = [Extraction(article_id=articles[0].article_id, error="too long")]
    isolate("sentiment", lambda arts, exs: pytest.fail("must not run"), articles, extractions)
    assert extractions[0].error == "too long"


def test_describe_is_one_line_and_bounded():
    assert describe(ValueError("a\n  b")) == "ValueError: a b"
    assert describe(RuntimeError()) == "RuntimeError"
    assert len(describe(ValueError("x" * 1000))) == len("ValueError: ") + 300


def test_an_operators_mistake_stops_the_batch_instead_of_quarantining_every_item():
    from presswatch.extract.themes import ThemesFileError

    def run(items):
        raise ThemesFileError("themes file themes.toml: Invalid value (at line 2, column 22)")

    # was: each item failed alone, "nlp failed: TOMLDecodeError ...", and the files stuck in the ledger
    with pytest.raises(ThemesFileError):
        isolated("nlp", run, [1, 2, 3], lambda item, error: error)
