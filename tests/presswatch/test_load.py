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


def test_to_frames_puts_every_field_in_its_named_column():
    """Rows are built as tuples in the schema's column order: each field must land in its column."""
    from datetime import date, datetime

    from presswatch import __version__
    from presswatch.load import entity_id, to_frames
    from presswatch.records import (Amount, DateMention, EntityStance, Mention, MentionRef, Quote, Sentence,
                                    Theme, Tone)

    at = datetime(2024, 3, 1, 12, 0)
    art = Article(title="T", body="Body text.", published_at=date(2024, 3, 1), source="AFP", language="en",
                  url="http://u", source_path="/d/a.txt", file_sha256="sha", record_idx=3, repeated_paragraphs=2,
                  authors="A. Writer", body_is_summary=True, date_source="json", extraction_mode="plain")
    ex = Extraction(
        "aid", sentences=[Sentence(0, 1, 9, 0.25, "positive")],
        mentions=[Mention("Ann", "PERSON", 0, 1, 4, canonical="Ann Lee", entity_label="PERSON", sentiment=0.5,
                          sentiment_label="positive")],
        quotes=[Quote(7, "q", "Ann Lee", "said", 2, 5, kind="mixed", speaker_start=10, speaker_end=13,
                      speaker_label="PERSON", sentiment=-0.1, sentiment_label="neutral", quoted_start=3, quoted_end=4)],
        amounts=[Amount(5.0, "over", "people", "over 5 people", 6, 19)],
        dates=[DateMention("Friday", date(2024, 3, 1), 20, 26)], themes=[Theme("ECON", 4, 0.75)],
        refs=[MentionRef("group", "Democrats", 1, 30, 39, "Democrats", "NORP", -0.2, "negative")],
        stances=[EntityStance("Ann Lee", "PERSON", 0.3, "positive", 2)],
        tone=Tone(1.5, 2.0, 0.5, 2.5, 20.0, 1.0, 42), sentiment_method="model")
    f = to_frames([(art, ex)], flow_run_id="run", ingested_at=at)
    ann, dem = entity_id("Ann Lee", "PERSON"), entity_id("Democrats", "NORP")
    assert f["articles"].to_dicts() == [{
        "article_id": "aid", "title": "T", "published_at": date(2024, 3, 1), "source": "AFP", "language": "en",
        "url": "http://u", "body": "Body text.", "word_count": 42, "tone": 1.5, "positive": 2.0, "negative": 0.5,
        "polarity": 2.5, "activity": 20.0, "self_group": 1.0, "sentiment_method": "model", "repeated_paragraphs": 2,
        "authors": "A. Writer", "body_is_summary": True, "date_source": "json", "extraction_mode": "plain",
        "source_path": "/d/a.txt", "file_sha256": "sha", "record_idx": 3, "flow_run_id": "run", "ingested_at": at,
        "pipeline_version": __version__}]
    assert f["entities"].sort("name").to_dicts() == [{"entity_id": ann, "name": "Ann Lee", "label": "PERSON"},
                                                     {"entity_id": dem, "name": "Democrats", "label": "NORP"}]
    assert f["mentions"].to_dicts() == [{
        "article_id": "aid", "entity_id": ann, "surface": "Ann", "label": "PERSON", "ner_label": "PERSON",
        "sentence_idx": 0, "start_char": 1, "end_char": 4, "sentiment": 0.5, "sentiment_method": "model",
        "sentiment_label": "positive"}]
    assert f["quotes"].to_dicts() == [{
        "article_id": "aid", "quote_idx": 7, "kind": "mixed", "text": "q", "speaker": "Ann Lee",
        "speaker_entity_id": ann, "verb": "said", "start_char": 2, "end_char": 5, "sentiment": -0.1,
        "sentiment_method": "model", "quoted_start": 3, "quoted_end": 4, "sentiment_label": "neutral",
        "speaker_start": 10, "speaker_end": 13}]
    assert f["amounts"].to_dicts() == [{
        "article_id": "aid", "amount_idx": 0, "value": 5.0, "qualifier": "over", "object": "people",
        "surface": "over 5 people", "start_char": 6, "end_char": 19}]
    assert f["sentences"].to_dicts() == [{
        "article_id": "aid", "sentence_idx": 0, "start_char": 1, "end_char": 9, "sentiment": 0.25,
        "sentiment_method": "model", "sentiment_label": "positive"}]
    assert f["mention_refs"].to_dicts() == [{
        "article_id": "aid", "entity_id": dem, "kind": "group", "surface": "Democrats", "sentence_idx": 1,
        "start_char": 30, "end_char": 39, "sentiment": -0.2, "sentiment_label": "negative",
        "sentiment_method": "model"}]
    assert f["entity_stance"].to_dicts() == [{
        "article_id": "aid", "entity_id": ann, "score": 0.3, "stance": "positive", "sentences": 2,
        "sentiment_method": "model"}]
    assert f["date_mentions"].to_dicts() == [{"article_id": "aid", "surface": "Friday", "resolved": date(2024, 3, 1),
                                              "start_char": 20, "end_char": 26}]
    assert f["article_themes"].to_dicts() == [{"article_id": "aid", "theme": "ECON", "hits": 4, "score": 0.75}]
