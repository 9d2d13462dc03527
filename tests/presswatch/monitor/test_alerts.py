"""Alert keys, event ids and payloads: web text kept as one-line data, only http(s) links."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from presswatch.monitor.alerts import match_alert, spike_alert

SPIKE = {"entity_id": "e1", "name": "Bank of\nEngland", "label": "ORG", "day": date(2024, 3, 5), "articles": 25,
         "mentions": 40, "baseline_mean": Decimal("2.07"), "baseline_sd": Decimal("0.59"), "baseline_days": 14,
         "previous_day": 2, "same_weekday": 3, "z_score": Decimal("15.6"), "spike_level": Decimal("3.0")}
WHY = {"top_articles": [{"article_id": "a1", "title": "<script>x</script>" + "y" * 500, "source": "AFP",
                         "url": "javascript:alert(1)"},
                        {"article_id": "a2", "title": "Rates", "source": None, "url": "https://news.example/2"}],
       "outlets": [{"source": "AFP", "articles": 13}], "co_mentioned": [], "quotes": [
           {"speaker": "Andrew Bailey", "text": "We will act\u202e now"}]}


def test_a_spike_payload_holds_figures_why_and_links():
    a = spike_alert(SPIKE, WHY, 2.0, ui_url="http://127.0.0.1:4200/", flow_run_id="r1")
    assert a.key == "spike:e1:2024-03-05"
    # Its own event id: equal keys of two warehouses must not look like one event to Prefect.
    assert a.event_id != spike_alert(SPIKE, None, 3.0).event_id
    p = json.loads(json.dumps(a.payload))  # plain JSON: Decimals became numbers
    assert p["figures"]["baseline_mean"] == 2.07 and p["figures"]["spike_level"] == 3.0
    assert p["entity"]["name"] == "Bank of\\nEngland"  # one line: the newline shown, not kept
    first, second = p["why"]["articles"]
    assert first["title"].startswith("<script>x</script>") and len(first["title"]) == 200  # data, cut
    assert first["url"] is None and second["url"] == "https://news.example/2"  # javascript: dropped
    assert p["links"] == {"flow_run": "http://127.0.0.1:4200/runs/flow-run/r1",
                          "articles": ["https://news.example/2"]}
    assert p["why"]["quotes"] == [{"speaker": "Andrew Bailey", "text": "We will act\\u202e now"}]
    assert a.resource == {"prefect.resource.id": "presswatch.entity.e1", "prefect.resource.name": "Bank of\\nEngland",
                          "presswatch.entity.label": "ORG"}
    # the canonical entity's days behind the spike: the 14 before and the day
    assert p["sql"].endswith("WHERE canonical_id = 'e1' AND day BETWEEN DATE '2024-02-20' AND DATE '2024-03-05' "
                             "ORDER BY day")


def test_a_match_payload():
    hit = {"search_name": "energy", "article_id": "a9", "score": 2.5, "title": "Ofgem | fines", "source": "BBC",
           "url": "data:text/html,<script>", "day": date(2024, 3, 5)}
    a = match_alert(hit, None, "r2")
    assert a.key == "match:energy:a9" and a.kind == "match"
    assert a.payload["article"] == {"id": "a9", "title": "Ofgem | fines", "source": "BBC", "day": "2024-03-05",
                                    "url": None}
    assert a.payload["links"] == {"flow_run": None, "article": None}
    assert a.resource["prefect.resource.id"] == "presswatch.search.energy"
