"""Articles for the alert tests: one organisation in ~2 articles a day, then 25 in one day.

News-API JSON files (the reader's `publishedAt` gives each its day). Each text names only the
Bank of England, so no other entity can spike beside it; every article differs by a number
(the article id is a hash of the text).
"""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path

BASELINE = [2, 1, 3, 2, 2, 1, 2, 3, 2, 2, 1, 2, 2, 3, 2, 2]  # articles a day before the spike day
SPIKE = 25

TEXTS = [
    "The Bank of England kept interest rates unchanged at {n} per cent on Thursday. The Bank of England "
    "said inflation was still too high.",
    "Economists expect the Bank of England to hold rates for {n} more months. The Bank of England declined "
    "to comment on the forecast.",
    "Mortgage lenders cut {n} deals this week after the Bank of England signalled caution about prices.",
]


# Untrusted text as the web may send it: markup, an event handler, a script link, table pipes.
HOSTILE_TITLE = ('Rates <script>alert("title")</script> <img src=x onerror=alert(1)> '
                 '[x](javascript:alert(2)) | col | umn')
HOSTILE_QUOTE = ('"Prices <script>alert(3)</script> <img src=y onerror=alert(4)> [y](javascript:alert(5)) '
                 '| a | b," the Bank of England said. The Bank of England confirmed it.')
HOSTILE_URL = "javascript:alert(document.cookie)"


def write_article(folder: Path, name: str, day: date, n: int, title: str | None = None,
                  extra: str = "", url: str | None = None) -> Path:
    # Text from a news API is HTML: markup meant as text arrives entity-encoded, and the reader
    # decodes it, so the warehouse holds the literal "<script>" of the title and the quote.
    body = TEXTS[n % len(TEXTS)].format(n=n) + html.escape(extra, quote=False)
    doc = {"source": {"name": "Ledger Wire" if n % 2 else "City Desk"},
           "title": html.escape(title, quote=False) if title else f"Rates update number {n}",
           "url": url or f"https://news.example/rates/{n}",
           "publishedAt": f"{day.isoformat()}T09:00:00Z", "content": body}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path
