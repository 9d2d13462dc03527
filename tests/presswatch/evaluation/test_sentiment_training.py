"""The threshold and F1 routines shared by training and evaluation, on tiny hand-made data."""

import numpy as np
import pytest

from presswatch.evaluation.sentiment_training import (
    balanced_weights,
    choose_thresholds,
    macro_f1,
    pseudo_documents,
    to_classes,
)
from presswatch.evaluation.newsmtsc import Target


def test_macro_f1():
    y = np.array([0, 1, 2, 2])
    assert macro_f1(y, y) == 100.0
    assert macro_f1(y, np.array([0, 1, 2, 1])) == pytest.approx(100 * (1 + 2 / 3 + 2 / 3) / 3)
    assert macro_f1(y, np.array([1, 1, 1, 1])) == pytest.approx(100 * (2 / 5) / 3)


def test_balanced_weights_make_classes_weigh_the_same():
    y = np.array([0, 0, 0, 1, 2])
    w = balanced_weights(y)
    assert [w[y == c].sum() for c in range(3)] == pytest.approx([1.0, 1.0, 1.0])


def test_choose_thresholds_separates_the_classes():
    scores = np.array([-0.9, -0.7, -0.05, 0.0, 0.05, 0.6, 0.8])
    y = np.array([0, 0, 1, 1, 1, 2, 2])
    lo, hi = choose_thresholds(scores, y)
    assert (to_classes(scores, (lo, hi)) == y).all()
    assert lo <= hi


def test_pseudo_documents_take_the_majority_label_and_the_mean():
    t = [Target("s", 0, 1, label, group, "X") for label, group in ((0, "a"), (0, "a"), (2, "a"), (0, "b"), (2, "b"))]
    scores, labels = pseudo_documents(t, np.array([-0.5, -0.3, 0.2, -0.1, 0.4]))
    assert scores.tolist() == pytest.approx([-0.2, 0.15])
    assert labels.tolist() == [0, 1]  # "b" is a tie: neutral
