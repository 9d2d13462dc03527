"""The NewsMTSC and PerSenT readers and the rough helpers, on tiny hand-made data."""

import json

from presswatch.evaluation.newsmtsc import find_target, read_newsmtsc, read_persent, split_sentences


def test_read_newsmtsc(tmp_path):
    rec = {"primary_gid": "allsides_12_3_x_y", "sentence_normalized": "Critics slammed Acme.",
           "targets": [{"Input.gid": "allsides_12_3_x_Acme_y_z", "from": 16, "to": 20,
                        "mention": "Acme", "polarity": 2.0}]}
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    (t,) = read_newsmtsc(path)
    assert (t.sentence[t.start:t.end], t.label, t.group, t.entity) == ("Acme", 0, "allsides_12_3", "Acme")


def test_read_persent(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('DOCUMENT,TARGET_ENTITY,TRUE_SENTIMENT\n"Ann won. She smiled.",Ann,Positive\n')
    (d,) = read_persent(path)
    assert (d.text, d.target, d.label) == ("Ann won. She smiled.", "Ann", 2)


def test_split_sentences_and_find_target():
    text = "Phil Mickelson won. Mickelson smiled.\nThe crowd cheered."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Phil Mickelson won.", "Mickelson smiled.", "The crowd cheered."]
    assert [text[s:e] for s, e in find_target(text, "Phil Mickelson")] == ["Phil Mickelson", "Mickelson"]
