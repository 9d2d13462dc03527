"""Settling articles whose extraction failed: quarantines and problems, never a lost record."""

from __future__ import annotations

from pathlib import Path

from presswatch.discover.folder import FileRef
from presswatch.load import settle_failures
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction


def _art(body: str, idx: int = 0) -> Article:
    return Article(title=None, body=body, record_idx=idx)


def test_settle_failures_quarantines_a_file_whose_only_article_failed():
    ok, bad = FileOutcome(FileRef(Path("a.txt"), 1, 1, "h1"), [_art("one")]), \
        FileOutcome(FileRef(Path("b.txt"), 1, 1, "h2"), [_art("two")])
    exs = [Extraction("id1"), Extraction("id2", error="nlp failed: ValueError: boom")]
    settled, kept = settle_failures([ok, bad], exs)
    assert settled[0] is ok and kept == [exs[0]]
    assert settled[1].error == "nlp failed: ValueError: boom" and settled[1].articles == []


def test_settle_failures_keeps_the_good_records_of_a_multi_article_file():
    feed = FileOutcome(FileRef(Path("f.jsonl"), 1, 1, "h"), [_art("a", 0), _art("b", 1), _art("c", 2)],
                       problems=["line 9: invalid JSON"])
    exs = [Extraction("a"), Extraction("b", error="article too long for NLP: 2 chars > limit 1"), Extraction("c")]
    [settled], kept = settle_failures([feed], exs)
    assert [a.body for a in settled.articles] == ["a", "c"] and kept == [exs[0], exs[2]]
    assert settled.error is None
    assert settled.problems == ["line 9: invalid JSON", "record 2: article too long for NLP: 2 chars > limit 1"]
