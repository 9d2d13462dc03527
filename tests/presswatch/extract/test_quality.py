"""Quality thresholds on real gold data (../shared/eval, or PRESSWATCH_EVAL_DIR).

Skipped with a reason where the folder is absent; CI has it. Baselines are the raw
en_core_web_sm (NER) and textacy (quotes) on the same sets."""

import pytest

from presswatch.evaluation import conll, gum, polnear

pytestmark = pytest.mark.quality


def figures(rows):
    return {(r["task"], r["metric"]): r["value"] for r in rows}


@pytest.fixture(scope="module")
def ner(nlp, eval_data):
    return figures(conll.evaluate(nlp, eval_data / "conll2003" / "eng.testa.iob2.txt"))


@pytest.fixture(scope="module")
def quotes(nlp, eval_data):
    return figures(polnear.evaluate(nlp, eval_data / "polnear" / "polnear_dev.jsonl"))


def test_ner_conll_beats_the_raw_model(ner):
    assert ner["ner_conll", "f1"] >= 70.0  # raw model: 64.4
    assert ner["ner_conll", "precision"] >= 70.5  # never below the raw model's precision
    assert ner["ner_conll", "allcaps_recall"] >= 45.0  # raw model: 28
    for label in ("PER", "LOC", "MISC"):
        assert ner["ner_conll", f"{label}_f1"] >= 60.0, label


def test_direct_quotes_polnear(quotes):
    # The rule of ../shared/eval/README.md on dev; before issue 14 (7261c0d): content F1 85.1,
    # speaker accuracy 84.8, end-to-end F1 73.1; after it 89.4 / 94.9 / 85.3.
    assert quotes["quotes_direct", "content_f1"] >= 88.0  # textacy: 75.4 (held-out)
    assert quotes["quotes_direct", "speaker_accuracy"] >= 93.5  # textacy: 93.5 (held-out)
    assert quotes["quotes_direct", "e2e_f1"] >= 85.5  # textacy: 70.6 (held-out); goal 85 (issue 14)


def test_who_said_what_polnear(quotes):
    # Every attribution against every row; before issue 14: end-to-end P 82.5 / R 46.8 /
    # F1 59.7, content recall 55.5; after it 85.5 / 51.4 / 64.2, 58.5; after the clause cut
    # at an added quote, no unresolved-pronoun speakers and the learned scorer for cues off
    # the lists (issue 14, second pass) 88.7 / 53.1 / 66.4, 58.8; with the scorer vetting rule
    # rows too (third pass) 88.9 / 54.1 / 67.2, 59.1; with candidates for listed verbs the rules
    # leave and copula + adjective cues, and the 60% / 25% bars (session 6) 88.6 / 56.0 / 68.6, 61.3;
    # the scorer reading the candidates' words, distilled from the cross-encoder (session 25) 88.4 / 57.4 / 69.6;
    # blended with the two-layer cross-encoder near its bar (session 30) 89.8 / 57.5 / 70.1.
    assert quotes["quotes_who_said_what", "e2e_precision"] >= 88.5
    assert quotes["quotes_who_said_what", "e2e_recall"] >= 57.0
    assert quotes["quotes_who_said_what", "e2e_f1"] >= 69.5
    assert quotes["quotes_who_said_what", "content_recall"] >= 60.5


def test_who_said_what_reaches_the_issue_goal(quotes):
    # Issue 14's goal with the default method (session 30: 70.1, P 89.8 through presswatch run on dev).
    assert quotes["quotes_who_said_what", "e2e_precision"] >= 85.0
    assert quotes["quotes_who_said_what", "e2e_f1"] >= 70.0


def test_canonical_entities_gum(nlp, eval_data):
    got = figures(gum.evaluate(nlp, eval_data / "gum_news"))
    assert got["canonical_gum", "pair_f1"] >= 85.0
    assert got["canonical_gum", "pair_precision"] >= 88.0
