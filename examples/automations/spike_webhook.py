"""A Prefect automation that turns presswatch alerts into a webhook call (docs/alerts.md).

    PREFECT_API_URL=http://127.0.0.1:4200/api \\
        .venv/bin/python examples/automations/spike_webhook.py https://hooks.example.com/presswatch

It saves a Webhook block (`presswatch-alerts`) holding the URL and creates the automation
`presswatch spike alert`: on each `presswatch.alert.spike` event, POST a small JSON message
built from the event's payload. Run it again to update both (the block is overwritten, the
automation replaced). For e-mail or Slack, point the same automation at your own block (see
docs/alerts.md): presswatch ships no credentials and sends nothing by itself.
"""

from __future__ import annotations

import argparse
import sys

from prefect.automations import Automation, CallWebhook, EventTrigger, Posture
from prefect.blocks.webhook import Webhook

BLOCK_NAME = "presswatch-alerts"
AUTOMATION_NAME = "presswatch spike alert"
EVENTS = {"spike": "presswatch.alert.spike", "match": "presswatch.alert.match"}

# The webhook's body: a Jinja template over the event, rendered by the Prefect server. Payload
# values are web text (titles, names) already cut to one line by presswatch; `tojson` keeps
# them JSON strings, whatever quotes or markup they hold. `text` is what Slack shows, as mrkdwn:
# its & < > are escaped so a name cannot make a disguised link or a <!channel> ping. A field one
# kind of alert lacks (a match has no entity, a spike no search) is null: `tojson` refuses Undefined.
PAYLOAD = """{
  "text": {{ event.payload.summary | replace("&", "&amp;") | replace("<", "&lt;") | replace(">", "&gt;") | tojson }},
  "event": {{ event.event | tojson }},
  "entity": {{ event.payload.entity.name | default(none) | tojson }},
  "search": {{ event.payload.search | default(none) | tojson }},
  "title": {{ event.payload.article.title | default(none) | tojson }},
  "url": {{ event.payload.article.url | default(none) | tojson }},
  "day": {{ (event.payload.day or event.payload.article.day) | default(none) | tojson }},
  "articles": {{ event.payload.figures.articles | default(none) | tojson }},
  "baseline_mean": {{ event.payload.figures.baseline_mean | default(none) | tojson }},
  "z_score": {{ event.payload.figures.z_score | default(none) | tojson }},
  "score": {{ event.payload.figures.score | default(none) | tojson }},
  "flow_run": {{ event.payload.links.flow_run | default(none) | tojson }},
  "event_id": {{ event.id | string | tojson }}
}"""


def create_spike_webhook_automation(url: str, *, kind: str = "spike", block_name: str = BLOCK_NAME,
                                    name: str = AUTOMATION_NAME) -> Automation:
    """Save the webhook block and (re)create the automation; returns the automation."""
    block = Webhook(method="POST", url=url, headers={"Content-Type": "application/json"})
    block_id = block.save(block_name, overwrite=True)
    try:
        Automation.read(name=name).delete()
    except ValueError:  # none yet
        pass
    automation = Automation(
        name=name,
        description="presswatch: a webhook call for each alert event (examples/automations/spike_webhook.py)",
        trigger=EventTrigger(expect={EVENTS[kind]}, match={"prefect.resource.id": "presswatch.*"},
                             posture=Posture.Reactive, threshold=1),
        actions=[CallWebhook(block_document_id=block_id, payload=PAYLOAD)],
    )
    return automation.create()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="the webhook URL (Slack incoming webhook, your chat or ticket system...)")
    parser.add_argument("--kind", choices=sorted(EVENTS), default="spike", help="which alerts (default: spike)")
    parser.add_argument("--name", default=AUTOMATION_NAME, help=f"automation name (default: {AUTOMATION_NAME})")
    args = parser.parse_args(argv)
    automation = create_spike_webhook_automation(args.url, kind=args.kind, name=args.name)
    print(f"automation {automation.name!r} ({automation.id}) calls the webhook block {BLOCK_NAME!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
