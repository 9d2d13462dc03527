"""What the end-to-end evaluation reads back from a warehouse (warehouse/eval_read.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from presswatch.discover.folder import FileRef
from presswatch.load import to_frames
from presswatch.read.batch import FileOutcome
from presswatch.records import Article, Extraction, Mention, Quote
from warehouse.db import migrate
from warehouse.eval_read import quotes_by_file
from warehouse.load import load_batch

BODY = "Minister Ana Ruiz said the new port would open in spring."


def test_quotes_come_back_with_the_speakers_place_in_the_body(tmp_path):
    # The in-process score reads the speaker's own words (here "Ana Ruiz" inside "Minister Ana
    # Ruiz"); the stored row must carry the same offsets, or end to end scores lower (issue 14).
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    migrate(con)
    art = Article(title=None, body=BODY, published_at=date(2024, 3, 1), source_path="x/001.txt",
                  file_sha256="h1")
    start = BODY.index("Ana")
    ex = Extraction(article_id=art.article_id,
                    mentions=[Mention("Ana Ruiz", "PERSON", 0, start, start + 8, canonical="Ana Ruiz",
                                      entity_label="PERSON")],
                    quotes=[Quote(0, "the new port would open in spring", "Ana Ruiz", "said",
                                  BODY.index("the new"), len(BODY) - 1, kind="indirect",
                                  speaker_start=start, speaker_end=start + 8, speaker_label="PERSON"),
                            Quote(1, "the new port would open", "officials", "said", 0, 5, kind="indirect")])
    frames = to_frames([(art, ex)], flow_run_id="r", ingested_at=datetime(2024, 3, 1))
    load_batch(con, [FileOutcome(FileRef(Path("x/001.txt"), 10, 1, "h1"), articles=[art])], frames,
               flow_run_id="r", seen_at=datetime(2024, 3, 1))
    con.close()
    quotes, bodies = quotes_by_file(db)
    first, second = quotes["001.txt"]
    assert bodies["001.txt"] == BODY
    assert BODY[first.speaker_start: first.speaker_end] == "Ana Ruiz"
    assert (first.speaker, first.speaker_label) == ("Ana Ruiz", "PERSON")
    assert (second.speaker_start, second.speaker_end) == (None, None)  # no span known: NULL, not 0
