"""The issue-14 goal for who said what, on PolNeAR dev in process (the held-out judge runs
`presswatch eval quotes --end-to-end`; in process reads about one point higher)."""

import pytest

from presswatch.evaluation import polnear

pytestmark = pytest.mark.quality


@pytest.mark.xfail(reason="issue 14 goal not met: who-said-what end-to-end F1 66.0 (P 87.2, R 53.1) end to end "
                          "on dev, 67.2 in process (goal 70 with P >= 85); docs/quotes.md", strict=True)
def test_who_said_what_reaches_the_goal(nlp, eval_data):
    rows = polnear.evaluate(nlp, eval_data / "polnear" / "polnear_dev.jsonl", baseline=None)
    got = {(r["task"], r["metric"]): r["value"] for r in rows}
    assert got["quotes_who_said_what", "e2e_precision"] >= 85.0
    assert got["quotes_who_said_what", "e2e_f1"] >= 70.0
