"""End-to-end quote evaluation: PolNeAR articles through `presswatch run`, scored from the warehouse."""

import pytest

from presswatch.cli.pipeline_eval import polnear_end_to_end
from presswatch.evaluation import polnear


@pytest.mark.slow
@pytest.mark.quality
def test_end_to_end_quotes_match_what_the_extraction_found(eval_data, nlp, tmp_path):
    """Ten dev articles through a real `presswatch run`: every article is loaded and the warehouse
    gives the figures of the in-process extraction (the readers keep the text these articles need),
    at the quality the full dev run reaches (direct end-to-end F1 85.7, who-said-what precision 87.2
    on all 84 articles)."""
    path = eval_data / "polnear" / "polnear_dev.jsonl"
    e2e = {(r["task"].removesuffix(" (end-to-end)"), r["metric"]): r["value"]
           for r in polnear_end_to_end(path, limit=10, workdir=tmp_path)}
    direct = {(r["task"], r["metric"]): r["value"] for r in polnear.evaluate(nlp, path, limit=10, baseline=None)}
    for key in [("quotes_direct", "content_f1"), ("quotes_who_said_what", "content_recall")]:
        assert e2e[key] == pytest.approx(direct[key], abs=3.0), key
    assert e2e[("quotes_direct", "e2e_f1")] >= 75.0
    assert e2e[("quotes_who_said_what", "e2e_precision")] >= 80.0
