"""The cross-encoder's labels for the default attribution scorer: the unlabelled news it reads and
the teacher's probabilities (the real run is `presswatch train quotes`; docs/quotes.md session 25)."""

import json
import math

import pytest

from presswatch.evaluation import quote_distillation as qd


def test_unlabelled_texts_are_bbc_and_the_longer_reuters_bodies(tmp_path):
    sport = tmp_path / "bbc_news" / "bbc" / "sport"
    sport.mkdir(parents=True)
    (sport / "001.txt").write_bytes("Title\n\nCaf\xe9 owner said it.".encode("latin-1"))  # the one latin-1 file
    (tmp_path / "reuters21578").mkdir()
    long_body = " ".join(["word"] * qd.REUTERS_MIN_WORDS)
    items = [{"newid": 1, "title": "LONG", "body": long_body}, {"newid": 2, "title": "SHORT", "body": "Two words"},
             {"newid": 3, "title": "NONE", "body": None}]
    (tmp_path / "reuters21578" / "reuters21578_docs.jsonl").write_text("\n".join(json.dumps(i) for i in items))
    texts = qd.unlabelled_texts(tmp_path)
    assert texts == ["Title\n\nCaf\xe9 owner said it.", "LONG\n\n" + long_body]


def test_unlabelled_texts_missing_names_the_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="bbc_news/bbc"):
        qd.unlabelled_texts(tmp_path)


def test_teacher_probabilities_are_the_transformer_method_s_blend(nlp):
    pytest.importorskip("torch")
    from presswatch.evaluation.quote_training import unlabelled_rows
    from presswatch.extract.quote_transformer import blend, load_transformer_scorer

    text = ("Senator Maria Olsen said the bridge would cost twice the first estimate. "
            "The report shows a deficit of ten million.")
    rows = unlabelled_rows(nlp, [text])
    assert rows and all(isinstance(pair, tuple) and len(pair) == 2 for _, pair in rows)
    p = blend(*qd.teacher_logits(rows))  # the soft labels presswatch train quotes fits the linear part on
    method = load_transformer_scorer()
    lo, hi = method.clip
    for (feats, pair), got in zip(rows, p):
        z = method.logit(feats) + min(max(method.logit_fn(pair), lo), hi)
        assert got == pytest.approx(1 / (1 + math.exp(-z / 2)), abs=1e-4)  # batched vs one pair at a time
