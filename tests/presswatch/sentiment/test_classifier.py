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
