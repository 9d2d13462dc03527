"""Target sentiment on real gold data (../shared/eval or PRESSWATCH_EVAL_DIR); slow: PerSenT
goes through the production spaCy stage once (presswatch.evaluation.sentiment)."""

import pytest

from presswatch.evaluation.sentiment import eval_newsmtsc, eval_persent, lexicon_thresholds
from presswatch.sentiment import score as sentiment

pytestmark = pytest.mark.quality


def _value(rows, metric):
    return next(r["value"] for r in rows if r["metric"] == metric)


@pytest.fixture(scope="module")
def model_rows(eval_data):
    if sentiment.load_classifier() is None:
        pytest.fail(f"no trained classifier at {sentiment.CLASSIFIER_PATH}: run presswatch train sentiment")
    return {"newsmtsc": eval_newsmtsc(eval_data, "model"), "persent": eval_persent(eval_data, "model")}


def test_model_is_used(model_rows):
    assert all("(model)" in r["task"] for rows in model_rows.values() for r in rows)


def test_newsmtsc_macro_f1_goal(model_rows):
    # The issue-4 goal; the lexicon's figures are in docs/sentiment.md.
    assert _value(model_rows["newsmtsc"], "macro_f1") >= 65.0


def test_newsmtsc_model_beats_lexicon(eval_data, model_rows):
    lex = eval_newsmtsc(eval_data, "lexicon")
    assert _value(model_rows["newsmtsc"], "macro_f1") > _value(lex, "macro_f1") + 10


def test_persent_floor(model_rows):
    # Regression floor under the measured 41.7 (production path: spaCy entities, pronoun
    # coreference, mean target score, class-balanced thresholds from NewsMTSC train);
    # the goal (50) is the xfail below.
    assert _value(model_rows["persent"], "macro_f1") >= 40.0


def test_persent_pronoun_sentences_help(eval_data, model_rows):
    no_pron = eval_persent(eval_data, "model", pronouns=False)
    assert _value(model_rows["persent"], "sentences_per_doc") > _value(no_pron, "sentences_per_doc") + 1
    assert _value(model_rows["persent"], "macro_f1") >= _value(no_pron, "macro_f1")


def test_lexicon_document_thresholds_are_the_trained_ones(eval_data):
    assert lexicon_thresholds(eval_data)["document"] == sentiment.LEXICON_DOCUMENT_THRESHOLDS


@pytest.mark.xfail(reason="issue 4 goal not met: PerSenT dev macro-F1 is 41.7 with train-only "
                          "thresholds; thresholds tuned on dev itself (not allowed) reach 51.8, "
                          "and prior adaptation on unlabeled news does not close the gap; see "
                          "docs/sentiment.md, 'Tried for the goal of 50' and Known limits",
                   strict=True)
def test_persent_macro_f1_goal(model_rows):
    assert _value(model_rows["persent"], "macro_f1") >= 50.0
