"""Stored spans mapped back to the gold text (presswatch/evaluation/stored_text.py)."""

from __future__ import annotations

from presswatch.evaluation.stored_text import stored_offsets


def test_stored_spans_map_back_to_the_gold_text_across_rejoined_lines():
    text = "SOCCER - BLAIR WINS .\nLONDON 1996-08-30\nTony  Blair met Bush ."
    body = "LONDON 1996-08-30 Tony Blair met Bush ."  # the reader took line one as the title
    spans = [(body.index("Tony"), body.index("Tony") + 10), (body.index("Bush"), body.index("Bush") + 4), (50, 60)]
    got = stored_offsets(text, body, spans)
    assert text[got[0][0]:got[0][1]] == "Tony  Blair"
    assert text[got[1][0]:got[1][1]] == "Bush"
    assert got[2] is None  # past the end of the stored text
    assert stored_offsets(text, "Another article", spans[:1]) == [None]
