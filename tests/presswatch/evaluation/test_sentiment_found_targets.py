"""How a gold target is read from stored rows (presswatch.evaluation.sentiment.score_found_targets):
the row overlapping it most gives its class; no row, or a row without a class, is neutral."""

from presswatch.evaluation.newsmtsc import Target
from presswatch.evaluation.sentiment import score_found_targets

S1 = "Trump attacked the senator on Monday."
S2 = "Officials praised Merkel and Macron."


def _target(sentence, name, label):
    start = sentence.index(name)
    return Target(sentence, start, start + len(name), label, "g", name)


def _figures(gold, rows):
    return {r["metric"]: (r["value"], r["n"]) for r in score_found_targets(gold, rows, "t")}


def test_the_largest_overlap_classes_a_target_and_missing_ones_are_neutral():
    gold = [_target(S1, "Trump", 0), _target(S1, "the senator", 0), _target(S2, "Merkel", 2),
            _target(S2, "Macron", 2)]
    rows = {
        S1: [(0, 5, "negative"), (19, 26, "positive"), (15, 26, "negative")],  # "senator" < "the senator"
        S2: [(18, 24, None)],  # Merkel stored without a class: found, read as neutral; Macron missing
    }
    got = _figures(gold, rows)
    assert got["found_pct"] == (75.0, 4)
    assert got["macro_f1_found"][1] == 3
    # negative 2 of 2 right; positive 0 of 2 (one neutral by its missing class, one missing)
    assert got["macro_f1"][0] == round(100 * (1.0 + 0.0 + 0.0) / 3, 1)


def test_a_row_that_only_touches_the_target_does_not_find_it():
    gold = [_target(S1, "Trump", 1)]
    assert _figures(gold, {S1: [(5, 13, "negative")]})["found_pct"] == (0.0, 1)
