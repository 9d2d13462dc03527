"""The pieces of `presswatch train quotes` on small invented data (the real training run is
the command; its figures are in docs/quotes.md)."""

import json

import numpy as np

from presswatch.evaluation.quote_training import (MIN_ACCEPTED, choose_rule_threshold, choose_threshold, fit,
                                                  probabilities)


def test_fit_learns_which_features_mark_an_attribution():
    rows = [["v=wants", "subj=PERSON"]] * 40 + [["v=wants", "subj=noun"]] * 40
    y = np.array([1.0] * 40 + [0.0] * 40)
    vocab = {"v=wants": 0, "subj=PERSON": 1, "subj=noun": 2}
    w, b = fit(rows, y, vocab, l2=1e-3, epochs=300, lr=0.05)
    p = probabilities(rows, vocab, w, b)
    assert p[:40].min() > 0.8 and p[40:].max() < 0.2
    assert w[1] > 0 > w[2]


def test_threshold_is_the_lowest_that_reaches_the_precision():
    # 40 sure candidates right 39 times, 40 doubtful ones right half the time
    p = np.array([0.9] * 40 + [0.5] * 40)
    y = np.array([1] * 39 + [0] + [1, 0] * 20)
    t, precision, accepted = choose_threshold(p, y, target=0.86)
    assert 0.5 < t <= 0.9 and accepted == 40 and precision >= 0.86


def test_threshold_when_nothing_is_precise_enough_accepts_nothing():
    p = np.linspace(0.3, 0.99, 2 * MIN_ACCEPTED)
    y = np.array([1, 0] * MIN_ACCEPTED)
    t, _, accepted = choose_threshold(p, y, target=0.86)
    assert t > 1.0 and accepted == 0


def test_rule_threshold_drops_only_rows_that_are_mostly_wrong():
    # 40 rule rows at p=0.2 right a quarter of the time, 40 at p=0.9 always right
    p = np.array([0.2] * 40 + [0.9] * 40)
    y = np.array([1, 0, 0, 0] * 10 + [1] * 40)
    t, below_precision, dropped = choose_rule_threshold(p, y, ceiling=0.35)
    assert 0.2 < t <= 0.9 and dropped == 40 and below_precision == 0.25


def test_rule_threshold_keeps_every_row_when_the_doubtful_ones_are_right_enough():
    p = np.array([0.2] * 40 + [0.9] * 40)
    y = np.array([1, 0] * 20 + [1] * 40)  # the doubtful rows are right half the time
    assert choose_rule_threshold(p, y, ceiling=0.35) == (0.0, 0.0, 0)


def _attribution(text: str, source: str, cue: str, content: str) -> dict:
    def span(part):
        start = text.index(part)
        return {"spans": [[start, start + len(part)]], "text": part}
    return {"id": "a", "source": [span(source)], "cue": [span(cue)], "content": [span(content)]}


INVENTED = [  # (text, [(source, cue, content)]): invented articles in PolNeAR's format
    ("Senator Maria Olsen said the bridge would cost twice the first estimate. "
     "Tom Reyes wants to build a second bridge over the river.",
     [("Maria Olsen", "said", "the bridge would cost twice the first estimate"),
      ("Tom Reyes", "wants", "to build a second bridge over the river")]),
    ("Governor Ana Ruiz denied that the budget had been cut. The report shows a deficit of ten million.",
     [("Ana Ruiz", "denied", "that the budget had been cut")]),
]


def test_training_without_the_unlabelled_news_names_what_is_missing(nlp, tmp_path):
    import pytest

    from presswatch.evaluation.quote_encoder_training import train

    (tmp_path / "polnear").mkdir()
    text, attrs = INVENTED[0]
    (tmp_path / "polnear" / "polnear_train.jsonl").write_text(json.dumps(
        {"text": text, "primary_annotation": True, "attributions": [_attribution(text, *a) for a in attrs]}) + "\n")
    with pytest.raises(FileNotFoundError, match="bbc_news.*reuters21578"):
        train(tmp_path, tmp_path / "scorer.json", nlp)


def test_fit_follows_soft_labels_and_row_weights():
    rows = [["a"]] * 10 + [["b"]] * 10
    vocab = {"a": 0, "b": 1}
    y = np.array([0.8] * 10 + [0.2] * 10)  # a teacher's probabilities, not classes
    w, b = fit(rows, y, vocab, l2=0.0, epochs=2000, lr=0.05)
    p = probabilities(rows, vocab, w, b)
    assert abs(p[0] - 0.8) < 0.02 and abs(p[-1] - 0.2) < 0.02
    # The same feature with opposite labels: the heavier rows win.
    rows2, y2 = [["a"]] * 20, np.array([1.0] * 10 + [0.0] * 10)
    w2, b2 = fit(rows2, y2, {"a": 0}, l2=0.0, epochs=2000, lr=0.05, weight=np.array([3.0] * 10 + [1.0] * 10))
    assert abs(probabilities(rows2[:1], {"a": 0}, w2, b2)[0] - 0.75) < 0.02
