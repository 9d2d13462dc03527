"""The PolNeAR scoring rule of ../shared/eval/README.md on hand-made data."""

import json

import pytest

from presswatch.evaluation import polnear
from presswatch.evaluation.polnear import Gold, covered, score, speaker_right, words
from presswatch.records import Quote


@pytest.mark.parametrize(
    "gold, pred, share",
    [
        ("the plan is dead and buried now", "the plan is dead and buried now", 1.0),
        ("the plan is dead and buried now", "he said the plan is dead", 4 / 7),
        # shared tokens outside runs of three do not count
        ("the plan is dead and buried now", "plan dead buried now", 0.0),
        # a gold shorter than three tokens must be found whole
        ("fair deal", "a fair deal on trade", 1.0),
        ("fair deal", "a fair price", 0.0),
    ],
)
def test_covered_counts_runs_of_three(gold, pred, share):
    assert covered(words(gold), words(pred)) == pytest.approx(share)


def gold(source, content="we will win this race", direct=True):
    return Gold(set(), [], source, direct, words(content))


@pytest.mark.parametrize(
    "source, speaker, label, right",
    [
        ("Sen. Anna Smith", "Anna Smith", "PERSON", True),
        ("Smith", "Anna Smith", "PERSON", True),
        ("the White House", "White House", "ORG", True),
        ("Jones", "Anna Smith", "PERSON", False),
        ("the president", "the", None, False),  # "the" is not a name token
        ("he", "Anna Smith", "PERSON", True),  # a pronoun source: resolved to an entity
        ("he", "he", None, False),  # ... not resolved
    ],
)
def test_speaker_rule(source, speaker, label, right):
    q = Quote(0, "we will win this race", speaker, "said", 0, 5, speaker_label=label)
    assert speaker_right(q, gold(source)) is right


def test_each_prediction_matches_one_gold_on_the_recall_side():
    golds = [gold("Smith", "we will win this race"), gold("Smith", "we will win this race")]
    q = Quote(0, "we will win this race", "Smith", "said", 0, 5, speaker_label="PERSON")
    s = score([[q]], [golds], "all")
    assert (s["r"], s["p"], s["er"], s["ep"]) == (0.5, 1.0, 0.5, 1.0)


def test_direct_scores_direct_rows_only():
    golds = [gold("Smith", "we will win this race", direct=True),
             gold("Smith", "taxes would fall next year", direct=False)]
    rows = [Quote(0, "we will win this race", "Smith", "said", 0, 5, kind="mixed", speaker_label="PERSON"),
            Quote(1, "taxes would fall next year", "Smith", "said", 6, 9, kind="indirect", speaker_label="PERSON")]
    assert score([rows], [golds], "direct")["n_pred"] == 0
    s = score([rows], [golds], "all")
    assert (s["f"], s["ef"], s["speaker_acc"]) == (1.0, 1.0, 1.0)


def test_figures_carry_the_stored_baseline(tmp_path):
    q = Quote(0, "we will win this race", "Smith", "said", 0, 5, speaker_label="PERSON")
    rows = polnear.figures([[q]], [[gold("Smith")]], [""])
    path = tmp_path / "base.json"
    path.write_text(json.dumps({"commit": "abc1234", "rows": [
        {"task": "quotes_direct", "metric": "e2e_f1", "value": 50.0, "n": 1}]}))
    out = {(r["task"], r["metric"]): r for r in polnear.with_baseline(rows, path)}
    assert out["quotes_direct", "e2e_f1"]["value"] == 100.0
    assert out["quotes_direct", "e2e_f1"]["before"] == 50.0
    assert out["quotes_direct", "e2e_f1"]["before_label"] == "abc1234"
    assert out["quotes_rows", "direct_rows"]["value"] == 1


def test_stored_baseline_has_the_four_figures():
    stored = {(r["task"], r["metric"]) for r in json.loads(polnear.BASELINE.read_text())["rows"]}
    for key in [("quotes_direct", "content_f1"), ("quotes_direct", "speaker_accuracy"),
                ("quotes_direct", "e2e_f1"), ("quotes_who_said_what", "e2e_f1")]:
        assert key in stored
