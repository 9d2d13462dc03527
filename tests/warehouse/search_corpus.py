"""A small real warehouse for the search tests: a dozen short articles written for the
purpose, with entities, mentions and themes, loaded into a migrated DuckDB file and indexed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from warehouse.db import writer
from warehouse.search import refresh_index

# (article_id, title, day, source, body)
ARTICLES = [
    ("a01", "Blair and Brown clash over election date", date(2005, 3, 1), "bbc",
     "Tony Blair and Gordon Brown disagreed about the general election. Labour officials said the "
     "prime minister wanted a May poll."),
    ("a02", "Chancellor Brown sets out budget", date(2005, 3, 16), "bbc",
     "Gordon Brown presented his budget to MPs, with tax changes for pensioners and a stamp duty cut. "
     "The economy grew faster than expected."),
    ("a03", "Climate change talks open in Buenos Aires", date(2004, 12, 6), "reuters",
     "Delegates met to discuss climate change and the Kyoto protocol. Emissions of carbon dioxide "
     "keep rising, scientists warned."),
    ("a04", "Chelsea beat Arsenal in the league", date(2005, 2, 6), "bbc",
     "Chelsea moved clear at the top of the Premier League after beating Arsenal 2-1. "
     "Jose Mourinho praised his players."),
    ("a05", "River bank collapses after floods", date(2005, 1, 10), "guardian",
     "The bank of the river Severn gave way after days of rain. Fishing boats were damaged."),
    ("a06", "Bank of England holds interest rates", date(2005, 2, 10), "reuters",
     "The Bank of England kept interest rates at 4.75%. Economists expected the pause as the "
     "housing market cooled."),
    ("a07", "E-mail scams target bank customers", date(2005, 1, 20), "bbc",
     "Phishing e-mails pretending to come from a bank ask customers for passwords. "
     "The U.S. authorities issued a warning."),
    ("a08", "Election campaign: Brown takes centre stage", date(2005, 4, 12), "guardian",
     "Labour's campaign put the chancellor at its heart. Brown said the economy was strong and "
     "Blair agreed, in a rare show of unity."),
    ("a09", "Mobile phones with 3G cameras", date(2004, 11, 2), "bbc",
     "New 3G handsets carry cameras and music players. Operators hope video calls will pay "
     "for their licences."),
    ("a10", "Café owners protest smoking ban", date(2005, 5, 3), "guardian",
     "Owners of cafés and pubs said the smoking ban would cost jobs. The government said "
     "health came first."),
    ("a11", "Brown bears return to the Alps", date(2005, 6, 1), "reuters",
     "Conservationists reported brown bears in the Italian Alps for the first time in decades. "
     "Local farmers were worried about their sheep."),
    ("a12", "Arsenal manager praises players", date(2005, 2, 20), "bbc",
     "Arsene Wenger said his players showed character. Arsenal will face Chelsea again in the cup. "
     "\x1b[31mInjected\x1b[0m text and a =HYPERLINK(\"x\") formula."),
]

ENTITIES = [("e1", "Tony Blair", "PERSON"), ("e2", "Gordon Brown", "PERSON"), ("e3", "Arsenal", "ORG"),
            ("e4", "Bank of England", "ORG"), ("e5", "Chelsea", "ORG")]
MENTIONS = [("a01", "e1"), ("a01", "e2"), ("a02", "e2"), ("a08", "e2"), ("a08", "e1"), ("a04", "e3"),
            ("a04", "e5"), ("a12", "e3"), ("a12", "e5"), ("a06", "e4")]
THEMES = [("a01", "politics"), ("a02", "economy"), ("a06", "economy"), ("a08", "politics"),
          ("a03", "environment"), ("a04", "sport"), ("a12", "sport")]

INGESTED = datetime(2026, 1, 1, 12, 0, 0)


def build(path: Path, *, ingested_at: datetime = INGESTED, articles: list = ARTICLES) -> Path:
    """Load the articles (and their entities, mentions, themes) and build the index."""
    with writer(path) as con:
        for article_id, title, day, source, body in articles:
            con.execute("INSERT INTO articles (article_id, title, published_at, source, body, flow_run_id, "
                        "ingested_at) VALUES (?, ?, ?, ?, ?, 'run-1', ?)",
                        [article_id, title, day, source, body, ingested_at])
        con.executemany("INSERT OR IGNORE INTO entities VALUES (?, ?, ?)", ENTITIES)
        con.executemany("INSERT INTO mentions (article_id, entity_id) VALUES (?, ?)",
                        [m for m in MENTIONS if any(a[0] == m[0] for a in articles)])
        con.executemany("INSERT INTO article_themes (article_id, theme) VALUES (?, ?)",
                        [t for t in THEMES if any(a[0] == t[0] for a in articles)])
        refresh_index(con)
    return path
