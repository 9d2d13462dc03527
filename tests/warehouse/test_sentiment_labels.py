"""Issue 15 in the warehouse: stored classes, mention_refs, entity_stance read by the view."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import (Article, EntityStance, Extraction, Mention, MentionRef, Quote, Sentence,
                                Tone)
from warehouse.db import migrate
from warehouse.load import load_batch

NOW = datetime(2024, 1, 1, 12, 0)
BODY = "Blinken praised the deal. He said it was good. Democrats objected."


def _pair(stances=None):
    art = Article(title="T", body=BODY, published_at=date(2023, 10, 12), language="en",
                  source_path="a.txt", file_sha256="s1")
    ex = Extraction(
        article_id=art.article_id,
        sentences=[Sentence(0, 0, 25, 0.5, "positive")],
        mentions=[Mention("Blinken", "PERSON", 0, 0, 7, canonical="Antony Blinken", entity_label="PERSON",
                          sentiment=0.6, sentiment_label="positive")],
        quotes=[Quote(0, "it was good", "Antony Blinken", "said", 34, 45, speaker_label="PERSON",
                      sentiment=0.4, sentiment_label="positive")],
        refs=[MentionRef("pronoun", "He", 0, 26, 28, "Antony Blinken", "PERSON", 0.3, "positive"),
              MentionRef("group", "Democrats", 0, 47, 56, "Democrats", "NORP", -0.4, "negative")],
        stances=stances if stances is not None else [EntityStance("Antony Blinken", "PERSON", -0.2, "negative", 2)],
        tone=Tone(1.0, 2.0, 1.0, 3.0, 0.0, 0.0, 12), sentiment_method="model")
    return art, ex


def _load(con, pair):
    art, _ = pair
    outcome = FileOutcome(FileRef(Path("a.txt"), 10, 1, "s1"), articles=[art])
    frames = to_frames([pair], flow_run_id="r", ingested_at=NOW)
    load_batch(con, [outcome], frames, flow_run_id="r", seen_at=NOW)


@pytest.fixture()
def con():
    c = duckdb.connect(":memory:")
    migrate(c)
    return c


def test_classes_refs_and_stance_are_stored(con):
    _load(con, _pair())
    assert con.sql("select sentiment_label from mentions").fetchall() == [("positive",)]
    assert con.sql("select sentiment_label from quotes").fetchall() == [("positive",)]
    assert con.sql("select sentiment_label from sentences").fetchall() == [("positive",)]
    refs = con.sql("select r.kind, e.name, r.sentiment_label from mention_refs r join entities e using (entity_id) "
                   "order by r.start_char").fetchall()
    assert refs == [("pronoun", "Antony Blinken", "positive"), ("group", "Democrats", "negative")]
    # references are not mentions: the entity's mention count is unchanged
    assert con.sql("select count(*) from mentions").fetchone() == (1,)


def test_view_reads_the_stored_stance(con):
    _load(con, _pair())
    row = con.sql("select name, sentiment, stance_score, avg_sentiment from entity_article_sentiment").fetchall()
    # the mean mention score (0.6) would class positive by thresholds; the stored stance wins
    assert row == [("Antony Blinken", "negative", -0.2, 0.6)]


def test_rows_without_a_stance_keep_the_threshold_class(con):
    _load(con, _pair(stances=[]))
    assert con.sql("select sentiment, stance_score from entity_article_sentiment").fetchall() == [("positive", None)]


def test_a_stance_for_an_unknown_entity_is_an_error():
    pair = _pair(stances=[EntityStance("Nobody", "PERSON", 0.0, "neutral", 1)])
    with pytest.raises(ValueError, match="Nobody"):
        to_frames([pair], flow_run_id="r", ingested_at=NOW)
