"""The sentiment classifier: training loop, inference and its file."""

import numpy as np

from presswatch.sentiment.classifier import LABELS, TargetClassifier
from presswatch.sentiment.features import featurize


def test_roundtrip_and_training_loop(tmp_path):
    items = [("Critics slammed Acme for fraud.", 16, 20), ("Fans cheered Acme's great win.", 13, 17),
             ("Acme met on Tuesday.", 0, 4)] * 5
    y = np.array([0, 2, 1] * 5)
    m = TargetClassifier.fit(featurize(items), y, min_count=1, epochs=20, lr=0.05)
    m.thresholds = {"target": (-0.2, 0.2)}
    m.save(tmp_path / "m.npz")
    m2 = TargetClassifier.load(tmp_path / "m.npz")
    assert m2.thresholds["target"] == (-0.2, 0.2)
    assert [LABELS[k] for k in m2.score_targets(items[:3]).argmax(1)] == ["negative", "positive", "neutral"]
    assert np.allclose(m.score_targets(items[:3]), m2.score_targets(items[:3]), atol=1e-4)
    assert m2.score_targets([]).shape == (0, 3)


def test_score_targets_is_proba_of_the_features_bit_for_bit(eval_data):
    """score_targets goes through feature ids: the shipped model's probabilities on real NewsMTSC
    train sentences equal proba(featurize(items)) exactly, in one call or several."""
    from presswatch.evaluation.newsmtsc import read_newsmtsc
    from presswatch.sentiment.score import load_classifier

    m = load_classifier()
    items = [(t.sentence, t.start, t.end) for t in read_newsmtsc(eval_data / "newsmtsc" / "train.jsonl")][:2000]
    expected = m.proba(featurize(items))
    assert m.score_targets(items).tobytes() == expected.tobytes()
    parts = np.concatenate([m.score_targets(items[k : k + 7]) for k in range(0, len(items), 7)])
    assert parts.tobytes() == expected.tobytes()
