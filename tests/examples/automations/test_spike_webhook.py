"""The example automation's webhook body, rendered by the Prefect server's own template code."""

from __future__ import annotations

import json
from datetime import date

from prefect.events.schemas.events import Event
from prefect.server.utilities.user_templates import render_user_template_sync

from examples.automations.spike_webhook import PAYLOAD
from presswatch.monitor.alerts import match_alert, spike_alert

HOSTILE = "<!channel> <https://evil.example/|Bank of England> & Co"
SPIKE = {"entity_id": "e1", "name": HOSTILE, "label": "ORG", "day": date(2024, 3, 5), "articles": 25,
         "baseline_mean": 2.07, "z_score": 15.61}


def _body(alert) -> dict:
    event = Event(event=alert.event, resource=alert.resource, payload=alert.payload, id=alert.event_id)
    return json.loads(render_user_template_sync(PAYLOAD, {"event": event}))


def test_the_text_slack_shows_cannot_ping_or_disguise_a_link():
    body = _body(spike_alert(SPIKE, None, 2.0))
    # Slack reads `text` as mrkdwn, where <...> is a link or a mention: web text there is escaped.
    assert "<" not in body["text"] and ">" not in body["text"]
    assert body["text"].startswith("&lt;!channel&gt; &lt;https://evil.example/|Bank of England&gt; &amp; Co (ORG): 25")
    assert body["entity"] == HOSTILE  # plain JSON fields keep the text as it is
    assert body["articles"] == 25 and body["event"] == "presswatch.alert.spike"


def test_a_match_alert_renders_too_with_the_spike_fields_null():
    hit = {"search_name": "rates", "article_id": "a1", "title": "Rates <b>rise</b>", "source": "Wire",
           "day": date(2024, 3, 5), "url": "https://news.example/a1", "score": 3.5}
    body = _body(match_alert(hit, None))
    assert body["event"] == "presswatch.alert.match" and body["search"] == "rates"
    assert body["title"] == "Rates <b>rise</b>" and body["url"] == "https://news.example/a1"
    assert body["day"] == "2024-03-05" and body["score"] == 3.5
    assert body["entity"] is None and body["articles"] is None and body["z_score"] is None
    assert "<" not in body["text"]
