"""NewsMTSC devtest_mt through the pipeline: gold targets found among mentions and mention_refs,
classed by the stored sentiment_label (a missing target counts as neutral)."""

import pytest

from presswatch.evaluation.sentiment import eval_newsmtsc_pipeline
from presswatch.sentiment import transformer as tm


def _value(rows, metric):
    return next(r["value"] for r in rows if r["metric"] == metric)


@pytest.fixture(scope="module")
def rows(eval_data):
    return eval_newsmtsc_pipeline(eval_data, "model")


@pytest.mark.quality
def test_targets_found_through_the_pipeline(rows):
    # measured 88.0% with the untagged-name rule (86.4% without it; named mentions alone: 72-76%)
    assert _value(rows, "found_pct") >= 87.5


@pytest.mark.quality
def test_found_goal(rows):
    # issue 15 goal, met at 88.0% (1,299 of 1,476): a reference rule that loses one target fails it
    assert _value(rows, "found_pct") >= 88.0


@pytest.mark.quality
def test_macro_f1_through_the_pipeline(rows):
    # measured 65.0, 67.7 on the targets found, with the router's second opinion on the linear
    # model's closest calls (session 32); 64.0 / 67.1 the linear model alone
    assert _value(rows, "macro_f1") >= 63.5
    assert _value(rows, "macro_f1_found") >= 66.5


@pytest.mark.quality
def test_macro_f1_goal(rows):
    # issue 15's goal for the default method, met at 65.0 in process (65.1 through presswatch run)
    assert _value(rows, "macro_f1") >= 65.0


needs_transformer = pytest.mark.skipif(
    not (tm.available() and tm.WEIGHTS_PATH.exists()),
    reason="torch (pip install 'presswatch[transformer]') or presswatch/data/transformer_sentiment.npz missing",
)


@pytest.fixture(scope="module")
def transformer_rows(eval_data):
    return eval_newsmtsc_pipeline(eval_data, "transformer")


@pytest.mark.quality
@pytest.mark.slow  # ~170 CPU s of transformer inference (mpnet)
@needs_transformer
def test_transformer_through_the_pipeline(transformer_rows):
    # measured 78.5 (82.3 on the 90.2% found) with session 35's mpnet file blended with the linear
    # model; session 13's MiniLM file 71.4 / 74.7 (session 31); the linear model 64.0
    assert _value(transformer_rows, "found_pct") >= 88.0
    assert _value(transformer_rows, "macro_f1") >= 77.0
    assert _value(transformer_rows, "macro_f1_found") >= 81.0


@pytest.mark.quality
@pytest.mark.slow
@needs_transformer
def test_best_method_macro_f1_goal(transformer_rows):
    # issue 15's goal for the best shipped method, met since session 35 (78.5 in process)
    assert _value(transformer_rows, "macro_f1") >= 72.0
