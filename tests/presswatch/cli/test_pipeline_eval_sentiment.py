"""End-to-end target sentiment: NewsMTSC devtest_mt sentences through `presswatch run`, each target's
class read from the warehouse's stored mentions and references (presswatch/cli/pipeline_eval.py)."""

import pytest

from presswatch.cli.pipeline_eval import newsmtsc_end_to_end
from presswatch.evaluation.sentiment import eval_newsmtsc_pipeline


def _value(rows, metric):
    return next(r["value"] for r in rows if r["metric"] == metric)


@pytest.mark.slow
@pytest.mark.quality
def test_the_warehouse_gives_the_in_process_figures(eval_data, tmp_path):
    # Measured on all 1,476 targets (session 26): found 90.4%, macro-F1 64.1 (66.7 on the found),
    # against 90.2% / 64.0 / 66.6 in process: the readers and the load lose no target.
    rows = newsmtsc_end_to_end(eval_data / "newsmtsc" / "devtest_mt.jsonl", method="model", workdir=tmp_path)
    in_process = eval_newsmtsc_pipeline(eval_data, "model")
    assert _value(rows, "found_pct") >= 90.0
    assert _value(rows, "macro_f1") >= 63.5
    for metric in ("found_pct", "macro_f1"):
        assert _value(rows, metric) == pytest.approx(_value(in_process, metric), abs=1.0), metric
