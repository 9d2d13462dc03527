"""The user's sample article (seeds/000_312fe44e2616a10d.txt), read as `presswatch run`
reads it: its complete quote list, written down by hand from the text (issue 14)."""

from pathlib import Path

import pytest

from presswatch.extract.extraction import extract_articles
from presswatch.read.formats import read_file

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_312fe44e2616a10d.txt"

EXPECTED = [  # (kind, speaker, verb, text), in the order of the body
    ("indirect", "Benjamin Netanyahu", "vowed", "an uncompromising response to the militants' actions"),
    ("direct", "Antony Blinken", "affirmed",
     "The United States has Israel's back. We have their back today, tomorrow - we will have it every day,"),
    ("direct", "Antony Blinken", "affirmed",
     "We're determined to make sure Israel gets everything it needs to defend itself."),
    ("mixed", "Joe Biden", "reiterated", '"unshakeable" US support for Israel in a phone call with Netanyahu'),
    ("mixed", "US State Department", "reported", '"at least 22" American citizens affected by the violence'),
    ("indirect", "Matthew Miller", "conveyed",
     "Blinken's intense focus on standing with Israel and working towards the release of all hostages in Gaza"),
    # A directive, as "urged X to": PolNeAR annotates pressing someone to act as an attribution (110 in
    # its train cued by push, press or urge: "will push", "urged him to resign"); found since session 30.
    ("indirect", "United States", "pushing",
     "these countries, known to influence Hamas and other anti-Israel factions, to assist in halting the escalation"),
    ("mixed", "Joe Biden", "labeled", 'the Hamas attack as "sheer evil"'),
    ("indirect", "Joe Biden", "emphasised", "continued US support for Israel"),
    ("indirect", "US officials", "emphasise", "that the fight is against Hamas, not the Palestinian people"),
    ("indirect", "US officials", "emphasize", "that the fight is against Hamas, not the Palestinian people"),
    ("indirect", "US officials", "welcomed",
     "the European Union's decision to reverse a development aid cut for the Palestinians"),
]


def seed_quotes(nlp):
    (article,) = read_file(SEED).articles
    (x,) = extract_articles(nlp, [article])
    return article.body, x.quotes


def test_seed_article_complete_quote_list(nlp):
    _, quotes = seed_quotes(nlp)
    assert [(q.kind, q.speaker, q.verb, q.text) for q in quotes] == EXPECTED


def test_seed_article_issue_14_complaints(nlp):
    body, quotes = seed_quotes(nlp)
    assert all(q.speaker != "who" for q in quotes)
    assert not any("showing historical concern" in q.text or "historical concern" in q.text for q in quotes)
    (unshakeable,) = [q for q in quotes if "unshakeable" in q.text]
    assert unshakeable.speaker == "Joe Biden" and unshakeable.speaker_label == "PERSON"
    assert body[unshakeable.quoted_start: unshakeable.quoted_end] == "unshakeable"


def test_seed_article_with_the_transformer_method(nlp, monkeypatch):
    """The opt-in scorer (PRESSWATCH_QUOTE_METHOD=transformer) keeps the same list but the directive
    ("pushing these countries ... to assist"), which its bar leaves out."""
    from presswatch.extract import quote_transformer as qtf
    from presswatch.sentiment import transformer as tm

    if not (tm.available() and qtf.WEIGHTS_PATH.exists()):
        pytest.skip("torch or presswatch/data/quote_transformer.npz missing: pip install 'presswatch[transformer]'")
    monkeypatch.setenv("PRESSWATCH_QUOTE_METHOD", "transformer")
    _, quotes = seed_quotes(nlp)
    assert [(q.kind, q.speaker, q.verb, q.text) for q in quotes] == [q for q in EXPECTED if q[2] != "pushing"]
