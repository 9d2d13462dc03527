"""The transformer target-sentiment method: input preparation (no torch needed), the clear error
when the optional extra is missing, and the shipped model's behaviour (skipped without torch)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from presswatch.sentiment import score
from presswatch.sentiment import transformer as tm

needs_model = pytest.mark.skipif(
    not (tm.available() and tm.WEIGHTS_PATH.exists()),
    reason="torch (pip install 'presswatch[transformer]') or presswatch/data/transformer_sentiment.npz missing",
)


def test_short_sentence_is_kept_whole():
    s = "Biden praised Merkel."
    assert tm.window(s, 14, 20) == (s, 14, 20)


def test_long_sentence_is_cut_around_the_target():
    s = " ".join(f"word{i}" for i in range(200)) + " Angela Merkel " + " ".join(f"w{i}" for i in range(200))
    start = s.index("Angela")
    text, a, b = tm.window(s, start, start + len("Angela Merkel"))
    assert len(text) <= tm.MAX_CHARS
    assert text[a:b] == "Angela Merkel"
    assert not text.startswith(" ") and not text.endswith(" ")  # cut at spaces, not inside words


def test_targets_of_one_sentence_share_one_text():
    s = "Biden praised Merkel."
    enc = tm.group_targets([(s, 0, 5), (s, 14, 20), ("Another one.", 0, 7)])
    assert enc.texts == [s, "Another one."]
    assert enc.text_of == [0, 0, 1]
    assert enc.spans == [(0, 5), (14, 20), (0, 7)]


def test_bad_span_is_a_clear_error():
    with pytest.raises(ValueError, match="outside its sentence"):
        tm.group_targets([("Short.", 3, 40)])


def test_target_token_mask_marks_overlapping_pieces():
    offsets = [(0, 0), (0, 5), (6, 13), (14, 20), (20, 21), (0, 0)]  # [CLS] Biden praised Merkel . [SEP]
    assert tm.target_token_mask(offsets, (14, 20)).tolist() == [0, 0, 0, 1, 0, 0]
    assert tm.target_token_mask(offsets, (0, 13)).tolist() == [0, 1, 1, 0, 0, 0]


def test_missing_torch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch -> ImportError
    tm.load_model.cache_clear()
    with pytest.raises(tm.MissingTransformerExtra, match=r"presswatch\[transformer\]"):
        score.target_scorer("transformer")
    tm.load_model.cache_clear()


def test_unknown_method_lists_the_optional_one():
    with pytest.raises(ValueError, match="transformer"):
        score.target_scorer("bert")


@needs_model
def test_predict_gives_probabilities_and_labels():
    items = [("The senator slammed Trump over the disastrous failure.", 20, 25),
             ("Merkel won praise for her brilliant, generous leadership.", 0, 6),
             ("Macron will visit Berlin on Tuesday.", 0, 6)]
    p, labels = tm.predict(items)
    assert p.shape == (3, 3)
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert labels[0] == "negative" and labels[1] == "positive"


@needs_model
def test_batching_does_not_change_a_target_score():
    s = "Critics accused Johnson of lying, while Starmer was praised for his honesty."
    a = (s, s.index("Johnson"), s.index("Johnson") + 7)
    b = (s, s.index("Starmer"), s.index("Starmer") + 7)
    alone = tm.load_model().predict([a])
    together = tm.load_model().predict([("An unrelated, much longer sentence about the weather in Leeds today.", 3, 12),
                                        b, a])
    assert np.allclose(alone[0], together[2], atol=1e-4)
    # One sentence, two targets: the target vector makes their scores differ.
    assert not np.allclose(together[1], together[2], atol=1e-2)


@needs_model
def test_score_dispatch_uses_the_transformer():
    used, proba, scorer = score.target_scorer("transformer")
    items = [("Merkel won praise for her brilliant, generous leadership.", 0, 6)]
    assert used == "transformer"
    p = proba(items)
    assert scorer(items) == pytest.approx([p[0, 2] - p[0, 0]])
    lo, hi = score.document_thresholds("transformer")
    assert -1.0 <= lo <= hi <= 1.0


@needs_model
def test_score_extraction_with_the_transformer_fills_mentions():
    from presswatch.records import Article, Extraction, Mention, Sentence

    body = "Acme reported record profits. Police arrested the Acme boss after a deadly fraud."
    s2 = body.index("Police")
    art = Article(title="t", body=body)
    second = body.index("Acme", 5)
    ex = Extraction(article_id=art.article_id, sentences=[Sentence(0, 0, s2 - 1), Sentence(1, s2, len(body))],
                    mentions=[Mention("Acme", "ORG", 0, 0, 4), Mention("Acme", "ORG", 1, second, second + 4)])
    score.score_extraction(art, ex, "transformer")
    assert ex.sentiment_method == "transformer"
    assert all(-1.0 <= m.sentiment <= 1.0 for m in ex.mentions)
    assert ex.mentions[0].sentiment > ex.mentions[1].sentiment  # record profits vs arrested for fraud


def test_blend_pools_the_two_models_in_log_space():
    own = np.array([[0.45, 0.50, 0.05], [0.1, 0.2, 0.7]])
    linear = np.array([[0.90, 0.05, 0.05], [0.2, 0.6, 0.2]])
    p = tm.blend(own, linear, 0.5)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0].argmax() == 0  # a close call for the network, a clear one for the linear model: it settles it
    assert p[1].argmax() == 2  # a clear call for the network stays
    expected = own[0] * np.sqrt(linear[0])
    assert np.allclose(p[0], expected / expected.sum())
    assert np.allclose(tm.blend(own, linear, 0.0), own)


def test_a_blending_file_without_its_linear_model_is_a_clear_error():
    with pytest.raises(ValueError, match="no linear classifier"):
        tm.TransformerTargetModel(None, None, {"linear_weight": 0.5})


@needs_model
def test_the_shipped_model_blends_in_the_shipped_linear_model():
    from presswatch.sentiment.classifier import TargetClassifier

    model = tm.load_model()
    assert model.linear_weight > 0 and isinstance(model.partner, TargetClassifier)
    assert model.partner is score.load_classifier()  # one copy a process, shared with the default method
    items = [("The senator slammed Trump over the disastrous failure.", 20, 25),
             ("Macron will visit Berlin on Tuesday.", 0, 6)]
    want = tm.blend(model.own_probs(items), model.partner.score_targets(items), model.linear_weight)
    assert np.allclose(model.predict(items), want)
