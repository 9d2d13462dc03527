"""The default method's router: the linear model's close calls scored again by the int8 ONNX copy
of the MiniLM transformer network (presswatch/sentiment/router.py)."""

import hashlib

import numpy as np
import pytest

from presswatch.sentiment import transformer as tm
from presswatch.sentiment.router import ROUTER_PATH, SentimentRouter, load_router
from presswatch.sentiment.score import load_classifier, model_probs

ITEMS = [
    ("The senator praised the plan on Monday.", 4, 11),
    ("Critics said the minister had lied to parliament and should resign.", 16, 24),
    ("The company will report its results on Thursday.", 4, 11),
]


def test_the_shipped_router_is_the_shipped_network():
    router = load_router()
    assert router is not None and ROUTER_PATH.is_file()
    assert 0.0 < router.margin < 0.5 and router.linear_weight == 0.5
    # a retrained MiniLM network must be exported again (sentiment_router_training)
    assert router.settings["network"] == tm.MINILM_WEIGHTS_PATH.name
    assert router.settings["network_sha256"] == hashlib.sha256(tm.MINILM_WEIGHTS_PATH.read_bytes()).hexdigest()


def test_only_close_calls_change():
    router = load_router()
    p_linear = np.array([[0.34, 0.33, 0.33], [0.90, 0.05, 0.05], [0.30, 0.31, 0.39]])
    routed = router.route(ITEMS, p_linear)
    assert router.close_calls(p_linear).tolist() == [0]  # 0.01 apart; the others 0.85 and 0.08
    assert np.array_equal(routed[1:], p_linear[1:])
    assert not np.allclose(routed[0], p_linear[0])
    assert routed.sum(axis=1) == pytest.approx(np.ones(3))


def test_the_network_reads_the_target():
    p = load_router().own_probs(ITEMS)
    assert p.shape == (3, 3) and p.sum(axis=1) == pytest.approx(np.ones(3))
    assert p[0].argmax() == 2 and p[1].argmax() == 0  # praised senator, resigning minister


def test_default_probabilities_are_the_linear_ones_but_for_close_calls():
    p_linear = load_classifier().score_targets(ITEMS)
    close = set(load_router().close_calls(p_linear).tolist())
    p = model_probs(ITEMS)
    for i in range(len(ITEMS)):
        assert np.array_equal(p[i], p_linear[i]) == (i not in close)


def test_missing_files_name_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="sentiment_router_training"):
        SentimentRouter(tmp_path / "sentiment_router.onnx")


@pytest.mark.quality
@pytest.mark.skipif(not tm.available(), reason="torch (the transformer extra) missing")
def test_int8_graph_agrees_with_the_torch_network(eval_data):
    from presswatch.evaluation.newsmtsc import read_newsmtsc

    items = [(t.sentence, t.start, t.end) for t in read_newsmtsc(eval_data / "newsmtsc" / "devtest_mt.jsonl")][:200]
    onnx = load_router().own_probs(items)
    torch_p = tm.TransformerTargetModel.load(tm.MINILM_WEIGHTS_PATH).own_probs(items)
    # measured: 97.8% of held-out train targets in the same class (per-tensor int8: 94.2%)
    assert float((onnx.argmax(1) == torch_p.argmax(1)).mean()) >= 0.95
